import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { TEST_JWT_SECRET } from './hub';
import { freePort } from '../../src/db/free-port';

/**
 * The real entry point (`src/main.ts`, as `npm start` runs it) in a child process, loaded
 * through ./ts-register.js (no build needed). Its structured log lines (stdout) and stderr
 * are kept for assertions; `url` comes from its "hub ready" line.
 */
export interface HubProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** stdout lines parsed as JSON (pino), in order. */
  logLines(): Record<string, any>[];
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** Sends `signal` and waits for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const READY_TIMEOUT_MS = 50_000;

/**
 * `env` overrides the child's environment; a value of '' removes the variable (e.g.
 * DATABASE_URL: '' for embedded mode). LOG_LEVEL must stay at info or below: readiness is
 * read from the "hub ready" line.
 */
export function spawnHub(env: Record<string, string>): Promise<HubProcess> {
  const root = path.resolve(__dirname, '../..');
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test', HUB_JWT_SECRET: TEST_JWT_SECRET, PORT: '0', LOG_LEVEL: 'info' };
  for (const [k, v] of Object.entries(env)) {
    if (v === '') delete childEnv[k];
    else childEnv[k] = v;
  }
  const child = spawn(process.execPath, ['-r', './test/support/ts-register.js', './src/main.ts'], {
    cwd: root,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const logLines = () =>
    stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .flatMap((l) => {
        try {
          return [JSON.parse(l) as Record<string, any>];
        } catch {
          return [];
        }
      });
  return new Promise((resolve, reject) => {
    const onData = () => {
      const ready = logLines().find((l) => l.msg === 'hub ready' && typeof l.url === 'string');
      if (!ready) return;
      child.stdout!.off('data', check);
      resolve({
        url: ready.url as string,
        child,
        output: () => `${stdout}\n${stderr}`,
        logLines,
        exited,
        stop(signal = 'SIGTERM') {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      });
    };
    const check = () => onData();
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stdout!.on('data', check);
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    void exited.then((code) => reject(new Error(`hub exited with ${code} before it was ready:\n${stderr}\n${stdout.slice(-2000)}`)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`hub was not ready within ${READY_TIMEOUT_MS} ms:\n${stderr}\n${stdout.slice(-2000)}`));
    }, READY_TIMEOUT_MS);
    void exited.finally(() => clearTimeout(timer));
    child.stdout!.on('data', () => {
      if (logLines().some((l) => l.msg === 'hub ready')) clearTimeout(timer);
    });
  });
}
