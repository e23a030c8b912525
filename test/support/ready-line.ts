/**
 * The `{"url": …}` line a child process prints once it is ready, found in what it has written
 * so far. Its own JSON log lines (pino writes to stdout) may come before it, and the last line
 * may be half-written: only a complete JSON object with a string `url` counts.
 */
export function readyUrl(stdout: string): string | undefined {
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const parsed = JSON.parse(line) as { url?: unknown };
      if (typeof parsed.url === 'string') return parsed.url;
    } catch {
      // not yet a whole line
    }
  }
  return undefined;
}
