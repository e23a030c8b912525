import { spawnSync } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import ts from 'typescript';

/**
 * The guardrails of eslint.config.mjs bite: code that breaks a rule is reported with that rule.
 * Boundary and size cases are linted as text under a path inside the folder they test (the
 * imports resolve to the real files beside it); the circle is two fixture files
 * (test/fixtures/lint/, ignored by `npm run lint`, linted here with ignores off).
 * ESLint runs in a child process: its flat config is an ES module, which Jest's CommonJS
 * loader cannot import.
 */
const root = path.join(__dirname, '..');

interface Case {
  name: string;
  filePath: string;
  code?: string;
}
interface Reported {
  name: string;
  messages: { ruleId: string | null; message: string; line: number }[];
}

const CHILD = `
const { ESLint } = require('eslint');
(async () => {
  const cases = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
  const eslint = new ESLint({ cwd: process.cwd(), ignore: false });
  const out = [];
  for (const c of cases) {
    const [r] = c.code === undefined ? await eslint.lintFiles([c.filePath]) : await eslint.lintText(c.code, { filePath: c.filePath });
    out.push({ name: c.name, messages: r.messages.map((m) => ({ ruleId: m.ruleId, message: m.message, line: m.line })) });
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
`;

function lint(cases: Case[]): Map<string, Reported['messages']> {
  const run = spawnSync(process.execPath, ['-e', CHILD], { cwd: root, input: JSON.stringify(cases), encoding: 'utf8', timeout: 240_000 });
  if (run.status !== 0) throw new Error(`eslint child failed: ${run.stderr}`);
  return new Map((JSON.parse(run.stdout) as Reported[]).map((r) => [r.name, r.messages]));
}

const lines = (n: number) => Array.from({ length: n }, (_, i) => `export const v${i} = ${i};`).join('\n') + '\n';

const CASES: Case[] = [
  { name: 'cycle', filePath: 'test/fixtures/lint/cycle-a.ts' },
  // policies/ import only the policy types.
  {
    name: 'policy imports sections',
    filePath: 'policies/fixture.policy.ts',
    code: "import { Section } from '../src/access/sections';\nexport const s = Section.HEALTH;\n",
  },
  {
    name: 'policy imports policy types',
    filePath: 'policies/fixture.policy.ts',
    code: "import { definePolicy } from '../src/access/policy';\nexport const d = definePolicy;\n",
  },
  // src/access imports no feature module, even for a type, and the exceptions are per file.
  {
    name: 'access imports a feature',
    filePath: 'src/access/fixture.ts',
    code: "import { uuidOrThrow } from '../returnee/returnee-read.service';\nexport const u = uuidOrThrow;\n",
  },
  {
    name: 'access imports an entity type',
    filePath: 'src/access/fixture.ts',
    code: "import type { Returnee } from '../returnee/returnee.entity';\nexport type R = Returnee;\n",
  },
  {
    name: 'access imports the recorder',
    filePath: 'src/access/fixture.ts',
    code: "import type { AuditEntry } from '../trail/audit-recorder';\nexport type E = AuditEntry;\n",
  },
  {
    name: 'access imports the request kernel',
    filePath: 'src/access/fixture.ts',
    code: "import type { Operation } from '../request/operation';\nexport type O = Operation;\n",
  },
  {
    name: 'trail imports the request kernel',
    filePath: 'src/trail/fixture.ts',
    code: "import type { Operation } from '../request/operation';\nexport type O = Operation;\n",
  },
  {
    name: 'common imports access',
    filePath: 'src/common/fixture.ts',
    code: "import { Section } from '../access/sections';\nexport const s = Section.HEALTH;\n",
  },
  {
    name: 'request imports a feature',
    filePath: 'src/request/fixture.ts',
    code: "import type { Referral } from '../referral/referral.entity';\nexport type R = Referral;\n",
  },
  {
    name: 'trail imports the auditor',
    filePath: 'src/trail/fixture.ts',
    code: "import type { EventRow } from '../auditor/audit-view';\nexport type V = EventRow;\n",
  },
  {
    name: 'access imports common',
    filePath: 'src/access/fixture.ts',
    code: "import { today } from '../common/calendar';\nexport const t = today;\n",
  },
  // The section declarations are data under the policy compiler: access reads them, they read nothing.
  {
    name: 'access imports the section declarations',
    filePath: 'src/access/fixture.ts',
    code: "import { SECTIONS } from '../sections/registry';\nexport const s = SECTIONS;\n",
  },
  {
    name: 'sections imports access',
    filePath: 'src/sections/fixture.ts',
    code: "import { Section } from '../access/sections';\nexport const s = Section.HEALTH;\n",
  },
  {
    name: 'sections imports a feature',
    filePath: 'src/sections/fixture.ts',
    code: "import type { SupportSession } from '../psychosocial/support-session.entity';\nexport type S = SupportSession;\n",
  },
  {
    name: 'sections imports a policy',
    filePath: 'src/sections/fixture.ts',
    code: "import { POLICIES } from '../../policies';\nexport const p = POLICIES;\n",
  },
  // Lower layers import no feature module.
  {
    name: 'common imports a feature',
    filePath: 'src/common/fixture.ts',
    code: "import type { Consent } from '../consent/consent.entity';\nexport type C = Consent;\n",
  },
  {
    name: 'auth imports a feature',
    filePath: 'src/auth/fixture.ts',
    code: "import type { StaffMember } from '../staff/staff.entity';\nexport type S = StaffMember;\n",
  },
  // A feature does not import the composition; migrations stand alone; src/ never imports tests.
  {
    name: 'feature imports the server',
    filePath: 'src/consent/fixture.ts',
    code: "import { createServer } from '../server';\nexport const c = createServer;\n",
  },
  {
    name: 'migration imports src',
    filePath: 'migrations/Fixture.ts',
    code: "import { today } from '../src/common/calendar';\nexport const t = today;\n",
  },
  {
    name: 'src imports a test helper',
    filePath: 'src/consent/fixture.ts',
    code: "import { gql } from '../../test/support/hub';\nexport const g = gql;\n",
  },
  // Size: 300 lines in src/, 500 in tests; an offender is held at its measured size.
  { name: 'src file of 301 lines', filePath: 'src/consent/fixture.ts', code: lines(301) },
  { name: 'src file of 300 lines', filePath: 'src/consent/fixture.ts', code: lines(300) },
  { name: 'test file of 501 lines', filePath: 'test/fixture.ts', code: lines(501) },
  { name: 'offender grows', filePath: 'src/returnee/returnee-read.service.ts', code: lines(338) },
  { name: 'offender at its size', filePath: 'src/returnee/returnee-read.service.ts', code: lines(337) },
];

describe('eslint.config.mjs', () => {
  let results: Map<string, Reported['messages']>;
  beforeAll(() => {
    results = lint(CASES);
  }, 240_000);

  const rules = (name: string) => results.get(name)!.map((m) => m.ruleId);

  test('an import circle is an error', () => {
    expect(rules('cycle')).toEqual(['import-x/no-cycle']);
  });

  test('policies import nothing but the policy types', () => {
    expect(rules('policy imports sections')).toEqual(['import-x/no-restricted-paths']);
    expect(results.get('policy imports sections')![0].message).toContain('policies/ import only the policy types');
    expect(rules('policy imports policy types')).toEqual([]);
  });

  test('src/access imports no feature, kernel or audit module (type imports included)', () => {
    expect(rules('access imports a feature')).toEqual(['import-x/no-restricted-paths']);
    expect(rules('access imports an entity type')).toEqual(['import-x/no-restricted-paths']);
    expect(rules('access imports the recorder')).toEqual(['import-x/no-restricted-paths']);
    expect(rules('access imports the request kernel')).toEqual(['import-x/no-restricted-paths']);
    expect(rules('access imports common')).toEqual([]);
  });

  test('src/sections (the section declarations) imports nothing outside its folder; access may read it', () => {
    expect(rules('access imports the section declarations')).toEqual([]);
    for (const name of ['sections imports access', 'sections imports a feature', 'sections imports a policy']) {
      expect({ name, rules: rules(name) }).toEqual({ name, rules: ['import-x/no-restricted-paths'] });
    }
    expect(results.get('sections imports access')![0].message).toContain('src/sections is plain data');
  });

  test('lower layers import no feature; features no composition; migrations and src stand alone', () => {
    for (const name of [
      'common imports a feature',
      'request imports a feature',
      'trail imports the auditor',
      'trail imports the request kernel',
      'common imports access',
      'auth imports a feature',
      'feature imports the server',
      'migration imports src',
      'src imports a test helper',
    ]) {
      expect({ name, rules: rules(name) }).toEqual({ name, rules: ['import-x/no-restricted-paths'] });
    }
  });

  test('file size: the limit, and offenders cannot grow', () => {
    expect(rules('src file of 301 lines')).toEqual(['max-lines']);
    expect(rules('src file of 300 lines')).toEqual([]);
    expect(rules('test file of 501 lines')).toEqual(['max-lines']);
    expect(rules('offender grows')).toEqual(['max-lines']);
    expect(rules('offender at its size')).toEqual([]);
  });
});

describe('typecheck covers the whole tree', () => {
  test('every TypeScript file in git belongs to a project that `npm run typecheck` checks', () => {
    const script = JSON.parse(require('node:fs').readFileSync(path.join(root, 'package.json'), 'utf8')).scripts.typecheck as string;
    const projects = [...script.matchAll(/tsc -p (\S+)/g)].map((m) => path.join(root, m[1]));
    const covered = new Set<string>();
    for (const project of projects) {
      const parsed = ts.getParsedCommandLineOfConfigFile(project, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
      for (const f of parsed!.fileNames) covered.add(path.relative(root, f));
    }
    const tracked = execFileSync('git', ['ls-files', '*.ts', '*.tsx', '*.mts', '*.cts'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
    expect(tracked.length).toBeGreaterThan(200);
    expect(tracked.filter((f) => !covered.has(f))).toEqual([]);
  });
});
