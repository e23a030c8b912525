import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../../src/db/free-port';
import { BENCH_JWT_SECRET, type BenchDatabase } from './bench-database';
import type { ContenderName } from './options';

/**
 * The four contenders, each its own process on a loopback port, all with the statement
 * counter preloaded (sql-counter.js) and an IPC channel to read it:
 * - hub: `node dist/src/main.js` with NODE_ENV=production, as `npm start` runs it;
 * - hubAuditOff: the same build with the recorder disabled (hub-audit-off.ts);
 * - raw: raw-server.ts, one SQL statement per request;
 * - postgraphile: bench/postgraphile/server.mjs on the hub's Node 24 (.tools/node24/node;
 *   PostGraphile 5 needs Node 22 or later, so it does not run on the machines' Node 20).
 * Each database pool holds at most 20 connections, the hub's default.
 */
export interface SqlCount {
  sqlCount: number;
  /** Sent in the async context of an HTTP request, while tracing. */
  inRequests: number;
  statements: { text: string; calls: number }[];
  /** CPU time (user + system) the process has used so far. */
  cpuMs: number;
}

export interface Running {
  name: ContenderName;
  url: string;
  /** Statements sent so far, and those tallied since the last call (tallying while `trace`). */
  sqlCount(trace: boolean): Promise<SqlCount>;
  stop(): Promise<void>;
}

const POOL_MAX = '20';

/** The Node 24 LTS the hub is also tested on: a script that installs the pinned binary on first use, then runs it. */
export function node24(root: string): string {
  return path.join(root, '.tools/node24/node');
}

interface Launch {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  ready: string;
  readyInit?: RequestInit;
}

/**
 * `BENCH_CPU_PROF=<dir>`: the hub (and hubAuditOff) writes a V8 CPU profile there when it stops (open it in Chrome
 * DevTools or speedscope). For finding where a request's time goes, not for the figures: the
 * profiler costs CPU of its own.
 */
function cpuProfile(): string[] {
  const dir = process.env.BENCH_CPU_PROF;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(dir)}`] : [];
}

/**
 * The Node flags `npm start` gives the hub (package.json `scripts.start`), so the bench runs it
 * as deployments do: `--max-semi-space-size=64` let a page's short-lived objects die young
 * instead of being copied into the old generation (10-15 % more list50 requests per second,
 * measured side by side; docs/bench.md).
 */
function startFlags(root: string): string[] {
  const start = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  const match = /^node((?: --[\w-]+(?:=\S+)?)*) dist\/src\/main\.js$/.exec(start);
  if (!match) throw new Error(`package.json scripts.start is not "node [--flags] dist/src/main.js": ${start}`);
  return match[1].trim().split(' ').filter(Boolean);
}

function launchFor(name: ContenderName, root: string, db: BenchDatabase, port: number): Launch {
  const counter = path.join(root, 'bench/api/sql-counter.js');
  const tsRegister = path.join(root, 'test/support/ts-register.js');
  const hubEnv = {
    NODE_ENV: 'production',
    DATABASE_URL: db.url,
    HUB_JWT_SECRET: BENCH_JWT_SECRET,
    HUB_DATA_DIR: db.dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    // To measure what the actor cache is worth: HUB_ACTOR_CACHE=0 npm run bench
    ...(process.env.HUB_ACTOR_CACHE ? { HUB_ACTOR_CACHE: process.env.HUB_ACTOR_CACHE } : {}),
  };
  const url = `http://127.0.0.1:${port}`;
  switch (name) {
    case 'hub':
      return {
        command: process.execPath,
        args: ['-r', counter, ...startFlags(root), ...cpuProfile(), 'dist/src/main.js'],
        cwd: root,
        env: hubEnv,
        ready: `${url}/healthz`,
      };
    case 'hubAuditOff':
      return {
        command: process.execPath,
        args: ['-r', counter, ...startFlags(root), ...cpuProfile(), '-r', tsRegister, 'bench/api/hub-audit-off.ts'],
        cwd: root,
        env: hubEnv,
        ready: `${url}/healthz`,
      };
    case 'raw':
      return {
        command: process.execPath,
        args: ['-r', counter, '-r', tsRegister, 'bench/api/raw-server.ts'],
        cwd: root,
        env: {
          NODE_ENV: 'production',
          BENCH_PG_URL: db.url,
          AGENCY_ID: db.caseworker.agencyId,
          STAFF_ID: db.caseworker.staffId,
          PORT: String(port),
          POOL_MAX,
        },
        ready: `${url}/healthz`,
      };
    case 'postgraphile':
      return {
        command: node24(root),
        args: ['-r', counter, 'server.mjs'],
        cwd: path.join(root, 'bench/postgraphile'),
        env: { NODE_ENV: 'production', GRAPHILE_ENV: 'production', BENCH_PG_URL: db.url, PORT: String(port), POOL_MAX },
        ready: `${url}/graphql`,
        readyInit: { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{__typename}"}' },
      };
  }
}

async function waitReady(child: ChildProcess, launch: Launch, stderr: () => string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}:\n${stderr()}`);
    const ok = await fetch(launch.ready, launch.readyInit).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`not ready after ${timeoutMs / 1000} s:\n${stderr()}`);
}

export async function startContender(name: ContenderName, root: string, db: BenchDatabase): Promise<Running> {
  const port = await freePort();
  const launch = launchFor(name, root, db, port);
  if (!existsSync(launch.command)) throw new Error(`${name}: ${launch.command} is missing`);
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TMPDIR: process.env.TMPDIR ?? '', ...launch.env };
  // stdout (the hub's request log, as in production) goes to /dev/null; stderr is kept for errors.
  const child = spawn(launch.command, launch.args, { cwd: launch.cwd, env, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-8000)));
  const waiters: ((m: SqlCount) => void)[] = [];
  child.on('message', (m: { sqlCount?: number }) => {
    if (typeof m?.sqlCount === 'number') waiters.shift()?.(m as never);
  });
  try {
    await waitReady(child, launch, () => err);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${name} did not start: ${(error as Error).message}`);
  }
  return {
    name,
    url: `http://127.0.0.1:${port}`,
    sqlCount: (trace) =>
      new Promise((resolve) => {
        waiters.push(resolve);
        child.send({ sql: 'count', trace });
      }),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
