import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { IntlMessageFormat } from 'intl-messageformat';
import ts from 'typescript';
import { createTranslator, LOCALES, mergeNamespaces, NAMESPACES, type Catalog, type MissingKey } from '../i18n/translator';
import { SECTION_FIELDS } from '../src/access/sections';
import { SECTION_LAYOUT } from '../app/src/caseworker/sections';

/**
 * The web pages' messages and sources, checked without a browser: every locale marked complete
 * has exactly the keys English has, with the same placeholders, and every message parses; no key
 * the pages use is missing and none is unused; no interface text is written into a component
 * instead of a message file; the shared translator runs in Node (the server will use it for the
 * person's statement); the generated GraphQL types match the schema and the pages type-check.
 */
const ROOT = path.resolve(__dirname, '..');
const I18N = path.join(ROOT, 'i18n');
const APP_SRC = path.join(ROOT, 'app/src');
const run = promisify(execFile);

const load = (locale: string, ns: string): Catalog => JSON.parse(readFileSync(path.join(I18N, locale, `${ns}.json`), 'utf8'));
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sources(path.join(dir, d.name)) : /\.tsx?$/.test(d.name) && d.name !== 'generated.ts' ? [path.join(dir, d.name)] : [],
  );

/** Argument names of an ICU message (plural, select and simple arguments). */
const parse = (message: string, _o?: object) => new IntlMessageFormat(message, 'en', undefined, { ignoreTag: true }).getAst();

function argumentsOf(message: string): string[] {
  const out = new Set<string>();
  const walk = (nodes: ReturnType<typeof parse>) => {
    for (const n of nodes as { value?: unknown; options?: Record<string, { value: ReturnType<typeof parse> }> }[]) {
      if (typeof n.value === 'string' && 'type' in n && (n as { type: number }).type !== 0) out.add(n.value);
      for (const o of Object.values(n.options ?? {})) walk(o.value);
    }
  };
  walk(parse(message));
  return [...out].sort();
}

describe('message files', () => {
  const complete = LOCALES.filter((l) => l.status === 'complete').map((l) => l.code);

  it('lists English and Russian as complete and Kazakh, Kyrgyz, Tajik and Uzbek as planned, each with every namespace file', () => {
    expect(complete).toEqual(['en', 'ru']);
    expect(LOCALES.filter((l) => l.status === 'planned').map((l) => l.code)).toEqual(['kk', 'ky', 'tg', 'uz']);
    for (const l of LOCALES) for (const ns of NAMESPACES) expect(() => load(l.code, ns)).not.toThrow();
  });

  it.each(NAMESPACES.map((ns) => [ns]))(
    '%s: every complete locale has the same keys and placeholders as English, every message parses',
    (ns) => {
      const en = load('en', ns);
      for (const code of complete) {
        const cat = load(code, ns);
        const missing = Object.keys(en).filter((k) => !(k in cat));
        const extra = Object.keys(cat).filter((k) => !(k in en));
        expect({ code, missing, extra }).toEqual({ code, missing: [], extra: [] });
        for (const [key, message] of Object.entries(cat)) {
          expect(key.startsWith(`${ns}.`)).toBe(true);
          expect(message.trim()).not.toBe('');
          expect({ key, args: argumentsOf(message) }).toEqual({ key, args: argumentsOf(en[key]) });
        }
      }
      for (const l of LOCALES.filter((x) => x.status === 'planned')) {
        const cat = load(l.code, ns);
        expect(Object.keys(cat).filter((k) => !(k in en))).toEqual([]);
        for (const message of Object.values(cat)) expect(() => parse(message, { ignoreTag: true })).not.toThrow();
      }
    },
  );

  it('has every key the pages use, and no key they do not use', () => {
    const en = mergeNamespaces({ common: load('en', 'common'), app: load('en', 'app'), audit: load('en', 'audit') });
    const used = new Set<string>();
    const prefixes = new Set<string>();
    for (const file of sources(APP_SRC)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/['"`]((?:common|app|audit)\.[\w.]*[\w])['"`]/g)) used.add(m[1]);
      for (const m of text.matchAll(/`((?:common|app|audit)\.[\w.]*)\$\{/g)) prefixes.add(m[1]);
    }
    const missing = [...used].filter((k) => !(k in en));
    const deadPrefixes = [...prefixes].filter((p) => !Object.keys(en).some((k) => k.startsWith(p)));
    const unused = Object.keys(en).filter((k) => !used.has(k) && ![...prefixes].some((p) => k.startsWith(p)));
    expect({ missing, deadPrefixes, unused }).toEqual({ missing: [], deadPrefixes: [], unused: [] });
  });

  it('names every value of the schema enums the pages show', () => {
    const sdl = readFileSync(path.join(ROOT, 'schema/schema.graphql'), 'utf8');
    const en = load('en', 'common');
    const shown = [
      'Section',
      'Sector',
      'Sex',
      'ReturneeStatus',
      'LiteracyLevel',
      'EnrolmentStatus',
      'EngagementStatus',
      'CivilDocumentType',
      'CivilDocumentStatus',
      'SocialSupportKind',
      'SupportSessionKind',
      'HouseholdRelation',
      'ConsentGiver',
      'CaseAccessBasis',
      'ReferralStatus',
      'ReferralDirection',
    ];
    const missing: string[] = [];
    for (const name of shown) {
      const body = new RegExp(`enum ${name} \\{([^}]*)\\}`).exec(sdl)![1];
      for (const value of body
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => /^[A-Z_]+$/.test(l))) {
        if (!(`common.enum.${name}.${value}` in en)) missing.push(`common.enum.${name}.${value}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('interface text lives in message files', () => {
  /** Visible text in JSX: text between tags and the attributes a person reads or hears. */
  it('no component writes interface text in a language', () => {
    const ATTRS = new Set(['title', 'aria-label', 'placeholder', 'alt', 'label']);
    // Letters that are not a language: the UTC abbreviation, and UUID as a format placeholder.
    const neutral = (s: string) => /^(UTC|UUID)$/.test(s.trim()) || !/\p{L}/u.test(s);
    const offences: string[] = [];
    for (const file of sources(APP_SRC).filter((f) => f.endsWith('.tsx'))) {
      const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
      const where = (n: ts.Node) => `${path.relative(ROOT, file)}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
      const visit = (n: ts.Node) => {
        if (ts.isJsxText(n) && !neutral(n.text)) offences.push(`${where(n)} text "${n.text.trim()}"`);
        if (
          ts.isJsxAttribute(n) &&
          ATTRS.has(n.name.getText()) &&
          n.initializer &&
          ts.isStringLiteral(n.initializer) &&
          !neutral(n.initializer.text)
        ) {
          offences.push(`${where(n)} ${n.name.getText()}="${n.initializer.text}"`);
        }
        if (
          ts.isJsxExpression(n) &&
          n.expression &&
          (ts.isStringLiteral(n.expression) || ts.isNoSubstitutionTemplateLiteral(n.expression)) &&
          !neutral(n.expression.text)
        ) {
          offences.push(`${where(n)} {"${n.expression.text}"}`);
        }
        ts.forEachChild(n, visit);
      };
      visit(sf);
    }
    expect(offences).toEqual([]);
  });

  it('the client lays every field of the record out under the section the hub files it under', () => {
    for (const [section, fields] of Object.entries(SECTION_LAYOUT)) {
      const hub = SECTION_FIELDS[section as keyof typeof SECTION_FIELDS].filter((f) => f !== 'caseNumber'); // caseNumber is the title
      expect({ section, fields: [...fields].sort() }).toEqual({ section, fields: [...hub].sort() });
    }
  });
});

describe('the shared translator in Node', () => {
  it('formats Russian plurals, dates and lists by CLDR rules', () => {
    const t = createTranslator('ru', { ru: mergeNamespaces({ common: load('ru', 'common'), app: load('ru', 'app') }) });
    expect([1, 3, 5, 21, 0].map((count) => t.t('app.find.total', { count }))).toEqual([
      '1 человек в вашей области доступа',
      '3 человека в вашей области доступа',
      '5 человек в вашей области доступа',
      '21 человек в вашей области доступа',
      'Никого нет в вашей области доступа',
    ]);
    expect(t.date('2019-05-30')).toMatch(/^30 мая 2019/);
    expect(t.list(['Здравоохранение', 'НКО'])).toBe('Здравоохранение и НКО');
  });

  it('shows a planned locale through its fallbacks and reports each key it lacks', () => {
    const missing: MissingKey[] = [];
    const kk = createTranslator('kk', { kk: {}, ru: load('ru', 'common'), en: load('en', 'common') }, (m) => missing.push(m));
    expect(kk.t('common.signOut')).toBe('Выйти');
    expect(kk.t('common.no.such.key')).toBe('common.no.such.key');
    expect(missing).toEqual([
      { key: 'common.signOut', locale: 'kk', shownFrom: 'ru' },
      { key: 'common.no.such.key', locale: 'kk', shownFrom: null },
    ]);
    expect(kk.date('2019-05-30')).toContain('2019'); // Kazakh month names come from the platform's CLDR data
    expect(createTranslator('uz', { uz: {} }).date('2019-05-30')).toContain('2019');
  });
});

describe('the pages build from typed documents', () => {
  it('app/src/api/generated.ts matches a fresh `npm run codegen:app`', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'hub-app-codegen-'));
    try {
      const target = path.join(dir, 'generated.ts');
      const config = path.join(dir, 'codegen.ts');
      await writeFile(
        config,
        [
          `import config from ${JSON.stringify(path.join(ROOT, 'app/codegen'))};`,
          `const [output] = Object.values(config.generates);`,
          `export default { ...config, silent: true, generates: { ${JSON.stringify(target)}: output } };`,
        ].join('\n'),
      );
      await run(process.execPath, [path.join(ROOT, 'node_modules/@graphql-codegen/cli/esm/bin.js'), '--config', config], {
        cwd: ROOT,
        timeout: 120_000,
      });
      expect(await readFile(path.join(ROOT, 'app/src/api/generated.ts'), 'utf8')).toBe(await readFile(target, 'utf8'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('type-checks (app/tsconfig.json, strict)', async () => {
    await expect(
      run(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', path.join(ROOT, 'app/tsconfig.json')], {
        cwd: ROOT,
        timeout: 120_000,
      }),
    ).resolves.toBeDefined();
  }, 120_000);
});
