import { statementName } from '../db/statement-name';
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { isDatabaseUnavailable } from '../db/unavailable';
import type { Logger } from '../logger';
import type { AuditAction, AuditOutcome } from './audit-event.entity';
import { statementEvents, type EventGroup, type StatementEvents } from './audit-in-statement';
import { requestRows, sharedColumns, toRow, type AuditEntry, type AuditScope, type RequestRows } from './audit-rows';

export type { AuditEntry, AuditScope } from './audit-rows';

// One statement per batch whatever its size: the requests travel as one JSON parameter, each
// with its events, expanded row by row in the order given (event ids follow it).
// The `where` is a one-time filter evaluated before the first row's id is drawn: it gives the
// transaction its id first, which the sealer's watermark relies on (see audit-sealer.ts).
const INSERT_SQL = `insert into audit_event
  (request_id, staff_id, agency_id, action, entity_type, entity_id, returnee_id, fields, denied_fields, purpose, operation, outcome, reason, correlation_id,
   basis, basis_keys)
select r.request_id, r.staff_id, r.agency_id, x.action, x.entity_type, x.entity_id, x.returnee_id,
  array(select jsonb_array_elements_text(r.lists -> x.f)), array(select jsonb_array_elements_text(r.lists -> x.d)),
  r.purpose, x.operation, x.outcome, x.reason, r.correlation_id, x.basis, x.basis_keys
from jsonb_to_recordset(?::jsonb) as r(request_id uuid, staff_id uuid, agency_id uuid, purpose text, correlation_id text, lists jsonb, events jsonb)
cross join lateral jsonb_to_recordset(r.events) as x(action text, entity_type text, entity_id text, returnee_id uuid, f int, d int,
  operation text, outcome text, reason text, basis jsonb, basis_keys text[])
where pg_current_xact_id() is not null`;

const MAX_BATCH_ROWS = 5000;

/** The one text of every audit INSERT, prepared once per connection (db/statement-name.ts). */
function named(query: Knex.Raw): Knex.Raw {
  const name = statementName('hub_audit', INSERT_SQL, true);
  return name ? query.options({ name }) : query;
}

type StoredHook = (events: readonly { action: AuditAction; outcome: AuditOutcome }[], transaction?: object) => void;

interface Pending {
  request: RequestRows;
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
    const request = requestRows(scope, entries);
    await this.insert(tx, [request]);
    this.onStored?.(request.events, tx.getTransactionContext());
  }

  durably(scope: AuditScope, entries: AuditEntry[]): Promise<void> {
    if (entries.length === 0 || this.disabled) return Promise.resolve();
    let request: RequestRows;
    try {
      request = requestRows(scope, entries);
    } catch (error) {
      return Promise.reject(error); // an entry no database could store fails its own request, before it joins a batch
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        if (this.batchDelayMs > 0) setTimeout(() => void this.drain(), this.batchDelayMs);
        else setImmediate(() => void this.drain());
      }
    });
  }

  /** The events of a mutation that writes in one statement, as part of it (audit-in-statement.ts); null when disabled. */
  inStatement(scope: AuditScope, groups: readonly EventGroup<AuditEntry>[]): StatementEvents | null {
    if (this.disabled || groups.every((g) => g.entries.length === 0)) return null;
    const shared = sharedColumns(scope);
    const rows = groups.map((g) => g.entries.map((e) => toRow(shared, e)));
    return statementEvents(groups, rows, this.onStored);
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
      await this.storeRows(batch.map((p) => p.request));
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
        await this.storeRows([p.request]);
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

  private async storeRows(requests: RequestRows[]): Promise<void> {
    await this.insert(this.em, requests);
    this.onStored?.(requests.length === 1 ? requests[0].events : requests.flatMap((r) => r.events));
  }

  /**
   * One INSERT, the requests' rows bound as one JSON parameter. Through knex rather than
   * `Connection.execute`, which would first inline the JSON as an escaped literal (measured:
   * that costs more than the insert for large batches).
   */
  private async insert(em: EntityManager, requests: RequestRows[]): Promise<void> {
    const query = named(
      em
        .getConnection()
        .getKnex()
        .raw(INSERT_SQL, [JSON.stringify(requests)]),
    );
    const trx = em.getTransactionContext<Knex.Transaction>();
    await (trx ? query.transacting(trx) : query);
  }

  private takeBatch(): Pending[] {
    let rows = 0;
    let n = 0;
    while (n < this.queue.length && (n === 0 || rows + this.queue[n].request.events.length <= MAX_BATCH_ROWS)) {
      rows += this.queue[n].request.events.length;
      n++;
    }
    return this.queue.splice(0, n);
  }
}

/**
 * Events the hub records on its own, with no staff request behind them, in the caller's
 * transaction (so the change and its events commit or roll back together). Each scope is one
 * "request": `agencyId` without `staffId` is accepted by the database only where its guard allows
 * it (a webhook delivery to that agency, Migration20261227600000).
 */
export async function recordHubEventsInTransaction(
  tx: EntityManager,
  requests: readonly { scope: AuditScope; entries: AuditEntry[] }[],
): Promise<void> {
  const rows = requests.filter((r) => r.entries.length > 0).map((r) => requestRows(r.scope, r.entries));
  if (rows.length === 0) return;
  const query = named(
    tx
      .getConnection()
      .getKnex()
      .raw(INSERT_SQL, [JSON.stringify(rows)]),
  );
  const trx = tx.getTransactionContext<Knex.Transaction>();
  if (!trx) throw new Error('hub events are recorded in a transaction only');
  await query.transacting(trx);
}

const requestIdsOf = (batch: Pending[]) => [...new Set(batch.map((p) => p.request.request_id))];
