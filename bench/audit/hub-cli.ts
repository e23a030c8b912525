import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

/** The `hub` CLI as an operator runs it (a node process of its own), against a bench database. */
export const ROOT = path.resolve(__dirname, '../..');
export const BENCH_JWT_SECRET = 'bench-secret-that-is-at-least-32-characters';
const run = promisify(execFile);

export const benchLog = (m: string): void => {
  process.stderr.write(`${new Date().toISOString()} ${m}\n`);
};

export function benchEnv(url: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: url,
    NODE_ENV: 'test',
    HUB_JWT_SECRET: BENCH_JWT_SECRET,
    LOG_LEVEL: 'warn',
    HUB_DATA_DIR: path.join(ROOT, '.hub-data'),
  };
}

export async function hubCli(url: string, ...args: string[]): Promise<{ stdout: string; stderr: string; ms: number }> {
  const t = Date.now();
  const { stdout, stderr } = await run(process.execPath, ['-r', './test/support/ts-register.js', './src/cli.ts', ...args], {
    cwd: ROOT,
    env: benchEnv(url),
    maxBuffer: 1 << 26,
  });
  return { stdout, stderr, ms: Date.now() - t };
}

/** Builds dist/ (`tsc -p tsconfig.build.json`), so that memory is measured on the hub as installed, not on the TypeScript loader. */
export async function buildDist(): Promise<void> {
  await run(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT });
}

/** The built `hub` (dist/src/cli.js, see buildDist) under GNU time: also its peak resident memory (MB). Linux with /usr/bin/time only. */
export async function builtHubPeakRss(
  url: string,
  ...args: string[]
): Promise<{ stdout: string; stderr: string; ms: number; peakMb: number }> {
  const t = Date.now();
  const { stdout, stderr } = await run('/usr/bin/time', ['-f', 'peak_rss_kb=%M', process.execPath, './dist/src/cli.js', ...args], {
    cwd: ROOT,
    env: benchEnv(url),
    maxBuffer: 1 << 26,
  });
  const kb = Number(/peak_rss_kb=(\d+)/.exec(stderr)?.[1]);
  return { stdout, stderr, ms: Date.now() - t, peakMb: Math.round(kb / 1024) };
}
