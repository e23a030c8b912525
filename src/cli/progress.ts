/**
 * A one-line progress bar for long runs on a terminal (`hub audit verify`): redrawn at most
 * ten times a second, with a rate and an estimate of the time left.
 */
export function progressBar(stream: NodeJS.WriteStream, label: string): (done: number, total: number) => void {
  const started = Date.now();
  let drawn = 0;
  return (done, total) => {
    const now = Date.now();
    const finished = done >= total;
    if (!finished && now - drawn < 100) return;
    drawn = now;
    const width = 30;
    const ratio = total > 0 ? Math.min(1, done / total) : 1;
    const filled = Math.round(ratio * width);
    const rate = done / Math.max(0.001, (now - started) / 1000);
    const left = rate > 0 ? Math.max(0, (total - done) / rate) : 0;
    const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
    stream.write(
      `\r${label} [${bar}] ${(ratio * 100).toFixed(0).padStart(3)}% ${done}/${total} events, ${Math.round(rate)}/s, ${left.toFixed(0)} s left `,
    );
    if (finished) stream.write('\n');
  };
}
