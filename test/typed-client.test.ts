import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import type { HubServer } from '../src/server';
import { auditRowsFor } from './support/audit';
import { giveConsent, makeReturnee, makeSectorUser, type StaffFixture } from './support/factories';
import { sqlClient, startHub } from './support/hub';

/**
 * The typed client in examples/typed-client/ keeps working: it runs as a child process, as an
 * integrator would run it, against a real hub with fresh data, and its output and effects are
 * checked; its generated types match a fresh `npm run codegen`, and it compiles against them.
 */
const ROOT = path.resolve(__dirname, '..');
const EXAMPLE = path.join(ROOT, 'examples/typed-client/list-returnees.ts');
const GENERATED = 'examples/typed-client/generated/graphql.ts';
const run = promisify(execFile);

interface ExampleRun {
  code: number;
  stdout: string;
  stderr: string;
}

async function runExample(env: Record<string, string>, args: string[] = []): Promise<ExampleRun> {
  const childEnv = { PATH: process.env.PATH ?? '', ...env };
  try {
    const { stdout, stderr } = await run(process.execPath, ['-r', path.join(ROOT, 'test/support/ts-register.js'), EXAMPLE, ...args], {
      env: childEnv,
      cwd: ROOT,
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

let hub: HubServer;
let health: StaffFixture;
const consented: string[] = [];
const hiddenNames: string[] = [];
let noise: string;

beforeAll(async () => {
  hub = await startHub();
  const orm = hub.db.orm;
  health = await makeSectorUser(orm, 'HEALTH');
  for (let i = 0; i < 7; i++) {
    const r = await makeReturnee(orm, health.agency, { givenName: `Madina${i}`, familyName: 'Karimova', followUpNeeded: true });
    // Identity is the social sector's section: a health agency sees names only under consent.
    if (i % 2 === 0) {
      await giveConsent(orm, r, health, ['HEALTH']);
      consented.push(r.caseNumber);
    } else {
      hiddenNames.push(r.caseNumber);
    }
  }
  const other = await makeSectorUser(orm, 'HEALTH');
  noise = (await makeReturnee(orm, other.agency)).caseNumber;
});
afterAll(() => hub.stop());

describe('examples/typed-client against a running hub', () => {
  it('lists every record in scope page by page, shows hidden fields as hidden, and records one assessment', async () => {
    const purpose = 'Typed client test: follow-up list';
    const out = await runExample({ HUB_URL: hub.url, HUB_TOKEN: health.token, HUB_PAGE_SIZE: '3', HUB_PURPOSE: purpose });
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const lines = out.stdout.trim().split('\n');
    expect(lines[0]).toBe(`signed in as ${health.staff.username} (${health.agency.code}, HEALTH); writes: HEALTH, HEALTH_FLAGS`);
    expect(lines.filter((l) => l.startsWith('page '))).toEqual(['page 1: 3 records', 'page 2: 3 records', 'page 3: 1 records']);
    expect(out.stdout).toContain('listed 7 of 7 returnees in 3 pages');

    const rows = lines.filter((l) => l.startsWith('  '));
    const listed = rows.map((l) => l.trim().split(/\s+/)[0]);
    expect([...listed].sort()).toEqual([...consented, ...hiddenNames].sort());
    expect(listed).not.toContain(noise);
    for (const row of rows) {
      const caseNumber = row.trim().split(/\s+/)[0];
      expect(row).toContain(consented.includes(caseNumber) ? 'Karimova' : '(name hidden)');
      expect(row).toMatch(/followUp=yes/);
    }

    const recorded = /^recorded health assessment ([0-9a-f-]{36}) on (\S+) \(record version (\d+), followUpNeeded=false\)$/.exec(
      lines[lines.length - 1],
    );
    expect(recorded).not.toBeNull();
    const [, assessmentId, caseNumber] = recorded!;
    expect(caseNumber).toBe(listed[0]);

    const db = await sqlClient();
    try {
      const { rows: stored } = await db.query(
        `select r.case_number, r.follow_up_needed, a.findings from health_assessment a join returnee r on r.id = a.returnee_id where a.id = $1`,
        [assessmentId],
      );
      expect(stored).toEqual([{ case_number: caseNumber, follow_up_needed: false, findings: expect.stringMatching(/^Follow-up visit/) }]);
    } finally {
      await db.end();
    }

    const events = await auditRowsFor(health.staff.id);
    const reads = events.filter((e) => e.action === 'READ' && e.entity_type === 'Returnee');
    expect(new Set(reads.map((e) => e.returnee_id)).size).toBe(7);
    expect(events.every((e) => e.purpose === purpose)).toBe(true);
    expect(events.filter((e) => e.action === 'CREATE')).toMatchObject([
      { entity_type: 'HealthAssessment', entity_id: assessmentId, outcome: 'SUCCESS' },
    ]);
  });

  it('only lists, and says why, for an account that does not write the HEALTH section', async () => {
    const education = await makeSectorUser(hub.db.orm, 'EDUCATION');
    const out = await runExample({ HUB_URL: hub.url, HUB_TOKEN: education.token });
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('listed 0 of 0 returnees in 1 pages');
    expect(out.stdout).toContain('not recording an assessment: this account does not write the HEALTH section');
    expect((await auditRowsFor(education.staff.id)).filter((e) => e.action !== 'READ')).toEqual([]);
  });

  it('reports the hub error code and request id when the token is refused, and exits 1', async () => {
    const out = await runExample({ HUB_URL: hub.url, HUB_TOKEN: 'not-a-token' });
    expect(out.code).toBe(1);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(/^hub refused: UNAUTHENTICATED: The token is not valid.*\(request id [0-9a-f-]{36}\)\n$/);
  });

  it('asks for HUB_TOKEN when it is missing, and exits 2', async () => {
    const out = await runExample({ HUB_URL: hub.url });
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/Set HUB_TOKEN/);
  });
});

describe('generated types', () => {
  it(`${GENERATED} matches a fresh \`npm run codegen\` of schema/schema.graphql`, async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'hub-codegen-'));
    try {
      // The committed codegen.ts, with its one output sent to a temp file (the CLI is ESM-first: run it as npm does).
      const target = path.join(dir, 'graphql.ts');
      const config = path.join(dir, 'codegen.ts');
      await writeFile(
        config,
        [
          `import config from ${JSON.stringify(path.join(ROOT, 'codegen'))};`,
          `const [output] = Object.values(config.generates);`,
          `export default { ...config, silent: true, generates: { ${JSON.stringify(target)}: output } };`,
        ].join('\n'),
      );
      await run(process.execPath, [path.join(ROOT, 'node_modules/@graphql-codegen/cli/esm/bin.js'), '--config', config], {
        cwd: ROOT,
        timeout: 120_000,
      });
      const fresh = await readFile(target, 'utf8');
      expect(fresh).toContain('export type ReturneePageQuery');
      expect(await readFile(path.join(ROOT, GENERATED), 'utf8')).toBe(fresh);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('the example compiles against them with the project compiler settings', () => {
    const config = ts.getParsedCommandLineOfConfigFile(
      path.join(ROOT, 'tsconfig.json'),
      {},
      { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
    )!;
    const files = ['list-returnees.ts', 'hub-client.ts', 'generated/graphql.ts'].map((f) => path.join(ROOT, 'examples/typed-client', f));
    const program = ts.createProgram(files, { ...config.options, noEmit: true, types: ['node'] });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(problems).toEqual([]);
  });
});
