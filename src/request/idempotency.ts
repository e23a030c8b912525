import { createHash } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuditEntry } from '../trail/audit-recorder';
import { badInput, conflict } from '../errors';
import type { TouchedRecord } from './idempotency-key.entity';

/**
 * Idempotent mutations (`Idempotency-Key` header, see docs/operations.md).
 *
 * The first request under a key runs the mutation in one transaction that also stores, keyed
 * by (staff, key), a hash of the request and the ids the mutation returned: the effect and the
 * key commit together or not at all. A retry with the same key and the same request gets the
 * first result back with no second effect, audited as a replay (READ / REPLAYED, naming the
 * request that took effect); the response is read again through the access layer, so it shows
 * no more than the caller may see now (see below). The same key with a different request is refused
 * (BAD_USER_INPUT). A duplicate that arrives while the first is still running is CONFLICT at
 * once (a transaction-scoped advisory lock, shared by every hub process on the database).
 * A failed mutation stores nothing: it had no effect, and a retry runs it again.
 */
export const IDEMPOTENCY_TTL_HOURS = 24;

/**
 * What a mutation under a key keeps is the id of the record it changed, nothing more: the
 * response, first time and on a replay alike, is built by the resolver with the same scoped,
 * projected, audited read as a fresh query of that record (readReturneeOrThrow,
 * readConsentsOrThrow, readCaseAccessOrThrow, readReferralOrThrow, ...). So a replay shows only
 * what the caller may read now, or NOT_FOUND when the record left their scope; nothing here
 * loads a record.
 */
/** JSON with object keys sorted at every level, so equal arguments hash equally whatever their order. */
export function canonicalJson(value: unknown): string {
  const norm = (v: unknown): unknown => {
    if (v instanceof Date) return v.toISOString();
    if (Array.isArray(v)) return v.map(norm);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
          .map((k) => [k, norm((v as Record<string, unknown>)[k])]),
      );
    }
    return v;
  };
  return JSON.stringify(norm(value) ?? null);
}

export function requestHash(operation: string, args: Record<string, unknown>): string {
  return createHash('sha256')
    .update(canonicalJson([operation, args]))
    .digest('hex');
}

/** A signed 64-bit advisory-lock key for (staff, key). */
function lockKey(staffId: string, key: string): string {
  return createHash('sha256').update(`idempotency\0${staffId}\0${key}`).digest().readBigInt64BE(0).toString();
}

/**
 * What a run under a key needs of the request (src/request/operation.ts implements it): declared
 * here so that the operation imports this module and nothing here imports the operation back.
 */
export interface IdempotentRequest {
  readonly name: string;
  readonly args: Record<string, unknown>;
  readonly rootFieldCount: number;
  readonly actor: { readonly staffId: string };
  readonly ctx: { readonly em: EntityManager; readonly requestId: string };
  readonly em: EntityManager;
  within<T>(tx: EntityManager, effect: () => Promise<T>): Promise<{ result: T; touched: TouchedRecord[] }>;
  recordDurably(entries: Omit<AuditEntry, 'operation'>[]): Promise<void>;
}

type Operation = IdempotentRequest;

interface Stored {
  request_hash: string;
  operation: string;
  request_id: string;
  result: unknown;
  touched: TouchedRecord[];
}

const LIVE = `created_at > now() - interval '${IDEMPOTENCY_TTL_HOURS} hours'`;

async function findLive(em: EntityManager, staffId: string, key: string): Promise<Stored | undefined> {
  const rows = await em.execute<Stored[]>(
    `select request_hash, operation, request_id::text as request_id, result, touched from idempotency_key where staff_id = ? and key = ? and ${LIVE}`,
    [staffId, key],
  );
  return rows[0];
}

class InProgress extends Error {}

/** Runs `effect` at most once per (caller, key); see the module comment. */
export async function runOnce(op: Operation, key: string, effect: () => Promise<string>): Promise<string> {
  if (op.rootFieldCount > 1) throw badInput('An Idempotency-Key covers one mutation: send one mutation per request');
  const hash = requestHash(op.name, op.args);
  const prior = await findLive(op.em, op.actor.staffId, key);
  if (prior) return replayOrThrow(op, prior, hash);
  const first = await firstRunOrThrow(op, key, hash, effect);
  return 'replay' in first ? replayOrThrow(op, first.replay, hash) : first.result;
}

async function firstRunOrThrow(op: Operation, key: string, hash: string, effect: () => Promise<string>) {
  const staffId = op.actor.staffId;
  try {
    return await op.ctx.em.transactional(async (tx): Promise<{ result: string } | { replay: Stored }> => {
      const [{ locked }] = await tx.execute<{ locked: boolean }[]>('select pg_try_advisory_xact_lock(?) as locked', [
        lockKey(staffId, key),
      ]);
      if (!locked) throw new InProgress();
      const raced = await findLive(tx, staffId, key); // committed between our first look and the lock
      if (raced) return { replay: raced };
      const { result, touched } = await op.within(tx, effect);
      // Expired keys of this caller go first (this one too, if it expired): the table stays small without a sweeper.
      await tx.execute(`delete from idempotency_key where staff_id = ? and not (${LIVE})`, [staffId]);
      await tx.execute(
        'insert into idempotency_key (staff_id, key, request_hash, operation, request_id, result, touched) values (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb)',
        [staffId, key, hash, op.name, op.ctx.requestId, JSON.stringify(result), JSON.stringify(touched)],
      );
      return { result };
    });
  } catch (error) {
    const ours =
      error instanceof UniqueConstraintViolationException && (error as { constraint?: string }).constraint === 'idempotency_key_pkey';
    if (!(error instanceof InProgress) && !ours) throw error;
    await op.recordDurably([{ action: 'DENY', entityType: 'IdempotencyKey', outcome: 'CONFLICT', reason: 'IDEMPOTENCY_KEY_IN_USE' }]);
    throw conflict('A request with this Idempotency-Key is still being processed; retry shortly to get its result', {
      reason: 'IDEMPOTENCY_KEY_IN_USE',
    });
  }
}

async function replayOrThrow(op: Operation, prior: Stored, hash: string): Promise<string> {
  if (prior.request_hash !== hash) {
    await op.recordDurably([{ action: 'DENY', entityType: 'IdempotencyKey', outcome: 'INVALID', reason: 'IDEMPOTENCY_KEY_REUSED' }]);
    throw badInput(
      `This Idempotency-Key was already used for a different request (${prior.operation} with other arguments); ` +
        'send a new key with each new mutation and the same key only when retrying the same one',
      { reason: 'IDEMPOTENCY_KEY_REUSED' },
    );
  }
  const seen = new Set<string>();
  const records = prior.touched.filter((t) => {
    const id = JSON.stringify([t.entityType, t.entityId, t.returneeId]);
    return !seen.has(id) && seen.add(id);
  });
  await op.recordDurably(
    (records.length ? records : [{ entityType: 'IdempotencyKey' }]).map((t) => ({
      action: 'READ',
      ...t,
      fields: [],
      outcome: 'REPLAYED',
      reason: `REPLAY_OF ${prior.request_id}`,
    })),
  );
  return String(prior.result);
}
