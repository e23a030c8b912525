import { OptimisticLockError, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { uuidOrThrow } from '../common/ids';
import type { Operation } from '../request/operation';
import type { Returnee } from './returnee.entity';
import { currentVersionOf } from './returnee-write.service';
import { conflictOrThrow, notBeforeBirthOrThrow, returneeInUpdateScopeOrThrow, sectionWritableOrThrow } from './section-write';

type Dates = Record<string, string | null | undefined>;

/**
 * One write to a section of a record (health, education, documents, social support,
 * psychosocial), as `writeSectionOrThrow` runs it. The section says what it touches and how to
 * check its input; the steps, their order and the refusals are the same for every section.
 */
export interface SectionWrite {
  /** The record, as the client sent it (`returneeId`): validated first. */
  returneeId: string;
  /** What the write creates or changes, for its refusals: DENY, NOT_FOUND (e.g. `HealthAssessment`). */
  entityType: string;
  /** The attempt a record out of scope is audited as. */
  attempt: 'CREATE' | 'UPDATE';
  /** Every field the write touches: the caller must write all of them, or nothing happens. */
  fields: readonly string[];
  /** Completes "Your sector (…) may not …" when a field is not writable. */
  doing: string;
  /** A refusal text of the section's own, replacing the default one (clients know health's). */
  deniedMessage?: string;
  /** Checks before authorization (after the id): "the input names nothing to change". */
  precheck?: () => void;
  /** Checks of the input that need no record (shape, not in the future, periods): run before it is loaded. */
  validate?: () => void;
  /** The version the client read (education): another one is CONFLICT before anything is written. */
  expectedVersion?: number;
  /** Dates that cannot lie before the person's birth, when known before the write (see notBeforeBirthOrThrow). */
  notBeforeBirth?: Dates;
  /**
   * Completes "The record changed while …" when a concurrent write to the record's columns wins
   * (a versioned write says instead that the version the client sent is stale).
   */
  racing?: string;
  /** A concurrent write that loses on a unique index (a second current document): CONFLICT with this text. */
  uniqueConflict?: string;
  /**
   * The write itself, in one transaction: persists the section's rows, changes the record's
   * columns through writeWithHistoryOrThrow, and records its audit events (in the order its
   * events have always had). `datesOk` checks dates only known inside the transaction.
   */
  write(tx: EntityManager, row: Returnee, datesOk: (dates: Dates) => Promise<void>): Promise<void>;
}

/**
 * The one section-write command: authorize every field first (one DENY names the missing ones),
 * validate what needs no record, load the record in the caller's update scope (NOT_FOUND,
 * audited, otherwise), check the version and the dates against the record, then write in one
 * transaction. A lost race is CONFLICT, audited, with nothing written: on the record's version
 * (the current one is in the error) or on a unique index. Returns the record's id.
 */
export async function writeSectionOrThrow(op: Operation, w: SectionWrite): Promise<string> {
  const returneeId = uuidOrThrow(w.returneeId, 'returneeId');
  w.precheck?.();
  await authorizeOrThrow(op, returneeId, w);
  w.validate?.();
  const row = await returneeInUpdateScopeOrThrow(op, returneeId, { action: w.attempt, entityType: w.entityType });
  if (w.expectedVersion !== undefined && row.version !== w.expectedVersion)
    return staleOrThrow(op, returneeId, w.expectedVersion, row.version);
  if (w.notBeforeBirth) await notBeforeBirthOrThrow(op, row, w.notBeforeBirth);
  try {
    return await op.em.transactional(async (tx) => {
      await w.write(tx, row, (dates) => notBeforeBirthOrThrow(op, row, dates));
      return row.id;
    });
  } catch (error) {
    if (error instanceof OptimisticLockError) return lostRaceOrThrow(op, returneeId, w);
    if (w.uniqueConflict && error instanceof UniqueConstraintViolationException) {
      return conflictOrThrow(op, { action: w.attempt, entityType: w.entityType, returneeId }, w.uniqueConflict);
    }
    throw error;
  }
}

async function authorizeOrThrow(op: Operation, returneeId: string, w: SectionWrite): Promise<void> {
  if (!w.deniedMessage) return sectionWritableOrThrow(op, { entityType: w.entityType, returneeId, fields: w.fields, doing: w.doing });
  const message = w.deniedMessage;
  return op.fieldsWritableOrThrow('update', w.fields, { entityType: w.entityType, returneeId }, () => message);
}

/** Another write to the record committed between our read of it and our update (its version moved). */
async function lostRaceOrThrow(op: Operation, returneeId: string, w: SectionWrite): Promise<never> {
  if (w.expectedVersion !== undefined) {
    return staleOrThrow(op, returneeId, w.expectedVersion, await currentVersionOf(op.ctx.em, returneeId));
  }
  return conflictOrThrow(
    op,
    { action: 'UPDATE', entityType: 'Returnee', entityId: returneeId, returneeId },
    `The record changed while ${w.racing ?? 'this was being written'}; nothing was written. Send it again.`,
    { currentVersion: await currentVersionOf(op.em, returneeId) },
  );
}

function staleOrThrow(op: Operation, returneeId: string, expected: number, current?: number): Promise<never> {
  return conflictOrThrow(
    op,
    { action: 'UPDATE', entityType: 'Returnee', entityId: returneeId, returneeId },
    `The record changed since you read it (you sent version ${expected}${current ? `, it is now ${current}` : ''}). ` +
      'Read it again, reapply your change and send the new version.',
    current ? { currentVersion: current } : {},
  );
}
