import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { HubError } from '../errors';

/**
 * The statement page printed to PDF by headless Chromium (`--print-to-pdf`), from a private
 * temporary directory deleted afterwards: no browser library in the server, no network (the
 * page has no script and no external resource, and its meta CSP allows neither). HUB_CHROMIUM_PATH names the browser
 * (default /usr/bin/chromium); without one the PDF route answers SERVICE_UNAVAILABLE and the
 * printable page remains (print it from any browser).
 */
const TIMEOUT_MS = 30_000;

function run(file: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: TIMEOUT_MS, maxBuffer: 1 << 20 }, (error) => (error ? reject(error) : resolve()));
  });
}

export async function statementPdf(html: string, chromiumPath: string): Promise<Buffer> {
  if (!existsSync(chromiumPath))
    throw new HubError('SERVICE_UNAVAILABLE', 'PDF rendering is not available on this hub: print the statement page instead');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hub-statement-'));
  try {
    const page = path.join(dir, 'statement.html');
    const out = path.join(dir, 'statement.pdf');
    await writeFile(page, html, { mode: 0o600 });
    const root = typeof process.getuid === 'function' && process.getuid() === 0;
    await run(chromiumPath, [
      '--headless',
      '--disable-gpu',
      ...(root ? ['--no-sandbox'] : []),
      '--disable-dev-shm-usage',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${path.join(dir, 'profile')}`,
      '--no-pdf-header-footer',
      `--print-to-pdf=${out}`,
      `file://${page}`,
    ]);
    return await readFile(out);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
