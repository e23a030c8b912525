import { getNamedType, getNullableType, isListType, isObjectType, type GraphQLOutputType, type GraphQLSchema } from 'graphql';
import { ALL_RETURNEE_FIELDS } from '../../src/access/sections';
import type { AuditRow } from '../support/audit';
import { AUDITED_TYPES, DISCLOSURES, type FieldClass } from './disclosure-map';
import type { RecordAccess } from './record-access';

/**
 * The two oracles over one response, walking `data` with the schema's types and the
 * declaration of disclosure-map.ts:
 * - projection: a value that discloses a field of a record is there only if the compiled policy
 *   lets the caller read that field on that record; otherwise it is null and `redactedFields`
 *   names it (exactly the hidden ones); cursors carry no record value, counts only records in
 *   scope, error messages no value the caller may not read;
 * - audit completeness: the trail holds, under the response's request id, READ events whose
 *   field lists name, per record, exactly the record fields the response disclosed (every one
 *   the caller selected and may read; none other), and one READ event per object of an audited
 *   kind (consent, referral, revision), none for objects not returned.
 */
export interface Problem {
  oracle: 'projection' | 'audit';
  /** The object types the problem comes from (to label problems another branch fixes). */
  types: string[];
  text: string;
}

export interface Exchange {
  label: string;
  root: string;
  /** The root field is a mutation's (default: a query's). */
  mutation?: boolean;
  /** The returnee id passed to the root field, if any (the enclosing record of what it returns). */
  rid?: string;
  requestId: string;
  data: Record<string, unknown> | null | undefined;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

type Sources = Map<string, Map<string, Set<string>>>; // record -> field -> object types it came from

function add(map: Sources, record: string, field: string, source: string): void {
  let fields = map.get(record);
  if (!fields) map.set(record, (fields = new Map()));
  let sources = fields.get(field);
  if (!sources) fields.set(field, (sources = new Set()));
  sources.add(source);
}

interface Walk {
  access: RecordAccess;
  expected: Sources;
  named: Set<string>;
  audited: { entityType: string; id: string }[];
  problems: Problem[];
  scopeCount: number;
}

type RecordClass = Extract<FieldClass, { record: string }>;
const isRecordClass = (c: FieldClass | undefined): c is RecordClass => typeof c === 'object';

/** Field names whose opened form would be a record value: what a cursor must never contain. */
function cursorProblem(cursor: unknown, w: Walk): string | undefined {
  if (typeof cursor !== 'string') return undefined;
  const opened = ['base64url', 'base64', 'hex'].map((e) => Buffer.from(cursor, e as BufferEncoding).toString('latin1')).join('\n') + cursor;
  if (/\d{4}-\d{2}-\d{2}/.test(opened)) return 'a date';
  for (const id of w.named) if (opened.includes(id)) return `the id ${id}`;
  return undefined;
}

/**
 * `enclosing`: the nearest record above (or the root field's record argument); `referral`: the
 * nearest referral above, whose agencies see the record it names on the referral's basis.
 */
function walk(w: Walk, value: unknown, type: GraphQLOutputType, enclosing: string | undefined, path: string, referral?: string): void {
  if (value === null || value === undefined) return;
  const inner = getNullableType(type);
  if (isListType(inner)) {
    (value as unknown[]).forEach((v, i) => walk(w, v, inner.ofType, enclosing, `${path}[${i}]`, referral));
    return;
  }
  const named = getNamedType(type);
  if (!isObjectType(named)) return;
  const decl = DISCLOSURES[named.name];
  if (!decl) return; // unclassified types fail the declaration test
  const obj = value as Record<string, unknown>;
  const fields = named.getFields();
  const names = Object.values(decl.fields).some((c) => isRecordClass(c) && c.record === 'named');
  const own = names && typeof obj.id === 'string' ? obj.id : undefined;
  if (names && !own)
    w.problems.push({ oracle: 'audit', types: [named.name], text: `${path}: a ${named.name} without its id cannot be attributed` });
  if (own) w.named.add(own);
  if (decl.audited && typeof obj.id === 'string') w.audited.push({ entityType: decl.audited, id: obj.id });
  const below = decl.audited === 'Referral' && typeof obj.id === 'string' ? obj.id : referral;
  const recordOf = (c: { record: 'named' | 'enclosing' }) => (c.record === 'named' ? own : enclosing);
  const shownTo = (c: RecordClass, record: string) =>
    w.access.canRead(record, c.field) || (c.basis === 'referral' && w.access.partyToReferral(referral, record));

  for (const [key, v] of Object.entries(obj)) {
    const cls = decl.fields[key];
    const where = `${path}.${key}`;
    if (isRecordClass(cls)) {
      const record = recordOf(cls);
      if (!record) {
        w.problems.push({ oracle: 'projection', types: [named.name], text: `${where}: no record to attribute ${cls.field} to` });
        continue;
      }
      const readable = shownTo(cls, record);
      if (readable) add(w.expected, record, cls.field, named.name);
      else if (v !== null)
        w.problems.push({
          oracle: 'projection',
          types: [named.name],
          text: `${where} carries ${cls.field} of record ${record}, which the policy hides from the caller`,
        });
      walk(w, v, fields[key].type, own ?? enclosing, where, below);
    } else if (cls === 'object') {
      walk(w, v, fields[key].type, own ?? enclosing, where, below);
    } else if (cls === 'cursor') {
      const leak = cursorProblem(v, w);
      if (leak) w.problems.push({ oracle: 'projection', types: [named.name], text: `${where}: the cursor opens to ${leak}` });
    } else if (cls === 'count') {
      if (v !== w.scopeCount)
        w.problems.push({
          oracle: 'projection',
          types: [named.name],
          text: `${where} is ${v}, but ${w.scopeCount} records are in the caller's scope`,
        });
    } else if (cls === 'zero') {
      if (v !== 0) w.problems.push({ oracle: 'projection', types: [named.name], text: `${where} is ${v}, not 0` });
    }
  }
  if ('redactedFields' in obj) checkRedacted(w, named.name, obj, own, enclosing, path);
  if ('fields' in obj || 'previous' in obj) checkRevised(w, named.name, obj, enclosing, path);
}

/** `redactedFields` names exactly the object's fields that disclose something the caller may not read. */
function checkRedacted(
  w: Walk,
  type: string,
  obj: Record<string, unknown>,
  own: string | undefined,
  enclosing: string | undefined,
  path: string,
): void {
  const decl = DISCLOSURES[type];
  const hidden = Object.entries(decl.fields)
    .filter(
      ([, c]) =>
        isRecordClass(c) &&
        (c.record === 'named' ? own : enclosing) !== undefined &&
        !w.access.canRead((c.record === 'named' ? own : enclosing)!, c.field),
    )
    .map(([name]) => name);
  const expected = type === 'Returnee' ? ALL_RETURNEE_FIELDS.filter((f) => hidden.includes(f)) : hidden;
  const got = [...(obj.redactedFields as string[])].sort();
  if (JSON.stringify(got) !== JSON.stringify([...expected].sort())) {
    w.problems.push({
      oracle: 'projection',
      types: [type],
      text: `${path}.redactedFields is [${got}], the policy hides [${[...expected].sort()}]`,
    });
  }
}

/** A history entry names fields of its record: each readable, none missing from the trail, never none. */
function checkRevised(w: Walk, type: string, obj: Record<string, unknown>, enclosing: string | undefined, path: string): void {
  const decl = DISCLOSURES[type];
  if (decl.fields.fields !== 'revised') return;
  const lists = [obj.fields as string[] | undefined, obj.previous ? Object.keys(obj.previous as object) : undefined].filter(
    (l): l is string[] => !!l,
  );
  if (!enclosing) return;
  for (const list of lists) {
    if (list.length === 0)
      w.problems.push({ oracle: 'projection', types: [type], text: `${path} shows a change of no field the caller may read` });
    for (const f of list) {
      if (!w.access.canRead(enclosing, f))
        w.problems.push({ oracle: 'projection', types: [type], text: `${path} shows a change of ${f}, hidden from the caller` });
      else add(w.expected, enclosing, f, type);
    }
  }
  if (lists.length === 2 && JSON.stringify([...lists[0]].sort()) !== JSON.stringify([...lists[1]].sort())) {
    w.problems.push({ oracle: 'projection', types: [type], text: `${path}: fields and previous disagree` });
  }
}

/** Record fields each READ event lists, in the record's terms (through the declaration of its entity type). */
function recordedFields(rows: AuditRow[]): Sources {
  const out: Sources = new Map();
  for (const row of rows) {
    if (row.action !== 'READ' || row.outcome !== 'SUCCESS' || !row.returnee_id) continue;
    const decl = DISCLOSURES[row.entity_type];
    for (const f of row.fields) {
      if (row.entity_type === 'Returnee' || row.entity_type === 'ReturneeRevision') add(out, row.returnee_id, f, row.entity_type);
      else if (decl && isRecordClass(decl.fields[f]))
        add(out, row.returnee_id, (decl.fields[f] as { field: string }).field, row.entity_type);
    }
  }
  return out;
}

function auditProblems(w: Walk, rows: AuditRow[]): Problem[] {
  const problems: Problem[] = [];
  const recorded = recordedFields(rows);
  for (const record of new Set([...w.expected.keys(), ...recorded.keys()])) {
    const want = w.expected.get(record) ?? new Map<string, Set<string>>();
    const got = recorded.get(record) ?? new Map<string, Set<string>>();
    for (const [f, sources] of want) {
      if (!got.has(f))
        problems.push({
          oracle: 'audit',
          types: [...sources],
          text: `record ${record}: ${f} was returned, but no READ event of the request lists it`,
        });
    }
    for (const [f, sources] of got) {
      if (!want.has(f))
        problems.push({
          oracle: 'audit',
          types: [...sources],
          text: `record ${record}: a READ event (${[...sources]}) lists ${f}, which the response did not return`,
        });
    }
  }
  for (const row of rows) {
    // A READ naming no field is a record the operation touched without disclosing any of it
    // (a page whose edges carry only sealed cursors): allowed. One that names fields must be returned.
    if (
      row.action === 'READ' &&
      row.outcome === 'SUCCESS' &&
      row.entity_type === 'Returnee' &&
      row.fields.length > 0 &&
      !w.named.has(row.entity_id!) &&
      !w.expected.has(row.entity_id!)
    ) {
      problems.push({
        oracle: 'audit',
        types: ['Returnee'],
        text: `a READ event names record ${row.entity_id}, which the response does not`,
      });
    }
  }
  const reads = rows.filter((r) => r.action === 'READ' && r.outcome === 'SUCCESS');
  for (const a of w.audited) {
    if (!reads.some((r) => r.entity_type === a.entityType && r.entity_id === a.id)) {
      problems.push({
        oracle: 'audit',
        types: [a.entityType],
        text: `${a.entityType} ${a.id} was returned without a READ event of its own`,
      });
    }
  }
  for (const r of reads) {
    if (
      r.entity_id &&
      (AUDITED_TYPES as readonly string[]).includes(r.entity_type) &&
      !w.audited.some((a) => a.entityType === r.entity_type && a.id === r.entity_id)
    ) {
      problems.push({
        oracle: 'audit',
        types: [r.entity_type],
        text: `a READ event names ${r.entity_type} ${r.entity_id}, which the response does not return`,
      });
    }
  }
  return problems;
}

/** Values of records the caller may not read that an error message or its extensions would give away. */
function errorProblems(x: Exchange, access: RecordAccess, records: string[]): Problem[] {
  if (!x.errors?.length) return [];
  const text = JSON.stringify(x.errors);
  const problems: Problem[] = [];
  for (const id of records) {
    for (const [column, value] of Object.entries(access.attributes(id)?.values ?? {})) {
      const field = column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
      if (value.length < 4 || field === 'id' || !ALL_RETURNEE_FIELDS.includes(field) || access.canRead(id, field)) continue;
      if (text.includes(value))
        problems.push({ oracle: 'projection', types: ['error'], text: `an error of ${x.label} contains ${field} of record ${id}` });
    }
  }
  return problems;
}

function rootField(schema: GraphQLSchema, x: Exchange) {
  return (x.mutation ? schema.getMutationType()! : schema.getQueryType()!).getFields()[x.root];
}

/** Both oracles over one exchange. `scopeCount`: records in the caller's scope (for totalCount). */
export function checkExchange(
  schema: GraphQLSchema,
  x: Exchange,
  rows: AuditRow[],
  access: RecordAccess,
  scopeCount: number,
  fixtureRecords: string[],
): { problems: Problem[]; named: Set<string> } {
  const w: Walk = { access, expected: new Map(), named: new Set(), audited: [], problems: [], scopeCount };
  const root = rootField(schema, x);
  if (x.data) walk(w, x.data[x.root], root.type, x.rid, x.root);
  const problems = [...w.problems, ...auditProblems(w, rows), ...errorProblems(x, access, fixtureRecords)];
  return { problems: problems.map((p) => ({ ...p, text: `${x.label}: ${p.text}` })), named: w.named };
}

/** The records a response names, to load their attributes before checking it. */
export function namedRecords(schema: GraphQLSchema, x: Exchange): Set<string> {
  const out = new Set<string>();
  const visit = (value: unknown, type: GraphQLOutputType): void => {
    if (value === null || value === undefined) return;
    const inner = getNullableType(type);
    if (isListType(inner)) return (value as unknown[]).forEach((v) => visit(v, inner.ofType));
    const named = getNamedType(type);
    if (!isObjectType(named)) return;
    const obj = value as Record<string, unknown>;
    const decl = DISCLOSURES[named.name];
    if (decl && Object.values(decl.fields).some((c) => isRecordClass(c) && c.record === 'named') && typeof obj.id === 'string')
      out.add(obj.id);
    for (const [key, v] of Object.entries(obj)) if (named.getFields()[key]) visit(v, named.getFields()[key].type);
  };
  if (x.data) visit(x.data[x.root], rootField(schema, x).type);
  if (x.rid) out.add(x.rid);
  return out;
}
