import { hash } from 'node:crypto';

/**
 * The one definition of what a chain link commits to. Sealer and verifier both read events
 * with `EVENT_COLUMNS_SQL` and hash them with `linkHash`, so they cannot drift apart.
 *
 * Every stored column of `audit_event` is covered, in this fixed order; a test compares this
 * list with the table, so a new column cannot be added without deciding how it is hashed.
 * Values are read as the database renders them as text (ids, uuids) or in a fixed format
 * (the timestamp in UTC with microseconds, which is all a timestamptz holds), never through
 * JavaScript Dates, which would drop the microseconds. The text[] columns come as JSON, which
 * the driver parses natively (the same string arrays; parsing PostgreSQL's array text form in
 * JavaScript was a visible share of the hub's CPU under load, see docs/bench.md).
 */
export const CANONICAL_COLUMNS = [
  'id',
  'occurred_at',
  'request_id',
  'staff_id',
  'agency_id',
  'action',
  'entity_type',
  'entity_id',
  'returnee_id',
  'fields',
  'denied_fields',
  'purpose',
  'operation',
  'outcome',
  'reason',
  // Added after v1, nullable: appended to the form only when not null (see canonicalEvent).
  'correlation_id',
  // The basis of a disclosure (src/access/basis.ts), as jsonb's own text form, and its keys.
  'basis',
  'basis_keys',
] as const;

/** How many columns the v1 form always holds; the later ones are trailing and optional. */
const V1_COLUMN_COUNT = 15;

/** Bump when the serialisation changes; it is hashed into every link. */
export const CANONICAL_VERSION = 'v1';

export const GENESIS_HASH = Buffer.alloc(32);

/** `to_char` format of a timestamptz in UTC with microseconds (all it holds), ISO 8601. */
export const ISO_US = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;

/** The event columns as text, for a query over `audit_event` aliased `e`. */
export const EVENT_COLUMNS_SQL = `e.id::text as id,
  to_char(e.occurred_at at time zone 'UTC', ${ISO_US}) as occurred_at,
  e.request_id::text as request_id, e.staff_id::text as staff_id, e.agency_id::text as agency_id,
  e.action, e.entity_type, e.entity_id, e.returnee_id::text as returnee_id,
  to_json(e.fields) as fields, to_json(e.denied_fields) as denied_fields,
  e.purpose, e.operation, e.outcome, e.reason, e.correlation_id,
  e.basis::text as basis, to_json(e.basis_keys) as basis_keys`;

export interface CanonicalEventRow {
  id: string;
  occurred_at: string;
  request_id: string;
  staff_id: string | null;
  agency_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  returnee_id: string | null;
  fields: string[];
  denied_fields: string[];
  purpose: string | null;
  operation: string | null;
  outcome: string;
  reason: string | null;
  correlation_id: string | null;
  basis: string | null;
  basis_keys: string[] | null;
}

/**
 * JSON array in CANONICAL_COLUMNS order: JSON.stringify of strings, nulls and arrays is
 * deterministic. Columns added after v1 are left out from the last non-null one on: an event
 * stored before they existed (null in them) hashes exactly as it did, so the chain sealed
 * then still verifies, while a value in them is covered: setting, changing or clearing one
 * changes the form, and the stored link no longer matches.
 */
export function canonicalEvent(row: CanonicalEventRow): string {
  const values: unknown[] = [CANONICAL_VERSION];
  for (const c of CANONICAL_COLUMNS) values.push(row[c] ?? null);
  while (values.length > V1_COLUMN_COUNT + 1 && values[values.length - 1] === null) values.pop();
  return JSON.stringify(values);
}

/**
 * Each column's value as the canonical form holds it, in SQL over `audit_event e`: the same
 * text `EVENT_COLUMNS_SQL` reads, so `to_json` of it is what `JSON.stringify` makes of the
 * value read (PostgreSQL and JavaScript escape JSON strings alike: `"`, `\\`, the C0 controls;
 * neither escapes anything else).
 */
const VALUE_SQL: Record<(typeof CANONICAL_COLUMNS)[number], string> = {
  id: 'e.id::text',
  occurred_at: `to_char(e.occurred_at at time zone 'UTC', ${ISO_US})`,
  request_id: 'e.request_id::text',
  staff_id: 'e.staff_id::text',
  agency_id: 'e.agency_id::text',
  action: 'e.action',
  entity_type: 'e.entity_type',
  entity_id: 'e.entity_id',
  returnee_id: 'e.returnee_id::text',
  fields: 'e.fields',
  denied_fields: 'e.denied_fields',
  purpose: 'e.purpose',
  operation: 'e.operation',
  outcome: 'e.outcome',
  reason: 'e.reason',
  correlation_id: 'e.correlation_id',
  basis: 'e.basis::text',
  basis_keys: 'e.basis_keys',
};

/**
 * `canonicalEvent` in SQL, for verification inside the database (audit-walk.ts): only the
 * links that do not match travel to the verifier, which then checks them again with
 * `canonicalEvent` itself before it reports anything. A column added after v1 is emitted when
 * it or a later one is not null, as `canonicalEvent` drops the trailing nulls.
 */
export function canonicalSql(): string {
  const json = (c: (typeof CANONICAL_COLUMNS)[number]) =>
    PLAIN_SQL.has(c) ? `coalesce('"' || ${VALUE_SQL[c]} || '"', 'null')` : `coalesce(to_json(${VALUE_SQL[c]})::text, 'null')`;
  const v1 = CANONICAL_COLUMNS.slice(0, V1_COLUMN_COUNT).map(json);
  const later = CANONICAL_COLUMNS.slice(V1_COLUMN_COUNT).map((c, i, rest) => {
    const anyFromHere = rest.slice(i).map((r) => `${VALUE_SQL[r]} is not null`);
    return `case when ${anyFromHere.join(' or ')} then ',' || ${json(c)} else '' end`;
  });
  return `'["${CANONICAL_VERSION}",' || ${v1.join(" || ',' || ")}${later.map((l) => ` || ${l}`).join('')} || ']'`;
}

/** Columns whose text (digits, a uuid, the fixed timestamp format) never needs JSON escaping: quoted as they are, which is cheaper. */
const PLAIN_SQL: ReadonlySet<string> = new Set(['id', 'occurred_at', 'request_id', 'staff_id', 'agency_id', 'returnee_id']);

/** SHA-256(previous hash ‖ position as 8 bytes big-endian ‖ canonical event as UTF-8). */
export function linkHash(previous: Buffer, position: bigint, row: CanonicalEventRow): Buffer {
  // The three parts in one buffer and one-shot hashing: a Hash object per link was a visible
  // share of the sealer's CPU (which runs in every hub process, docs/bench.md). Same bytes.
  const canonical = canonicalEvent(row);
  const input = Buffer.allocUnsafe(previous.length + 8 + Buffer.byteLength(canonical, 'utf8'));
  previous.copy(input, 0);
  input.writeBigUInt64BE(position, previous.length);
  input.write(canonical, previous.length + 8, 'utf8');
  return hash('sha256', input, 'buffer');
}
