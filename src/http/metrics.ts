import { AsyncLocalStorage } from 'node:async_hooks';
import type { ApolloServerPlugin } from '@apollo/server';
import type { EventSubscriber, TransactionEventArgs } from '@mikro-orm/core';
import type { Knex } from '@mikro-orm/postgresql';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { Kind, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Sector } from '../access/policy';
import type { SinkKind } from '../trail/audit-checkpoint-sink';
import type { AuditAction, AuditOutcome } from '../trail/audit-event.entity';
import type { Database } from '../db/database';

/**
 * Prometheus metrics (GET /metrics). Every label value comes from a bounded set: GraphQL root
 * field names of the schema, error codes, sectors, audit actions and outcomes. Never variables,
 * ids, usernames or anything a client typed, so no personal data and no unbounded series.
 */

/** Outcomes a GraphQL request is counted under: SUCCESS, or the first error's code. */
const OUTCOMES: ReadonlySet<string> = new Set([
  'SUCCESS',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'INTERNAL_SERVER_ERROR',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
]);
/** Operation labels that are not a root field. */
export const NO_OPERATION = '(none)';
export const MULTIPLE_OPERATIONS = '(multiple)';
const INTROSPECTION_FIELDS = ['__schema', '__type', '__typename'];

/** What one HTTP request to /graphql turned out to be; filled in by the Apollo plugin, read when the response ends. */
interface Probe {
  operation: string;
  outcome?: string;
}

/** The audit rows the recorder stored: only their action and outcome are counted. */
export interface StoredAuditEvent {
  action: AuditAction;
  outcome: AuditOutcome;
}

export class HubMetrics {
  readonly registry = new Registry();
  private readonly probes = new AsyncLocalStorage<Probe>();
  /** Events written inside a transaction, counted once it commits (keyed by the root knex transaction). */
  private readonly uncommitted = new WeakMap<object, StoredAuditEvent[]>();
  private rootFields: ReadonlySet<string> = new Set(INTROSPECTION_FIELDS);

  private readonly requests = new Counter({
    name: 'hub_graphql_requests_total',
    help: 'GraphQL requests by root field (operation) and outcome (SUCCESS or the first error code)',
    labelNames: ['operation', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly duration = new Histogram({
    name: 'hub_graphql_request_duration_seconds',
    help: 'Time from the request reaching /graphql to the last byte of the response, by operation and outcome',
    labelNames: ['operation', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  private readonly denied = new Counter({
    name: 'hub_access_denied_total',
    help: "Requests refused by the access layer (audited as DENY), by the caller's sector",
    labelNames: ['sector'] as const,
    registers: [this.registry],
  });

  private readonly auditWritten = new Counter({
    name: 'hub_audit_events_written_total',
    help: 'Audit events committed to the database by this process, by action and outcome',
    labelNames: ['action', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly checkpointDeliveries = new Counter({
    name: 'hub_audit_checkpoint_deliveries_total',
    help: 'Signed audit checkpoints this process tried to keep outside the database, by copy (file, directory, http) and outcome (ok, failed)',
    labelNames: ['sink', 'outcome'] as const,
    registers: [this.registry],
  });

  constructor(db: Pick<Database, 'orm'>, opts: { defaultMetrics?: boolean } = {}) {
    const pool = () => (db.orm.em.getConnection().getKnex() as Knex).client.pool as PoolState | undefined;
    const poolGauge = (name: string, help: string, read: (p: PoolState) => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          const p = pool();
          this.set(p ? read(p) : 0);
        },
      });
    poolGauge('hub_db_pool_used', 'Connections of the application pool in use', (p) => p.numUsed());
    poolGauge('hub_db_pool_free', 'Idle connections of the application pool', (p) => p.numFree());
    poolGauge('hub_db_pool_pending', 'Requests waiting for a connection of the application pool', (p) => p.numPendingAcquires());
    poolGauge('hub_db_pool_max', 'Largest size of the application pool', (p) => p.max);
    if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
    db.orm.em.getEventManager().registerSubscriber(this.transactionHooks());
  }

  /** Express middleware for /graphql: times the request and counts it when the response ends. */
  readonly timer: RequestHandler = (_req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    const probe: Probe = { operation: NO_OPERATION };
    res.on('finish', () => {
      // A landing page (GET with Accept: text/html) is not a GraphQL request.
      if (probe.outcome === undefined && res.statusCode < 400) return;
      const outcome = probe.outcome ?? (res.statusCode >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST');
      const labels = { operation: probe.operation, outcome };
      this.requests.inc(labels);
      this.duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    });
    this.probes.run(probe, next);
  };

  /** Names the operation (from the parsed document) and the outcome (from the response's errors). */
  apolloPlugin(): ApolloServerPlugin {
    const metrics = this;
    return {
      async serverWillStart({ schema }) {
        metrics.rootFields = rootFieldsOf(schema);
      },
      async contextCreationDidFail({ error }) {
        const probe = metrics.probes.getStore();
        if (probe) probe.outcome = outcomeOf(error);
      },
      async invalidRequestWasReceived() {
        const probe = metrics.probes.getStore();
        if (probe) probe.outcome = 'BAD_REQUEST';
      },
      async requestDidStart() {
        return {
          async willSendResponse({ response, document, operation }) {
            const probe = metrics.probes.getStore();
            if (!probe) return;
            probe.operation = operationLabel(operation ?? firstOperation(document), document, metrics.rootFields);
            const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
            probe.outcome = errors && errors.length > 0 ? outcomeOf(errors[0]) : 'SUCCESS';
          },
        };
      },
    };
  }

  /** Called by the access layer when it refuses a request (src/request/operation.ts). */
  accessDenied(sector: Sector): void {
    this.denied.inc({ sector });
  }

  /**
   * Called by the audit recorder once rows are stored: outside a transaction they are
   * committed already; inside one they count when that transaction commits, never if it rolls back.
   */
  auditStored(events: readonly StoredAuditEvent[], trx?: object): void {
    if (!trx) {
      this.countAudit(events);
      return;
    }
    const root = rootTransaction(trx);
    const pending = this.uncommitted.get(root);
    if (pending) pending.push(...events);
    else this.uncommitted.set(root, [...events]);
  }

  /** Called by the audit maintenance once a checkpoint was (or could not be) kept outside the database. */
  checkpointDelivered(sink: SinkKind, ok: boolean): void {
    this.checkpointDeliveries.inc({ sink, outcome: ok ? 'ok' : 'failed' });
  }

  /** GET /metrics in the Prometheus text format; who may ask is decided in front of it (metrics-guard.ts). */
  readonly handler: RequestHandler = async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.type(this.registry.contentType).send(await this.registry.metrics());
  };

  private countAudit(events: readonly StoredAuditEvent[]): void {
    const counts = new Map<string, number>();
    for (const e of events) counts.set(`${e.action} ${e.outcome}`, (counts.get(`${e.action} ${e.outcome}`) ?? 0) + 1);
    for (const [key, n] of counts) {
      const [action, outcome] = key.split(' ');
      this.auditWritten.inc({ action, outcome }, n);
    }
  }

  private transactionHooks(): EventSubscriber {
    return {
      afterTransactionCommit: ({ transaction }: TransactionEventArgs) => {
        if (!transaction) return;
        const events = this.uncommitted.get(transaction as object);
        if (!events) return;
        this.uncommitted.delete(transaction as object);
        this.countAudit(events);
      },
      afterTransactionRollback: ({ transaction }: TransactionEventArgs) => {
        if (transaction) this.uncommitted.delete(transaction as object);
      },
    };
  }
}

interface PoolState {
  max: number;
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
}

/** Savepoints (nested transactions) commit with their outermost transaction. */
function rootTransaction(trx: object): object {
  let t = trx as { parentTransaction?: object };
  while (t.parentTransaction) t = t.parentTransaction as { parentTransaction?: object };
  return t;
}

function rootFieldsOf(schema: GraphQLSchema): ReadonlySet<string> {
  return new Set([
    ...INTROSPECTION_FIELDS,
    ...Object.keys(schema.getQueryType()?.getFields() ?? {}),
    ...Object.keys(schema.getMutationType()?.getFields() ?? {}),
    ...Object.keys(schema.getSubscriptionType()?.getFields() ?? {}),
  ]);
}

function outcomeOf(error: unknown): string {
  const code = (error as { extensions?: Record<string, unknown> } | undefined)?.extensions?.code;
  return typeof code === 'string' && OUTCOMES.has(code) ? code : 'INTERNAL_SERVER_ERROR';
}

function firstOperation(document: DocumentNode | undefined): OperationDefinitionNode | undefined {
  const ops = document?.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION) ?? [];
  return ops.length === 1 ? ops[0] : undefined;
}

/**
 * The root field an operation selects, when it selects one (`__typename` aside); `(multiple)`
 * for several; `(none)` when the document did not parse or names no known root field.
 */
export function operationLabel(
  operation: OperationDefinitionNode | undefined | null,
  document: DocumentNode | undefined,
  known: ReadonlySet<string>,
): string {
  if (!operation) return NO_OPERATION;
  const fields = new Set<string>();
  const visited = new Set<string>();
  const walk = (set: SelectionSetNode) => {
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) fields.add(sel.name.value);
      else if (sel.kind === Kind.INLINE_FRAGMENT) walk(sel.selectionSet);
      else if (sel.kind === Kind.FRAGMENT_SPREAD && !visited.has(sel.name.value)) {
        visited.add(sel.name.value);
        const fragment = document?.definitions.find((d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === sel.name.value);
        if (fragment && fragment.kind === Kind.FRAGMENT_DEFINITION) walk(fragment.selectionSet);
      }
    }
  };
  walk(operation.selectionSet);
  if (fields.size > 1) fields.delete('__typename');
  const names = [...fields].filter((f) => known.has(f));
  if (names.length === 0) return NO_OPERATION;
  return names.length === 1 && fields.size === 1 ? names[0] : MULTIPLE_OPERATIONS;
}
