import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../src/db/free-port';
import { stoppablePostgres } from './support/embedded-pg';
import { TEST_JWT_SECRET } from './support/hub';
import { spawnHub, type HubProcess } from './support/hub-process';

/**
 * The embedded PostgreSQL as a new user meets it, with real processes: `npm start` on a data
 * directory, then `hub seed` and `hub token` beside it (they join its server rather than start
 * a second one on the same directory), a second hub on another data directory at the same time
 * (its own server on its own free port), and the server stopping with the last process that
 * uses it, whichever process started it.
 */
const ROOT = path.resolve(__dirname, '..');
jest.setTimeout(240_000);

const dirs: string[] = [];

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hub-cluster-'));
  await chmod(dir, 0o755); // under root the postgres user must reach it
  dirs.push(dir);
  return dir;
}

/** The server running on a data directory now (PostgreSQL's postmaster.pid: pid, port), or undefined. */
async function postmaster(dir: string): Promise<{ pid: number; port: number } | undefined> {
  const lines = await readFile(path.join(dir, 'pg', 'postmaster.pid'), 'utf8').then(
    (t) => t.split('\n'),
    () => undefined,
  );
  if (!lines) return undefined;
  const pid = Number(lines[0]);
  try {
    process.kill(pid, 0);
  } catch {
    return undefined;
  }
  return { pid, port: Number(lines[3]) };
}

/** As `npm start` runs in embedded mode: no DATABASE_URL, no port given for PostgreSQL. */
const embedded = (dir: string) => ({ DATABASE_URL: '', HUB_EMBEDDED_PG_PORT: '', HUB_DATA_DIR: dir });

/** `npx hub …` in its own process, on the Node running the suite. */
function hubCli(dir: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    HUB_JWT_SECRET: TEST_JWT_SECRET,
    HUB_DATA_DIR: dir,
    LOG_LEVEL: 'info',
  };
  delete env.DATABASE_URL;
  delete env.HUB_EMBEDDED_PG_PORT;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-r', './test/support/ts-register.js', './src/cli.ts', ...args],
      { cwd: ROOT, env },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function graphql(hub: HubProcess, token: string, query: string): Promise<{ data?: any; errors?: unknown[] }> {
  const res = await fetch(`${hub.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose-of-use': 'embedded cluster test' },
    body: JSON.stringify({ query }),
  });
  return (await res.json()) as { data?: any; errors?: unknown[] };
}

const healthy = (hub: HubProcess) => fetch(`${hub.url}/healthz`).then((r) => r.status);

const hubs: HubProcess[] = [];
afterAll(async () => {
  for (const hub of hubs) await hub.stop('SIGKILL');
  for (const dir of dirs) {
    const left = await postmaster(dir); // a failed test must not leave a server behind
    if (left) process.kill(left.pid, 'SIGQUIT');
    await rm(dir, { recursive: true, force: true });
  }
});

it('runs hub seed and hub token beside a running hub, and a second hub on another data directory at the same time', async () => {
  const [a, b] = [await dataDir(), await dataDir()];
  const hubA = await spawnHub(embedded(a));
  hubs.push(hubA);
  const serverA = await postmaster(a);
  expect(serverA).toBeDefined();

  const seeded = await hubCli(a, 'seed', '--returnees', '20');
  expect(seeded).toMatchObject({ code: 0, stderr: '', stdout: expect.stringContaining('seeded 20 returnees') });
  expect(seeded.stdout).toContain('joined the embedded PostgreSQL already running on this data directory');
  const token = await hubCli(a, 'token', 'kz-health-caseworker');
  expect(token.code).toBe(0);
  // The running hub serves what the command wrote: one server, one database.
  const res = await graphql(hubA, token.stdout.trim(), '{ me { staff { username } } returnees(first: 1) { totalCount } }');
  expect(res.errors).toBeUndefined();
  expect(res.data.me.staff.username).toBe('kz-health-caseworker');
  expect(res.data.returnees.totalCount).toBeGreaterThan(0);
  expect(await postmaster(a)).toEqual(serverA); // the command left the hub's server running

  const hubB = await spawnHub(embedded(b));
  hubs.push(hubB);
  const serverB = await postmaster(b);
  expect(serverB).toBeDefined();
  expect(serverB!.port).not.toBe(serverA!.port);
  expect([await healthy(hubA), await healthy(hubB)]).toEqual([200, 200]);

  expect(await hubA.stop()).toBe(0);
  expect(await postmaster(a)).toBeUndefined(); // the last process using it stopped it
  expect(await healthy(hubB)).toBe(200);
  expect(await hubB.stop()).toBe(0);
  expect(await postmaster(b)).toBeUndefined();
});

it('stops the server with the last process that uses it, not with the one that started it', async () => {
  const dir = await dataDir();
  // A process of its own starts the server on this data directory (as a long `hub seed` would).
  const starter = await stoppablePostgres({ dataDir: dir, port: await freePort() });
  const server = await postmaster(dir);
  expect(server).toBeDefined();
  const hub = await spawnHub(embedded(dir));
  hubs.push(hub);
  expect(hub.logLines().map((l) => l.msg)).toContain('joined the embedded PostgreSQL already running on this data directory');

  await starter.stop(); // the starter leaves while the hub still uses the server
  expect(await postmaster(dir)).toEqual(server);
  const admin = await hubCli(dir, 'token', 'admin');
  const res = await graphql(hub, admin.stdout.trim(), '{ me { staff { username } } }');
  expect(res).toEqual({ data: { me: { staff: { username: 'admin' } } } });

  expect(await hub.stop()).toBe(0);
  expect(await postmaster(dir)).toBeUndefined();
  expect(hub.logLines().map((l) => l.msg)).toContain('embedded PostgreSQL stopped (no other process uses it)');
});

it('shares one cluster when a hub and hub seed start at the same moment on a fresh data directory', async () => {
  const dir = await dataDir();
  // `npm start &` and `npx hub seed` on a new checkout: one initialises and starts, the other waits and joins.
  const [hub, seeded] = await Promise.all([spawnHub(embedded(dir)), hubCli(dir, 'seed', '--returnees', '5')]);
  hubs.push(hub);
  expect(seeded).toMatchObject({ code: 0, stderr: '', stdout: expect.stringContaining('seeded 5 returnees') });
  // The hub sees the seeded agencies (and the command used the secrets the hub signs with).
  const token = await hubCli(dir, 'token', 'admin');
  const res = await graphql(hub, token.stdout.trim(), '{ agencies { code } }');
  expect(res.errors).toBeUndefined();
  expect(res.data.agencies.map((a: { code: string }) => a.code)).toEqual(expect.arrayContaining(['kz-aqtobe-health']));
  expect(await hub.stop()).toBe(0);
  expect(await postmaster(dir)).toBeUndefined();
});
