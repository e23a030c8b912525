import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { isDatabaseUnavailable } from '../db/unavailable';
import type { Logger } from '../logger';
import { AUDIT_ACTIONS, AUDIT_OUTCOMES, type AuditAction, type AuditOutcome } from './audit-event.entity';
import { auditText, isUuid } from './audit-text';
import { basisKeys, storableBasis, type DisclosureBasis } from './audit-basis';

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

interface Row {
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

// One statement per batch whatever its size: the rows travel as one JSON parameter.
// The `where` is a one-time filter evaluated before the first row's id is drawn: it gives the
// transaction its id first, which the sealer's watermark relies on (see audit-sealer.ts).
const INSERT_SQL = `insert into audit_event
  (request_id, staff_id, agency_id, action, entity_type, entity_id, returnee_id, fields, denied_fields, purpose, operation, outcome, reason, correlation_id,
   basis, basis_keys)
select request_id, staff_id, agency_id, action, entity_type, entity_id, returnee_id, fields, denied_fields, purpose, operation, outcome, reason, correlation_id,
  basis, basis_keys
from jsonb_to_recordset(?::jsonb) as x(request_id uuid, staff_id uuid, agency_id uuid, action text, entity_type text,
  entity_id text, returnee_id uuid, fields text[], denied_fields text[], purpose text, operation text, outcome text, reason text, correlation_id text,
  basis jsonb, basis_keys text[])
where pg_current_xact_id() is not null`;

const MAX_BATCH_ROWS = 5000;

type StoredHook = (events: readonly { action: AuditAction; outcome: AuditOutcome }[], transaction?: object) => void;

interface Pending {
  rows: Row[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * The only writer of audit rows.
 *
 * - `inTransaction(em, …)` writes a mutation's events with the mutation's own transaction,
 *   so the change and its events commit or roll back together.
 * - `durably(…)` is for reads and denials: it resolves only once the events are committed,
 *   and the caller must await it before returning data (fail closed). Events of concurrent
 *   requests are committed together (group commit): one INSERT and one WAL flush per batch
 *   instead of one per request, while each response still waits for its own events.
 */
export class AuditRecorder {
  private queue: Pending[] = [];
  private flushing = false;
  /** Bench-only: counts events instead of storing them. Refused in production by config. */
  private readonly disabled: boolean;

  constructor(
    private readonly em: EntityManager,
    private readonly log: Logger,
    opts: { disabled?: boolean; batchDelayMs?: number; onStored?: StoredHook } = {},
  ) {
    this.disabled = opts.disabled ?? false;
    this.batchDelayMs = opts.batchDelayMs ?? 0;
    this.onStored = opts.onStored;
  }

  private readonly batchDelayMs: number;
  /** Metrics: told what was stored, and in which transaction (none: committed already). */
  private readonly onStored?: StoredHook;

  async inTransaction(tx: EntityManager, scope: AuditScope, entries: AuditEntry[]): Promise<void> {
    if (entries.length === 0 || this.disabled) return;
    const rows = entries.map((e) => toRow(scope, e));
    await this.insert(tx, rows);
    this.onStored?.(rows, tx.getTransactionContext());
  }

  durably(scope: AuditScope, entries: AuditEntry[]): Promise<void> {
    if (entries.length === 0 || this.disabled) return Promise.resolve();
    let rows: Row[];
    try {
      rows = entries.map((e) => toRow(scope, e));
    } catch (error) {
      return Promise.reject(error); // an entry no database could store fails its own request, before it joins a batch
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ rows, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        if (this.batchDelayMs > 0) setTimeout(() => void this.drain(), this.batchDelayMs);
        else setImmediate(() => void this.drain());
      }
    });
  }

  /** Waits until everything queued so far is stored (used on shutdown). */
  async settle(): Promise<void> {
    while (this.flushing || this.queue.length > 0) await new Promise((r) => setTimeout(r, 5));
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) await this.store(this.takeBatch());
    } finally {
      this.flushing = false;
    }
  }

  /**
   * One INSERT for the whole batch. Should the database refuse it for any reason other than
   * being away, each request's events are tried again on their own: a poisoned entry the
   * sanitiser did not foresee fails its own request only, never the reads it was batched with.
   */
  private async store(batch: Pending[]): Promise<void> {
    try {
      await this.storeRows(batch.flatMap((p) => p.rows));
      for (const p of batch) p.resolve();
      return;
    } catch (error) {
      if (batch.length === 1 || isDatabaseUnavailable(error)) {
        this.log.error(
          { err: error, requests: batch.length, requestIds: requestIdsOf(batch) },
          'audit events could not be stored; failing the reads closed',
        );
        for (const p of batch) p.reject(error);
        return;
      }
      this.log.warn(
        { err: error, requests: batch.length },
        "an audit batch was refused: storing its requests' events one request at a time",
      );
    }
    for (const p of batch) {
      try {
        await this.storeRows(p.rows);
        p.resolve();
      } catch (error) {
        this.log.error(
          { err: error, requestIds: requestIdsOf([p]) },
          'audit events of one request could not be stored; failing that request closed',
        );
        p.reject(error);
      }
    }
  }

  private async storeRows(rows: Row[]): Promise<void> {
    await this.insert(this.em, rows);
    this.onStored?.(rows);
  }

  /**
   * One INSERT, the rows bound as one JSON parameter. Through knex rather than
   * `Connection.execute`, which would first inline the JSON as an escaped literal (measured:
   * that costs more than the insert for large batches).
   */
  private async insert(em: EntityManager, rows: Row[]): Promise<void> {
    const query = em
      .getConnection()
      .getKnex()
      .raw(INSERT_SQL, [JSON.stringify(rows)]);
    const trx = em.getTransactionContext<Knex.Transaction>();
    await (trx ? query.transacting(trx) : query);
  }

  private takeBatch(): Pending[] {
    let rows = 0;
    let n = 0;
    while (n < this.queue.length && (n === 0 || rows + this.queue[n].rows.length <= MAX_BATCH_ROWS)) {
      rows += this.queue[n].rows.length;
      n++;
    }
    return this.queue.splice(0, n);
  }
}

const requestIdsOf = (batch: Pending[]) => [...new Set(batch.map((p) => p.rows[0].request_id))];

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
function toRow(scope: AuditScope, e: AuditEntry): Row {
  const returneeId = e.returneeId !== undefined && isUuid(e.returneeId) ? e.returneeId.toLowerCase() : undefined;
  const entityId = e.entityId ?? (returneeId === undefined ? e.returneeId : undefined);
  return {
    request_id: uuidColumn('requestId', scope.requestId, true)!,
    staff_id: uuidColumn('staffId', scope.staffId),
    agency_id: uuidColumn('agencyId', scope.agencyId),
    action: enumColumn('action', e.action, ACTIONS),
    entity_type: auditText(e.entityType, WIDTH.entityType),
    entity_id: entityId === undefined ? null : auditText(entityId, WIDTH.entityId),
    returnee_id: returneeId ?? null,
    fields: texts(e.fields),
    denied_fields: texts(e.deniedFields),
    purpose: scope.purpose === undefined ? null : auditText(scope.purpose, WIDTH.purpose),
    operation: auditText(e.operation, WIDTH.operation),
    outcome: enumColumn('outcome', e.outcome, OUTCOMES),
    reason: e.reason === undefined ? null : auditText(e.reason, WIDTH.reason),
    correlation_id: scope.correlationId === undefined ? null : auditText(scope.correlationId, 128),
    ...basisColumns(e.basis),
  };
}

function basisColumns(basis: readonly DisclosureBasis[] | undefined): Pick<Row, 'basis' | 'basis_keys'> {
  if (basis === undefined || basis.length === 0) return { basis: null, basis_keys: null };
  const clean = storableBasis(basis);
  return { basis: clean, basis_keys: basisKeys(clean) };
}
