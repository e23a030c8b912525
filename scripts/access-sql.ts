import { format } from 'sql-formatter';
import { POLICIES } from '../policies';
import { defineAbilityFor, type Action, type AppAbility } from '../src/access/ability';
import { compileCondition, type Sql } from '../src/access/condition-sql';
import { ROLES, SECTORS, type Role, type Sector } from '../src/access/policy';
import { readProjection, type ReadProjection } from '../src/access/projection';
import { conditionTemplate } from '../src/access/scope';
import { Section, SECTION_FIELDS, sectionsOfField } from '../src/access/sections';
import type { Actor } from '../src/access/actor';
import { minorCutoff } from '../src/common/calendar';
import { byIdKey, witnessesOf } from '../src/returnee/returnee-read.service';
import { buildSelect, columnOf } from '../src/returnee/returnee-select';
import { VIEW_FIELDS } from '../src/returnee/returnee.view';

/**
 * The golden SQL of the access layer (STYLE.md rule 13, like immich's server/src/queries/*.sql):
 * for each sector and each role whose rules differ, the row-scope condition of every action on a
 * returnee and the statements a read runs (the `returnees` page, `returnee(id)`, and
 * `returnee(id)` asking one section at a time), built by the hub's own code: the policy compiler
 * (access/ability.ts), scope.ts, condition-sql.ts, projection.ts and returnee/returnee-select.ts.
 *
 * The caller and the day are fixed, and every value is a bound parameter (`$n`, as the driver
 * sends it) annotated with its meaning, so the files change only when the SQL does.
 * `npm run sql:golden` writes them (scripts/sql-golden.ts); test/sql-golden.test.ts fails when
 * they are stale and EXPLAINs every statement on PostgreSQL.
 */

export const GOLDEN_DIR = 'sql/access';
export const REGENERATE = 'npm run sql:golden';

/** The fixed caller and day; their values appear in the files only as names. */
const AGENCY = '00000000-0000-4000-8000-00000000a9e1';
const COUNTRY = 'KZ';
const DAY = '2026-01-15';
const RECORD = '00000000-0000-4000-8000-0000000000f1';
const FIRST = 20;

const NAMED = new Map<unknown, string>([
  [AGENCY, ':agency'],
  [COUNTRY, ':country'],
  [DAY, ':today'],
  [minorCutoff(DAY), ':today - 18 years'],
  [RECORD, ':id'],
  [FIRST + 1, ':first + 1'],
]);

/** Actions on a returnee whose row scope a service asks for (returneeScope callers). */
const ACTIONS: readonly Action[] = ['read', 'update', 'grantAccess', 'manageConsent', 'readSharing', 'refer'];

/** One statement of a golden file: what it is, and the SQL as the hub runs it. */
export interface GoldenStatement {
  title: string;
  sql: Sql;
}

export interface GoldenFile {
  name: string;
  text: string;
  /** The statements of the file, to EXPLAIN (none in the index). */
  statements: GoldenStatement[];
}

function actorFor(sector: Sector, role: Role): Actor {
  return {
    staffId: '00000000-0000-4000-8000-000000000051',
    username: 'golden',
    displayName: 'Golden SQL',
    roles: [role],
    agencyId: AGENCY,
    agencyCode: 'GOLDEN',
    sector,
    country: COUNTRY,
  };
}

function label(value: unknown): string {
  const named = NAMED.get(value);
  if (named) return named.replace(/\*\//g, '');
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
}

/** `?` placeholders (knex style, as the hub writes them) as the `$n` the driver sends, annotated. */
export function numbered(sql: Sql): string {
  let n = 0;
  const text = sql.text.replace(/\?/g, () => {
    const i = n++;
    if (i >= sql.params.length) throw new Error(`golden SQL: more placeholders than parameters in ${sql.text}`);
    return `$${i + 1} /* ${label(sql.params[i])} */`;
  });
  if (n !== sql.params.length) throw new Error(`golden SQL: ${sql.params.length} parameters for ${n} placeholders in ${sql.text}`);
  return text;
}

/** `?` as `$n` without annotations: the text to hand to PostgreSQL with `sql.params`. */
export function positional(sql: Sql): string {
  let n = 0;
  return sql.text.replace(/\?/g, () => `$${++n}`);
}

/** The statement as the golden file shows it: `$n` annotated, formatted. */
export function pretty(sql: Sql): string {
  return format(numbered(sql), { language: 'postgresql', tabWidth: 2, keywordCase: 'preserve', expressionWidth: 80 });
}

/** Each action's row scope for one ability, as a statement; null where no rule grants it. */
function scopesOf(ability: AppAbility): Map<Action, Sql | null> {
  const out = new Map<Action, Sql | null>();
  for (const action of ACTIONS) {
    // As returneeScope(): a read's rows are those whose reference (`id`) the caller may read.
    const template = conditionTemplate(ability, action, action === 'read' ? 'id' : undefined);
    const condition = template === null ? null : compileCondition(template);
    out.set(action, condition && { text: `select r.id from returnee r where ${condition.text}`, params: condition.params });
  }
  return out;
}

/** "update, grantAccess (SUPERVISOR only)": the actions of `pairs`, naming roles where not all of the file's. */
function actionsTitle(pairs: { action: Action; role: Role }[], roles: Role[], some = (who: Role[]) => ` (${who.join(', ')} only)`): string {
  return ACTIONS.filter((a) => pairs.some((p) => p.action === a))
    .map((a) => {
      const who = roles.filter((r) => pairs.some((p) => p.action === a && p.role === r));
      return who.length === roles.length ? a : `${a}${some(who)}`;
    })
    .join(', ');
}

function scopeSection(scopes: Map<Role, Map<Action, Sql | null>>, roles: Role[]): { lines: string[]; statements: GoldenStatement[] } {
  const bySql = new Map<string, { sql: Sql; pairs: { action: Action; role: Role }[] }>();
  const none: { action: Action; role: Role }[] = [];
  for (const role of roles) {
    for (const [action, sql] of scopes.get(role)!) {
      if (sql === null) {
        none.push({ action, role });
        continue;
      }
      const key = JSON.stringify(sql);
      const same = bySql.get(key) ?? { sql, pairs: [] };
      same.pairs.push({ action, role });
      bySql.set(key, same);
    }
  }
  const statements = [...bySql.values()].map((s) => ({ title: `Row scope of ${actionsTitle(s.pairs, roles)}`, sql: s.sql }));
  const denied = actionsTitle(none, roles, (who) => ` to ${who.join(', ')}`);
  const lines = none.length > 0 ? [`-- No rule grants ${denied}: refused before any query.`, ''] : [];
  return { lines, statements };
}

const REFERENCE = new Set(SECTION_FIELDS.REFERENCE);
const sectionsOf = (fields: Iterable<string>) =>
  [...new Set([...fields].flatMap((f) => sectionsOfField(f)))].filter((s) => s !== 'REFERENCE');

function groupsComment(p: ReadProjection): string[] {
  const out = [`Fields on every record in scope: ${[...p.base].join(', ')}`];
  p.groups.forEach((g, i) => {
    out.push(`Group g${i} (${sectionsOf(g.fields).join(', ')}): ${[...g.fields].join(', ')}; shown only where its condition holds`);
  });
  return out;
}

function readStatements(p: ReadProjection, ability: AppAbility): { statements: GoldenStatement[]; unreadable: Section[] } {
  const statements: GoldenStatement[] = [];
  // As the read services ask it: the basis of each shared section shown (access/basis.ts).
  const witnesses = witnessesOf(ability, p);
  // `returnees(first: 20)` with every field and redactedFields, default order (caseNumber asc):
  // the where of returnee-list.service.ts with no filter and no cursor is the row scope.
  const list = buildSelect({
    projection: p,
    fields: [...VIEW_FIELDS],
    allGroups: true,
    where: { text: p.scopeSql.text, params: p.scopeSql.params },
    // each branch of the scope read in index order with its own limit, as the service does
    branches: p.scopeBranches.map((b) => ({ text: b.text, params: b.params })),
    recheck: p.scopeOverFacts,
    orderBy: { column: columnOf('caseNumber'), direction: 'asc' },
    limit: FIRST + 1,
    witnesses,
  });
  statements.push({ title: 'returnees(first: 20) { every field, redactedFields }', sql: list.sql });
  const byId = buildSelect({ projection: p, fields: [...VIEW_FIELDS], allGroups: true, byIds: byIdKey(RECORD), witnesses });
  statements.push({ title: 'returnee(id) { every field, redactedFields }', sql: byId.sql });
  const unreadable: Section[] = [];
  for (const section of Object.values(Section)) {
    if (section === Section.REFERENCE) continue;
    const fields = SECTION_FIELDS[section].filter((f) => !REFERENCE.has(f));
    if (!fields.some((f) => p.readable.has(f))) {
      unreadable.push(section);
      continue;
    }
    const plan = buildSelect({ projection: p, fields, allGroups: false, byIds: byIdKey(RECORD), witnesses });
    statements.push({ title: `returnee(id) { ${section}: ${fields.join(', ')} }`, sql: plan.sql });
  }
  return { statements, unreadable };
}

interface RoleSql {
  role: Role;
  scopes: Map<Action, Sql | null>;
  /** Null when the role reads no returnee at all. */
  projection: ReadProjection | null;
  ability: AppAbility;
}

/** Roles with the same reads share a file; their row scopes are listed per action (and role where they differ). */
function readsKey(r: RoleSql): string {
  return r.projection === null ? 'none' : JSON.stringify(readStatements(r.projection, r.ability).statements.map((s) => s.sql));
}

function fileBody(group: RoleSql[]): { lines: string[]; statements: GoldenStatement[] } {
  const roles = group.map((g) => g.role);
  const lines: string[] = [];
  const statements: GoldenStatement[] = [];
  const emit = (s: GoldenStatement) => {
    statements.push(s);
    lines.push(`-- ${s.title}`, `${pretty(s.sql)};`, '');
  };
  lines.push('-- == Row scope: the returnee rows each action reaches (src/access/scope.ts, condition-sql.ts) ==', '');
  const scope = scopeSection(new Map(group.map((g) => [g.role, g.scopes])), roles);
  scope.statements.forEach(emit);
  lines.push(...scope.lines);
  lines.push('-- == Reads: field scope as a projection (src/access/projection.ts, src/returnee/returnee-select.ts) ==', '');
  const p = group[0].projection;
  if (p === null) {
    lines.push('-- No read rule: every read is refused before any query.', '');
    return { lines, statements };
  }
  lines.push(...groupsComment(p).map((l) => `-- ${l}`), '');
  const reads = readStatements(p, group[0].ability);
  reads.statements.forEach(emit);
  if (reads.unreadable.length > 0) lines.push(`-- Sections never shown: ${reads.unreadable.join(', ')}.`, '');
  return { lines, statements };
}

function header(sector: Sector, roles: Role[], name: string): string[] {
  const policyFile = `policies/${sector.toLowerCase()}.policy.ts`;
  return [
    `-- GENERATED by \`${REGENERATE}\` (scripts/sql-golden.ts): do not edit.`,
    `-- The SQL the access layer builds from ${policyFile} for sector ${sector}, role${roles.length > 1 ? 's' : ''} ${roles.join(', ')}.`,
    '-- After changing a policy or src/access, src/returnee/returnee-select.ts: run the command and review',
    `-- the diff of ${GOLDEN_DIR}/${name}; test/sql-golden.test.ts fails while it is stale.`,
    "-- Values are bound parameters ($n), annotated: :agency is the caller's agency, :country its country,",
    '-- :today the day of the request (fixed here), :id the record asked for; quoted values come from the policy.',
    '',
  ];
}

/** Every golden file, plus the index (README.md) of which file covers which sector and role. */
export function goldenFiles(): GoldenFile[] {
  const files: GoldenFile[] = [];
  const index = new Map<string, string>(); // `${sector} ${role}` -> row, output in SECTORS x ROLES order
  const now = new Date(`${DAY}T12:00:00Z`);
  for (const sector of SECTORS) {
    if (!POLICIES[sector]) continue;
    const groups = new Map<string, RoleSql[]>();
    for (const role of ROLES) {
      const ability = defineAbilityFor(actorFor(sector, role), now);
      const r: RoleSql = { role, scopes: scopesOf(ability), projection: readProjection(ability), ability };
      if (r.projection === null && [...r.scopes.values()].every((s) => s === null)) {
        index.set(`${sector} ${role}`, `| ${sector} | ${role} | no returnee access: refused before any query |`);
        continue;
      }
      const key = readsKey(r);
      groups.set(key, [...(groups.get(key) ?? []), r]);
    }
    for (const group of groups.values()) {
      const roles = group.map((g) => g.role);
      const name = `${sector.toLowerCase()}-${roles.map((r) => r.toLowerCase()).join('-')}.sql`;
      const b = fileBody(group);
      const text = [...header(sector, roles, name), ...b.lines].join('\n').replace(/\n+$/, '\n');
      files.push({ name, statements: b.statements, text });
      for (const role of roles) index.set(`${sector} ${role}`, `| ${sector} | ${role} | [${name}](${name}) |`);
    }
  }
  const rows = SECTORS.flatMap((sector) => ROLES.map((role) => index.get(`${sector} ${role}`)).filter((r) => r !== undefined));
  return [...files, readme(rows)];
}

function readme(rows: string[]): GoldenFile {
  const text = [
    '# Golden SQL of the access layer',
    '',
    `Generated by \`${REGENERATE}\` (scripts/sql-golden.ts); do not edit. Each file holds the SQL the hub`,
    'builds from one sector policy (policies/) for the roles named in it: the row scope of each action',
    'on a returnee, and the statements of a read (a page of `returnees`, `returnee(id)`, and',
    '`returnee(id)` asking one section at a time). A policy change shows here as a SQL diff;',
    'test/sql-golden.test.ts fails while these files are stale and EXPLAINs every statement on PostgreSQL.',
    '',
    '| Sector | Role | SQL |',
    '| --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
  return { name: 'README.md', statements: [], text };
}
