import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from 'pg';
import { POLICIES } from '../policies';
import { GOLDEN_DIR, goldenFiles, positional, pretty, REGENERATE, type GoldenFile } from '../scripts/access-sql';
import { sqlClient } from './support/hub';

/**
 * The golden SQL of the access layer (sql/access/, STYLE.md rule 13) is what the code builds
 * today: a policy or access-layer change that alters the SQL fails here until the files are
 * regenerated, so the reviewer sees the database-side diff. Every statement is EXPLAINed on the
 * test PostgreSQL (migrated schema) as the hub sends it and as the file shows it: both valid,
 * and the same plan (formatting changed nothing).
 */
const root = path.join(__dirname, '..');
const dir = path.join(root, GOLDEN_DIR);

function committed(): Map<string, string> {
  return new Map(readdirSync(dir).map((name) => [name, readFileSync(path.join(dir, name), 'utf8')]));
}

/** A unified diff of the committed files against `files`, or '' when they are the same. */
function staleness(files: GoldenFile[]): string {
  const current = committed();
  const same = files.length === current.size && files.every((f) => current.get(f.name) === f.text);
  if (same) return '';
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'sql-golden-'));
  try {
    for (const f of files) writeFileSync(path.join(tmp, f.name), f.text);
    try {
      execFileSync('diff', ['-ruN', dir, tmp], { encoding: 'utf8' });
      return 'files differ';
    } catch (e) {
      const out = String((e as { stdout?: string }).stdout ?? e);
      const lines = out.split('\n');
      return lines.length > 200 ? `${lines.slice(0, 200).join('\n')}\n… (${lines.length - 200} more lines)` : out;
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

describe('golden SQL (sql/access)', () => {
  let db: Client;
  beforeAll(async () => {
    db = await sqlClient();
  });
  afterAll(async () => {
    await db.end();
  });

  test('the committed files are what the policies and the access layer generate', () => {
    const diff = staleness(goldenFiles());
    if (diff) throw new Error(`${GOLDEN_DIR} is stale: run \`${REGENERATE}\` and review the diff.\n\n${diff}`);
  });

  test('covers every sector with returnee access and the roles that differ', () => {
    const names = goldenFiles().map((f) => f.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'health-caseworker-supervisor.sql',
        'education-caseworker-supervisor.sql',
        // Social protection lets supervisors break the glass, caseworkers not: their SQL differs.
        'social-caseworker.sql',
        'social-supervisor.sql',
        'ngo-caseworker-supervisor.sql',
        'oversight-auditor.sql',
        'README.md',
      ]),
    );
    // Administration sees no returnee at all: no SQL, listed as such in the index.
    expect(names.some((n) => n.startsWith('administration'))).toBe(false);
    expect(committed().get('README.md')).toContain('| ADMINISTRATION | ADMIN | no returnee access: refused before any query |');
  });

  test('a policy change shows as a change of the golden SQL', () => {
    const health = POLICIES.HEALTH.sections;
    const before = health.PSYCHOSOCIAL;
    health.PSYCHOSOCIAL = 'read'; // as if a reviewer let health read psychosocial notes under consent (social support it already reads under an agreement)
    try {
      const files = goldenFiles();
      const file = files.find((f) => f.name === 'health-caseworker-supervisor.sql')!;
      expect(file.text).toContain('-- returnee(id) { PSYCHOSOCIAL: supportSessions }');
      expect(file.text).toMatch(/x\.sections @> array\[\$\d+ \/\* 'PSYCHOSOCIAL' \*\/\]::text\[\]/);
      expect(committed().get(file.name)).not.toContain('PSYCHOSOCIAL: supportSessions');
      expect(staleness(files)).toMatch(/^diff -ruN \S+\/health-caseworker-supervisor\.sql /m);
    } finally {
      if (before === undefined) delete health.PSYCHOSOCIAL;
      else health.PSYCHOSOCIAL = before;
    }
    expect(staleness(goldenFiles())).toBe('');
  });

  test('every statement is valid SQL on the migrated schema, as sent and as shown', async () => {
    const statements = goldenFiles().flatMap((f) => f.statements.map((s) => ({ file: f.name, ...s })));
    expect(statements.length).toBeGreaterThan(40);
    for (const s of statements) {
      const params = s.sql.params as unknown[];
      const plan = async (text: string) => {
        try {
          return (await db.query({ text: `explain (costs off) ${text}`, values: params })).rows.map((r) => r['QUERY PLAN']).join('\n');
        } catch (e) {
          throw new Error(`${s.file}, "${s.title}": ${(e as Error).message}\n${text}`);
        }
      };
      // costs off: other suites write to the same database meanwhile, and an autoanalyze between
      // the two EXPLAINs moves the estimates (seen in CI: 1470.79 vs 1470.78); the plan's shape is
      // what formatting must not change.
      const sent = await plan(positional(s.sql));
      const shown = await plan(pretty(s.sql));
      expect(sent).toMatch(/Scan|Result/);
      expect({ statement: `${s.file}: ${s.title}`, plan: shown }).toEqual({ statement: `${s.file}: ${s.title}`, plan: sent });
    }
  });
});
