import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/db/free-port';
import { readyUrl } from './ready-line';

/**
 * A throwaway embedded PostgreSQL (own data directory, free port) that a suite stops and
 * starts at will, whichever database the run itself uses. `stop()` is a fast shutdown: open
 * sessions are terminated, as when an operator or a crash takes the server away (unless a hub
 * on the same data directory joined the server: then it keeps running for that hub).
 */
export interface StoppablePostgres {
  /** The owner's URL (the hub provisions its app role from it). */
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it and removes its data directory. */
  destroy(): Promise<void>;
}

function launch(dataDir: string, port: number): Promise<{ url: string; child: ChildProcess }> {
  const root = path.resolve(__dirname, '../..');
  const child = spawn(
    process.execPath,
    ['-r', './test/support/ts-register.js', './test/support/embedded-pg-child.ts', dataDir, String(port)],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const url = readyUrl(out);
      if (url) resolve({ url, child });
    });
    child.once('exit', (code) => reject(new Error(`embedded PostgreSQL child exited with ${code}: ${err}`)));
  });
}

/** In a fresh throwaway directory, or on an existing hub data directory (HUB_DATA_DIR) and port. */
export async function stoppablePostgres(existing?: { dataDir: string; port: number }): Promise<StoppablePostgres> {
  const dataDir = existing?.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'hub-pg-')));
  await chmod(dataDir, 0o755); // under root the postgres user must reach it
  const port = existing?.port ?? (await freePort());
  let current: ChildProcess | undefined;
  const first = await launch(dataDir, port);
  current = first.child;
  const stop = async () => {
    const child = current;
    current = undefined;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  };
  return {
    url: first.url,
    stop,
    async start() {
      if (current) return;
      current = (await launch(dataDir, port)).child;
    },
    async destroy() {
      await stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
