import type { Knex } from '@mikro-orm/postgresql';
import { conditionSql, inline } from '../access/condition-sql';
import { fieldCondition, type ReadProjection } from '../access/projection';
import type { MatchCandidate } from './match-score';
import { NAME_KEY_VERSION } from './name-keys';

/**
 * The candidates for one duplicate check, in one statement, as the caller may see them:
 *
 *   rows:    the caller's row scope (the same SQL as every read, access/projection.ts), on records
 *            whose names the caller may read, whose given and family keys are each trigram-similar
 *            to the input's (pg_trgm `%` over the key vocabulary, nearRowsSql, in either order) or
 *            whose keys, other spellings and the patronymic included, name the same given|family
 *            pair (`@>`, GIN); the most similar first, at most LIMIT — the scope is a condition of
 *            the same WHERE, so the LIMIT only ever counts records the caller may see;
 *   columns: each compared field only where the caller may read it on that record (the CASE of
 *            its field group, as the read path does), so a value the caller may not see never
 *            leaves the database and never shapes a score.
 *
 * A record outside the scope is never a candidate: nothing about it reaches the hub process.
 */
export const CANDIDATE_LIMIT = 40;

/**
 * Trigram similarity of primary name keys at which a record becomes a candidate. pg_trgm's `%`
 * (indexed) keeps rows at or above its threshold setting, 0.3 unless an operator changed it; the
 * statement then keeps those at or above this. No SET per check: one statement, no transaction.
 */
export const NAME_SIMILARITY_THRESHOLD = 0.4;

/** Each of the given and the family key must be this close (the migration sets `%` to the same). */
export const PART_SIMILARITY = 0.45;

/** Compared fields and their SQL over the candidate row `c` (GraphQL field → expression). */
const COMPARED: Readonly<Record<string, string>> = {
  otherNames: 'c.other_names',
  patronymic: 'c.patronymic',
  sex: 'c.sex',
  dateOfBirth: 'c.date_of_birth::text',
  dateOfBirthEstimated: 'c.date_of_birth_estimated',
  placeOfBirth: 'c.place_of_birth',
  guardianReturneeId: 'c.guardian_returnee_id',
  guardianName: 'c.guardian_name',
  civilDocuments: `(select coalesce(array_agg(d.number), '{}') from civil_document d
     where d.returnee_id = c.id and d.superseded_at is null and d.number is not null)`,
};

export interface CandidateRow {
  id: string;
  caseNumber: string;
  /** The candidate with the fields the caller may read on it (others undefined). */
  candidate: MatchCandidate;
  /** The fields the comparison may use on this record (all of them are readable by the caller). */
  readable: string[];
}

export interface SearchSpec {
  projection: ReadProjection;
  nameKey: string;
  givenKey: string;
  familyKey: string;
  /** "given|family", for the exact branch (`@>` on every reading of the record's name). */
  pair: string;
  /** Orders people of one name by how close they were born. */
  dateOfBirth?: string | null;
  excludeId?: string;
}

/**
 * The ids of the rows whose given key is trigram-similar (pg_trgm `%`) to `given` and family key
 * to `family`, or given to `swappedGiven` and family to `swappedFamily` (fields swapped by a
 * clerk), or — when `pair` is not null — whose name pairs hold that "given|family" pair (any
 * reading of the name, GIN). The similar keys come from the vocabulary (name_key_term: a few
 * hundred words, trigram GIN), then the rows from the btree on (given_key, family_key): the cost
 * follows the number of similar NAMES, not of records sharing one common half of a name.
 * Arguments are SQL expressions (`?` placeholders, or columns of an outer row).
 */
export function nearRowsSql(given: string, family: string, swappedGiven: string, swappedFamily: string, pair: string | null): string {
  const similar = (g: string, f: string) => `select g.term, f.term from name_key_term g cross join name_key_term f
          where g.kind = 'GIVEN' and g.term % ${g} and f.kind = 'FAMILY' and f.term % ${f}`;
  const fuzzy = `select n.returnee_id from returnee_name_key n where (n.given_key, n.family_key) in (
        ${similar(given, family)}
        union all ${similar(swappedGiven, swappedFamily)})`;
  return pair === null
    ? fuzzy
    : `${fuzzy} union all select n.returnee_id from returnee_name_key n where n.name_pairs @> array[${pair}]::text[]`;
}

/** `true`, or the field's group condition over `alias`, with its values appended to `params`. */
export function gate(p: ReadProjection, field: string, alias: string, params: unknown[]): string {
  const group = fieldCondition(p, field);
  if (!group) return 'true';
  return alias === 'r' ? inline(group.sql, params) : conditionSql(group.template, alias, params);
}

/** The statement of one search; `?` placeholders in text order, values appended as the text is built. */
export function candidateSql(spec: SearchSpec): { text: string; params: unknown[] } {
  const p = spec.projection;
  const fields = comparedFields(p);
  const params: unknown[] = [];
  // Outer columns first (they come first in the text): each value only where its group held.
  const columns = fields.map(
    (f, i) => `case when c.ok${i} then ${f === 'guardianReturneeId' ? guardianColumn(p, params) : COMPARED[f]} end as v${i}`,
  );
  // Whether a record the caller could find still waits for its keys: in its scope, names readable
  // (a stale record elsewhere must not change `complete`, nor make the check fill keys first).
  params.push(NAME_KEY_VERSION);
  const staleScope = `${inline(p.scopeSql, params)} and ${gate(p, 'givenName', 'r', params)} and ${gate(p, 'familyName', 'r', params)}`;
  params.push(spec.nameKey);
  // Each field group's condition once per candidate row (`offset 0` keeps it out of every CASE).
  const flags = fields.map((f, i) => `${gate(p, f, 'r', params)} as ok${i}`);
  // The exact branch looks at other spellings and the patronymic too: only where those are readable.
  const exactAllowed = p.readable.has('otherNames') && p.readable.has('patronymic');
  // Close on both halves, in either order (a clerk may swap the fields): the rows carrying a
  // similar given AND a similar family key, found through the key vocabulary (nearRowsSql).
  params.push(spec.givenKey, spec.familyKey, spec.familyKey, spec.givenKey);
  if (exactAllowed) params.push(spec.pair);
  const near = nearRowsSql('?', '?', '?', '?', exactAllowed ? '?' : null);
  // The same conditions on each row found (the vocabulary's `%` is pg_trgm's threshold, which
  // the migration sets to PART_SIMILARITY): similar enough as a whole, and half by half.
  params.push(
    spec.nameKey,
    NAME_SIMILARITY_THRESHOLD,
    spec.givenKey,
    spec.familyKey,
    PART_SIMILARITY,
    spec.familyKey,
    spec.givenKey,
    PART_SIMILARITY,
  );
  let exact = 'false';
  if (exactAllowed) {
    exact = `(${gate(p, 'otherNames', 'r', params)} and ${gate(p, 'patronymic', 'r', params)} and k.name_pairs @> array[?]::text[])`;
    params.push(spec.pair);
  }
  const scope = inline(p.scopeSql, params);
  const nameGates = `${gate(p, 'givenName', 'r', params)} and ${gate(p, 'familyName', 'r', params)}`;
  let exclusion = '';
  if (spec.excludeId) {
    exclusion = ' and r.id <> ?';
    params.push(spec.excludeId);
  }
  // Among people of one name (common names have dozens), those born closest first: the LIMIT
  // keeps them. Only where the caller may read the date of birth, like every compared field.
  let birthOrder = '';
  if (spec.dateOfBirth && p.readable.has('dateOfBirth')) {
    birthOrder = `case when ${gate(p, 'dateOfBirth', 'r', params)} then abs(r.date_of_birth - ?::date) end nulls last,`;
    params.push(spec.dateOfBirth);
  }
  params.push(CANDIDATE_LIMIT);
  // The records found through the vocabulary drive the join, each read by its key: `offset 0`
  // keeps the planner from scanning returnee and testing each row against the found set, the
  // plan it picks when statistics predate the table's growth (N x N comparisons; see pair-store.ts).
  const rows = `select r.*, similarity(k.name_key, ?) as name_similarity${flags.map((f) => `, ${f}`).join('')}
    from (select distinct x.returnee_id from (${near}) x) near
    join returnee_name_key k on k.returnee_id = near.returnee_id
    cross join lateral (select x.* from returnee x where x.id = near.returnee_id offset 0) r
    where (similarity(k.name_key, ?) >= ?
        and (least(similarity(k.given_key, ?), similarity(k.family_key, ?)) >= ? or least(similarity(k.given_key, ?), similarity(k.family_key, ?)) >= ?)
      or ${exact})
      and ${scope} and ${nameGates}${exclusion}
    order by name_similarity desc, ${birthOrder} r.id limit ? offset 0`;
  // Whether some record in scope still waits for its keys, in the same statement (one row even when no candidate).
  return {
    text: `select s.stale, c.id, c.case_number, c.given_name, c.family_name${fields.map((_, i) => `, c.ok${i}`).join('')}${columns.map((col) => `, ${col}`).join('')}
      from (select exists (select 1 from returnee_name_key sk join returnee r on r.id = sk.returnee_id
                            where sk.key_version < ? and ${staleScope}) as stale) s
      left join lateral (${rows}) c on true order by c.name_similarity desc nulls last, c.id`,
    params,
  };
}

function comparedFields(p: ReadProjection): string[] {
  return Object.keys(COMPARED).filter((f) => p.readable.has(f));
}

/**
 * The guardian link as `id|name key of the guardian record`: the key only when the guardian
 * record is in the caller's scope with its names readable (the same rules as any read).
 */
function guardianColumn(p: ReadProjection, params: unknown[]): string {
  const key = `(select gk.name_key from returnee g join returnee_name_key gk on gk.returnee_id = g.id
     where g.id = c.guardian_returnee_id and ${conditionSql(p.scopeTemplate, 'g', params)}
       and ${gate(p, 'givenName', 'g', params)} and ${gate(p, 'familyName', 'g', params)})`;
  return `c.guardian_returnee_id::text || '|' || coalesce(${key}, '')`;
}

type Row = Record<string, unknown>;

function toCandidate(row: Row, fields: string[]): CandidateRow {
  const candidate: MatchCandidate = { givenName: row.given_name as string, familyName: row.family_name as string };
  const readable = ['givenName', 'familyName'];
  fields.forEach((f, i) => {
    if (row[`ok${i}`] !== true) return;
    readable.push(f);
    const value = row[`v${i}`];
    if (f === 'guardianReturneeId') {
      const [id, key] = typeof value === 'string' ? value.split('|') : [null, ''];
      candidate.guardianReturneeId = id;
      candidate.guardianKey = key || null;
    } else if (f === 'civilDocuments') {
      candidate.documentNumbers = (value as string[] | null) ?? [];
    } else {
      (candidate as Record<string, unknown>)[f] = value;
    }
  });
  return { id: row.id as string, caseNumber: row.case_number as string, candidate, readable };
}

/**
 * Runs the search (in the caller's transaction when `db` is one). Rows whose keys are stale
 * still carry their previous keys and are searched with them; `stale` says some exist in the
 * caller's scope (records elsewhere are none of its business, not even as a count).
 */
export async function searchCandidates(db: Knex | Knex.Transaction, spec: SearchSpec): Promise<{ rows: CandidateRow[]; stale: boolean }> {
  const sql = candidateSql(spec);
  const { rows } = (await db.raw(sql.text, sql.params as Knex.RawBinding[])) as { rows: Row[] };
  const fields = comparedFields(spec.projection);
  return { rows: rows.filter((row) => row.id !== null).map((row) => toCandidate(row, fields)), stale: rows[0]?.stale === true };
}

/** The name key of the caller's guardian record, when it is in scope with its names readable. */
export async function guardianKeyOf(trx: Knex | Knex.Transaction, p: ReadProjection, guardianId: string): Promise<string | null> {
  const params: unknown[] = [guardianId];
  const text = `select k.name_key from returnee r join returnee_name_key k on k.returnee_id = r.id
    where r.id = ? and ${inline(p.scopeSql, params)} and ${gate(p, 'givenName', 'r', params)} and ${gate(p, 'familyName', 'r', params)}`;
  const { rows } = (await trx.raw(text, params as Knex.RawBinding[])) as { rows: { name_key: string | null }[] };
  return rows[0]?.name_key ?? null;
}
