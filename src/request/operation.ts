import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuditEntry, AuditScope } from '../trail/audit-recorder';
import type { EventGroup, StatementEvents } from '../trail/audit-in-statement';
import { isUuid } from '../trail/audit-text';
import type { Actor } from '../access/actor';
import { forbidden, notFound, unauthenticated, type HubError } from '../errors';
import type { RequestContext } from './context';
import type { TouchedRecord } from './idempotency-key.entity';
import { runOnce } from './idempotency';
import type { Action, AppAbility, SubjectName } from '../access/ability';
import { permittedReturneeFields } from '../access/fields';

export type EntryInput = Omit<AuditEntry, 'operation'>;

/**
 * Marks an audit entry whose id is not a UUID: a client's value that reached the trail
 * without being validated first. It is still stored (as clean text, see audit-text.ts), and
 * the hostile-value property (test/hostile-values.test.ts) fails on any such row, so a
 * service that forgets to validate an id shows up in the tests, not in production.
 */
export const UNCHECKED_ID = 'UNCHECKED_ID';

/**
 * The arguments objects of the fields whose refusal the field's own Operation stored durably
 * (DENY, NOT_FOUND, CONFLICT…). The field's refusal recorder (src/graphql/refusal-audit.ts)
 * records the refusals no service did; keyed by the very object GraphQL hands both of them.
 */
const refusalsRecorded = new WeakSet<object>();

export const refusalRecorded = (args: object): boolean => refusalsRecorded.has(args);

/** The recorder's part of a statement (null: the recorder is disabled, bench only), and what to do once it ran. */
export interface InStatement extends Omit<StatementEvents, 'text' | 'stored'> {
  text: string | null;
  stored(applied: readonly boolean[]): void;
}

const NOT_REFUSALS: ReadonlySet<AuditEntry['outcome']> = new Set(['SUCCESS', 'REPLAYED']);

/**
 * Every successful READ names its basis. Features that disclose sections under a condition
 * (consent, legal duty) give it per section (returnee/returnee-read.service.ts); any other read
 * is of what the caller's own policy lets them see: a record's sharing, referrals, history
 * naming no field (its reference), the directory, the audit trail (OWN_SECTOR).
 */
function withDefaultBasis(e: EntryInput): EntryInput {
  if (e.action !== 'READ' || e.outcome !== 'SUCCESS' || (e.basis && e.basis.length > 0)) return e;
  return { ...e, basis: [e.returneeId ? { section: 'REFERENCE', kind: 'OWN_SECTOR' } : { kind: 'OWN_SECTOR' }] };
}

/**
 * What a service method receives: the request context bound to one GraphQL root field.
 * It is the single helper services authorize through (`authorizeOrThrow`, `denyOrThrow`)
 * and the single way they tell the audit recorder what they touched.
 */
export class Operation {
  readonly actor: Actor;
  readonly ability: AppAbility;
  /** Set while a mutation runs under an Idempotency-Key: its transactions nest in this one. */
  private tx?: EntityManager;
  private touched?: TouchedRecord[];

  constructor(
    readonly ctx: RequestContext,
    readonly name: string,
    /** The root field's arguments, and how many root fields the request has (for Idempotency-Key). */
    readonly args: Record<string, unknown> = {},
    readonly rootFieldCount = 1,
  ) {
    if (!ctx.actor || !ctx.ability) throw unauthenticated();
    this.actor = ctx.actor;
    this.ability = ctx.ability;
  }

  get em(): EntityManager {
    return this.tx ?? this.ctx.em;
  }

  /**
   * Every mutation resolver runs its service through this: with an `Idempotency-Key` header the
   * effect happens at most once per key and a retry gets the first result back
   * (src/request/idempotency.ts); without one it simply runs. The effect yields the id of
   * the record it changed; the resolver then shows that record through the same scoped,
   * audited read as a query, so a replay never shows more than the caller may read now.
   */
  once(effect: () => Promise<string>): Promise<string> {
    const key = this.ctx.idempotencyKey;
    if (!key) return effect();
    return runOnce(this, key, effect);
  }

  /** Runs `effect` with `tx` as this operation's EntityManager, collecting the records its writes audit. */
  async within<T>(tx: EntityManager, effect: () => Promise<T>): Promise<{ result: T; touched: TouchedRecord[] }> {
    this.tx = tx;
    this.touched = [];
    try {
      const result = await effect();
      return { result, touched: this.touched };
    } finally {
      this.tx = undefined;
      this.touched = undefined;
    }
  }

  get auditScope(): AuditScope {
    return {
      requestId: this.ctx.requestId,
      correlationId: this.ctx.correlationId,
      staffId: this.actor.staffId,
      agencyId: this.actor.agencyId,
      purpose: this.ctx.purpose,
    };
  }

  /** Stores read (or refusal) events and resolves once they are durable: await before returning data. */
  async recordDurably(entries: EntryInput[]): Promise<void> {
    await this.ctx.runtime.recorder.durably(
      this.auditScope,
      entries.map((e) => this.auditable(e)),
    );
    if (entries.some((e) => !NOT_REFUSALS.has(e.outcome))) refusalsRecorded.add(this.args);
  }

  /** Stores a mutation's events with the mutation's transaction. */
  recordInTransaction(tx: EntityManager, entries: EntryInput[]): Promise<void> {
    for (const e of entries) this.touched?.push({ entityType: e.entityType, entityId: e.entityId, returneeId: e.returneeId });
    return this.ctx.runtime.recorder.inTransaction(
      tx,
      this.auditScope,
      entries.map((e) => this.auditable(e)),
    );
  }

  /**
   * A mutation's events written by the statement that makes its change (one round trip,
   * src/returnee/section-write-sql.ts): the recorder's part of that statement. Once it ran,
   * `stored(applied)` says which groups it stored, and in which transaction (tx: op.once's).
   */
  eventsInStatement(groups: EventGroup<EntryInput>[]): InStatement {
    const audited = groups.map((g) => ({ ...g, entries: g.entries.map((e) => this.auditable(e)) }));
    const events = this.ctx.runtime.recorder.inStatement(this.auditScope, audited);
    return {
      text: events?.text ?? null,
      params: events?.params ?? [],
      stored: (applied) => {
        for (const e of groups.filter((_, i) => applied[i]).flatMap((g) => g.entries)) {
          this.touched?.push({ entityType: e.entityType, entityId: e.entityId, returneeId: e.returneeId });
        }
        events?.stored(applied, this.tx?.getTransactionContext());
      },
    };
  }

  /**
   * Every entry passes through here on its way to the recorder: ids are UUIDs (lower case), and
   * one that is not — a client's value a service did not validate first — is kept as text and
   * flagged UNCHECKED_ID in the reason (the recorder makes any text storable).
   */
  private auditable(input: EntryInput): AuditEntry {
    const e = withDefaultBasis(input);
    // An INVALID refusal names the value it refused: that one was checked, and found wanting.
    const unchecked = e.outcome !== 'INVALID' && [e.entityId, e.returneeId].some((id) => id !== undefined && !isUuid(id));
    if (!unchecked) {
      return { ...e, entityId: e.entityId?.toLowerCase(), returneeId: e.returneeId?.toLowerCase(), operation: this.name };
    }
    this.ctx.runtime.log.warn(
      { operation: this.name, requestId: this.ctx.requestId },
      'an id that is not a UUID reached the audit trail: validate ids before authorizing or recording',
    );
    return { ...e, reason: `${e.reason ?? e.outcome};${UNCHECKED_ID}`, operation: this.name };
  }

  /** Authorize first: a missing permission is recorded as a DENY event, then refused. */
  async authorizeOrThrow(
    action: Action,
    subject: SubjectName,
    denial: { entityType?: string; entityId?: string; returneeId?: string; message: string },
  ): Promise<void> {
    if (this.ability.can(action, subject)) return;
    await this.denyOrThrow(
      { entityType: denial.entityType ?? subject, entityId: denial.entityId, returneeId: denial.returneeId },
      forbidden(denial.message),
    );
  }

  /**
   * The one field-write check: unless the caller may `action` every one of `fields` on a record,
   * the whole write is refused before anything is loaded or written, with one DENY event naming
   * the missing fields. `message` words the refusal for the client from those fields.
   */
  async fieldsWritableOrThrow(
    action: 'create' | 'update',
    fields: readonly string[],
    what: { entityType: string; entityId?: string; returneeId?: string },
    message: (missing: string[]) => string,
  ): Promise<void> {
    const writable = permittedReturneeFields(this.ability, action);
    const missing = fields.filter((f) => !writable.has(f));
    if (missing.length === 0) return;
    await this.denyOrThrow({ ...what, fields: missing }, forbidden(message(missing), { fields: missing }));
  }

  /** Records the refusal (DENY, outcome DENIED) and throws `error`. */
  async denyOrThrow(
    what: { entityType: string; entityId?: string; returneeId?: string; fields?: readonly string[] },
    error: HubError,
  ): Promise<never> {
    this.ctx.runtime.metrics?.accessDenied(this.actor.sector);
    await this.recordDurably([{ action: 'DENY', ...what, deniedFields: what.fields, fields: [], outcome: 'DENIED', reason: error.code }]);
    throw error;
  }

  /** Records an attempt on a record that does not exist or is out of scope, and throws NOT_FOUND. */
  async notFoundOrThrow(
    action: 'READ' | 'UPDATE' | 'CREATE',
    entityType: string,
    id: string,
    returneeId?: string,
    /** Extensions that must not depend on the id (e.g. breakGlassAvailable): the same for every id. */
    details: Record<string, unknown> = {},
  ): Promise<never> {
    await this.recordDurably([{ action, entityType, entityId: id, returneeId, outcome: 'NOT_FOUND', reason: 'NOT_FOUND' }]);
    // The kind in words ("case access"), never the id: see errors.ts notFound.
    throw notFound(entityType.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase(), id, details);
  }
}
