import type { AuditAction, AuditOutcome } from './audit-event.entity';
import { AUDIT_ACTIONS, AUDIT_OUTCOMES } from './audit-event.entity';
import { auditText, isUuid } from './audit-text';
import { basisKeys, storableBasis, type DisclosureBasis } from './audit-basis';

/**
 * What the recorder (audit-recorder.ts) stores, and how entries become storable rows: every
 * value cleaned or refused here, before a row joins a batch shared with other requests.
 */

/** Who is acting and why, fixed for the whole request. */
export interface AuditScope {
  requestId: string;
  /** The client's own id for the request (X-Correlation-Id), sanitised; not unique. */
  correlationId?: string;
  staffId?: string;
  agencyId?: string;
  purpose?: string;
}

/** What a feature tells the recorder it touched: names of fields, never their values. */
export interface AuditEntry {
  action: AuditAction;
  entityType: string;
  entityId?: string;
  returneeId?: string;
  fields?: readonly string[];
  deniedFields?: readonly string[];
  outcome: AuditOutcome;
  reason?: string;
  operation: string;
  /** Why each section disclosed was lawful (READ events, src/access/basis.ts). */
  basis?: readonly DisclosureBasis[];
}

export interface Row {
  request_id: string;
  staff_id: string | null;
  agency_id: string | null;
  action: AuditAction;
  entity_type: string;
  entity_id: string | null;
  returnee_id: string | null;
  fields: readonly string[];
  denied_fields: readonly string[];
  purpose: string | null;
  operation: string;
  outcome: AuditOutcome;
  reason: string | null;
  correlation_id: string | null;
  basis: DisclosureBasis[] | null;
  basis_keys: string[] | null;
}

/**
 * One request's events as they travel to the INSERT: what every event of a request shares
 * (who, why, the client's correlation id) once, and the field-name lists once each, named by
 * their index (a page's 50 events list the same few): about a third of the JSON one object
 * per event with every column made, for the same rows (measured with `npm run bench`).
 */
export interface RequestRows {
  request_id: string;
  staff_id: string | null;
  agency_id: string | null;
  purpose: string | null;
  correlation_id: string | null;
  /** The distinct lists of field names of the events (their fields and denied_fields). */
  lists: string[][];
  events: EventRow[];
}

export interface EventRow {
  action: AuditAction;
  entity_type: string;
  entity_id: string | null;
  returnee_id: string | null;
  /** Index into `lists` of the event's fields. */
  f: number;
  /** Index into `lists` of its denied_fields. */
  d: number;
  operation: string;
  outcome: AuditOutcome;
  reason: string | null;
  basis: DisclosureBasis[] | null;
  basis_keys: string[] | null;
}

/** The widths of audit_event's text columns, in characters (code points), as the migrations declare them. */
const WIDTH = { entityType: 64, entityId: 64, purpose: 200, operation: 100, reason: 200, field: 200 } as const;

const ACTIONS: ReadonlySet<string> = new Set(AUDIT_ACTIONS);
const OUTCOMES: ReadonlySet<string> = new Set(AUDIT_OUTCOMES);

/** A uuid column's value: a UUID, or (for the optional ones) nothing. Anything else is a bug in the hub, not input. */
function uuidColumn(name: string, value: string | undefined, required = false): string | null {
  if (value === undefined && !required) return null;
  if (value !== undefined && isUuid(value)) return value.toLowerCase();
  throw new Error(`audit entry refused: ${name} must be a UUID`);
}

function enumColumn<T extends string>(name: string, value: T, allowed: ReadonlySet<string>): T {
  if (allowed.has(value)) return value;
  throw new Error(`audit entry refused: ${name} ${JSON.stringify(String(value).slice(0, 40))} is not one the audit table takes`);
}

const texts = (names: readonly string[] | undefined) => (names ?? []).map((n) => auditText(String(n), WIDTH.field));

/** The columns every event of a request shares, made storable once per request. */
export type Shared = Pick<Row, 'request_id' | 'staff_id' | 'agency_id' | 'purpose' | 'correlation_id'>;

export function sharedColumns(scope: AuditScope): Shared {
  return {
    request_id: uuidColumn('requestId', scope.requestId, true)!,
    staff_id: uuidColumn('staffId', scope.staffId),
    agency_id: uuidColumn('agencyId', scope.agencyId),
    purpose: scope.purpose === undefined ? null : auditText(scope.purpose, WIDTH.purpose),
    correlation_id: scope.correlationId === undefined ? null : auditText(scope.correlationId, 128),
  };
}

/**
 * Every value a row holds, made storable whatever a client sent, so that one request's events
 * can never make a shared batch (and so other people's reads) fail:
 * - text (ids, names, purpose, reason) through `auditText`: no NUL, other C0 controls or lone
 *   surrogates (which PostgreSQL's jsonb refuses), cut to the column's width by code point;
 * - a refusal may name an id the client made up ("1e309", 5 kB, half an emoji): it is still
 *   recorded, as clean text in entity_id; only a UUID goes in returnee_id;
 * - the scope's ids and the enums come from the hub itself: a wrong one is a bug, refused here
 *   so it fails its own request only.
 */
function ownColumns(e: AuditEntry): Omit<Row, keyof Shared | 'fields' | 'denied_fields'> {
  const returneeId = e.returneeId !== undefined && isUuid(e.returneeId) ? e.returneeId.toLowerCase() : undefined;
  const entityId = e.entityId ?? (returneeId === undefined ? e.returneeId : undefined);
  const basis = basisColumns(e.basis);
  return {
    action: enumColumn('action', e.action, ACTIONS),
    entity_type: auditText(e.entityType, WIDTH.entityType),
    entity_id: entityId === undefined ? null : auditText(entityId, WIDTH.entityId),
    returnee_id: returneeId ?? null,
    operation: auditText(e.operation, WIDTH.operation),
    outcome: enumColumn('outcome', e.outcome, OUTCOMES),
    reason: e.reason === undefined ? null : auditText(e.reason, WIDTH.reason),
    basis: basis.basis,
    basis_keys: basis.basis_keys,
  };
}

/** One row with every column (for a statement's own events, audit-in-statement.ts). */
export function toRow(shared: Shared, e: AuditEntry): Row {
  const own = ownColumns(e);
  return {
    ...shared,
    action: own.action,
    entity_type: own.entity_type,
    entity_id: own.entity_id,
    returnee_id: own.returnee_id,
    fields: texts(e.fields),
    denied_fields: texts(e.deniedFields),
    operation: own.operation,
    outcome: own.outcome,
    reason: own.reason,
    basis: own.basis,
    basis_keys: own.basis_keys,
  };
}

const NO_FIELDS: readonly string[] = [];

/**
 * A request's entries as they travel (RequestRows): the shared columns once, each distinct
 * list of field names once (a page's events share a handful: the lists are compared by
 * identity first, then by content, and each is cleaned once).
 */
export function requestRows(scope: AuditScope, entries: readonly AuditEntry[]): RequestRows {
  const lists: string[][] = [];
  const byList = new Map<readonly string[], number>();
  const byContent = new Map<string, number>();
  const indexOf = (names: readonly string[] | undefined): number => {
    const list = names ?? NO_FIELDS;
    let i = byList.get(list);
    if (i === undefined) {
      const clean = texts(list);
      const key = clean.join('\u0000'); // no cleaned name holds a NUL
      i = byContent.get(key);
      if (i === undefined) {
        i = lists.push(clean) - 1;
        byContent.set(key, i);
      }
      byList.set(list, i);
    }
    return i;
  };
  const events = entries.map((e): EventRow => {
    const own = ownColumns(e);
    return {
      action: own.action,
      entity_type: own.entity_type,
      entity_id: own.entity_id,
      returnee_id: own.returnee_id,
      f: indexOf(e.fields),
      d: indexOf(e.deniedFields),
      operation: own.operation,
      outcome: own.outcome,
      reason: own.reason,
      basis: own.basis,
      basis_keys: own.basis_keys,
    };
  });
  return { ...sharedColumns(scope), lists, events };
}

function basisColumns(basis: readonly DisclosureBasis[] | undefined): Pick<Row, 'basis' | 'basis_keys'> {
  if (basis === undefined || basis.length === 0) return { basis: null, basis_keys: null };
  const clean = storableBasis(basis);
  return { basis: clean, basis_keys: basisKeys(clean) };
}
