import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuditEntry, AuditScope } from '../audit/audit-recorder';
import type { Actor } from '../auth/actor';
import { forbidden, notFound, unauthenticated, type HubError } from '../errors';
import type { RequestContext } from '../graphql/context';
import type { TouchedRecord } from '../idempotency/idempotency-key.entity';
import { runOnce } from '../idempotency/idempotency';
import type { Action, AppAbility, SubjectName } from './ability';

type EntryInput = Omit<AuditEntry, 'operation'>;

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
   * (src/idempotency/idempotency.ts); without one it simply runs. The effect yields the id of
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
    return { requestId: this.ctx.requestId, staffId: this.actor.staffId, agencyId: this.actor.agencyId, purpose: this.ctx.purpose };
  }

  /** Stores read (or refusal) events and resolves once they are durable: await before returning data. */
  recordDurably(entries: EntryInput[]): Promise<void> {
    return this.ctx.runtime.recorder.durably(this.auditScope, entries.map((e) => ({ ...e, operation: this.name })));
  }

  /** Stores a mutation's events with the mutation's transaction. */
  recordInTransaction(tx: EntityManager, entries: EntryInput[]): Promise<void> {
    for (const e of entries) this.touched?.push({ entityType: e.entityType, entityId: e.entityId, returneeId: e.returneeId });
    return this.ctx.runtime.recorder.inTransaction(tx, this.auditScope, entries.map((e) => ({ ...e, operation: this.name })));
  }

  /** Authorize first: a missing permission is recorded as a DENY event, then refused. */
  async authorizeOrThrow(action: Action, subject: SubjectName, denial: { entityType?: string; entityId?: string; returneeId?: string; message: string }): Promise<void> {
    if (this.ability.can(action, subject)) return;
    await this.denyOrThrow({ entityType: denial.entityType ?? subject, entityId: denial.entityId, returneeId: denial.returneeId }, forbidden(denial.message));
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
  async notFoundOrThrow(action: 'READ' | 'UPDATE' | 'CREATE', entityType: string, id: string, returneeId?: string): Promise<never> {
    await this.recordDurably([{ action, entityType, entityId: id, returneeId, outcome: 'NOT_FOUND', reason: 'NOT_FOUND' }]);
    // The kind in words ("case access"), never the id: see errors.ts notFound.
    throw notFound(entityType.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase(), id);
  }
}
