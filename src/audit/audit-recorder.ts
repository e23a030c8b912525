import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import type { Logger } from '../logger';
import type { AuditAction, AuditOutcome } from './audit-event.entity';

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
}

// One statement per batch whatever its size: the rows travel as one JSON parameter.
// The `where` is a one-time filter evaluated before the first row's id is drawn: it gives the
// transaction its id first, which the sealer's watermark relies on (see audit-sealer.ts).
const INSERT_SQL = `insert into audit_event
  (request_id, staff_id, agency_id, action, entity_type, entity_id, returnee_id, fields, denied_fields, purpose, operation, outcome, reason, correlation_id)
select request_id, staff_id, agency_id, action, entity_type, entity_id, returnee_id, fields, denied_fields, purpose, operation, outcome, reason, correlation_id
from jsonb_to_recordset(?::jsonb) as x(request_id uuid, staff_id uuid, agency_id uuid, action text, entity_type text,
  entity_id text, returnee_id uuid, fields text[], denied_fields text[], purpose text, operation text, outcome text, reason text, correlation_id text)
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
    return new Promise((resolve, reject) => {
      this.queue.push({ rows: entries.map((e) => toRow(scope, e)), resolve, reject });
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
      while (this.queue.length > 0) {
        const batch = this.takeBatch();
        try {
          const rows = batch.flatMap((p) => p.rows);
          await this.insert(this.em, rows);
          this.onStored?.(rows);
          for (const p of batch) p.resolve();
        } catch (error) {
          this.log.error({ err: error, events: batch.length, requestIds: [...new Set(batch.map((p) => p.rows[0].request_id))] }, 'audit events could not be stored; failing the reads closed');
          for (const p of batch) p.reject(error);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  /**
   * One INSERT, the rows bound as one JSON parameter. Through knex rather than
   * `Connection.execute`, which would first inline the JSON as an escaped literal (measured:
   * that costs more than the insert for large batches).
   */
  private async insert(em: EntityManager, rows: Row[]): Promise<void> {
    const query = em.getConnection().getKnex().raw(INSERT_SQL, [JSON.stringify(rows)]);
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id as a client sent it, made storable: text without NUL, at most the column's 64 characters. */
const storable = (id: string) => id.replace(/\u0000/g, '').slice(0, 64);

/**
 * A refusal may name an id the client made up ("1e309", 5 kB of text): it is still recorded,
 * as text in entity_id, and can never make the audit write (and so the answer) fail.
 */
function toRow(scope: AuditScope, e: AuditEntry): Row {
  const returneeId = e.returneeId !== undefined && UUID.test(e.returneeId) ? e.returneeId : undefined;
  const entityId = e.entityId ?? (returneeId === undefined ? e.returneeId : undefined);
  return {
    request_id: scope.requestId,
    staff_id: scope.staffId ?? null,
    agency_id: scope.agencyId ?? null,
    action: e.action,
    entity_type: e.entityType,
    entity_id: entityId === undefined ? null : storable(entityId),
    returnee_id: returneeId ?? null,
    fields: e.fields ?? [],
    denied_fields: e.deniedFields ?? [],
    purpose: scope.purpose ?? null,
    operation: e.operation,
    outcome: e.outcome,
    reason: e.reason ?? null,
    correlation_id: scope.correlationId ?? null,
  };
}
