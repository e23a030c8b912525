import { uuidOrThrow } from '../common/ids';
import type { Operation } from '../request/operation';
import { currentVersionOf } from './returnee-write.service';
import { beforeBirth, conflictOrThrow, sectionWritableOrThrow } from './section-write';
import { isLostRace, runSectionStatement, SUPERSEDED_FIRST, type SectionStatement, type StatementOutcome } from './section-write-sql';

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
  /** Dates that cannot lie before the person's birth, checked only when the caller reads the date of birth (section-write-sql.ts). */
  notBeforeBirth?: Dates;
  /**
   * Completes "The record changed while …" when a concurrent write to the record's columns wins
   * (a versioned write says instead that the version the client sent is stale).
   */
  racing?: string;
  /** A concurrent write that loses on a unique index (a second current document): CONFLICT with this text. */
  uniqueConflict?: string;
  /**
   * The write, for a section whose write adds a row and/or sets some record columns: the whole
   * write, scope and version checks, revision and audit events included, in ONE SQL statement
   * (section-write-sql.ts). Built after the input was validated and authorized.
   */
  statement?(returneeId: string): SectionStatement;
  /**
   * Instead of `statement`, for a section whose row depends on the rows already stored (a
   * document's new version carries the current one's details): the section's own one-statement
   * write (documents-write-sql.ts), answering as runSectionStatement does.
   */
  run?(returneeId: string): Promise<StatementOutcome>;
}

/**
 * The one section-write command: authorize every field first (one DENY names the missing ones),
 * validate what needs no record, then write in ONE statement that also checks the record's
 * update scope (NOT_FOUND, audited, otherwise), the version and the dates against the record,
 * writing nothing when one refuses. A lost race is CONFLICT, audited, with nothing written: on the record's version
 * (the current one is in the error) or on a unique index. Returns the record's id.
 */
export async function writeSectionOrThrow(op: Operation, w: SectionWrite): Promise<string> {
  const returneeId = uuidOrThrow(w.returneeId, 'returneeId');
  w.precheck?.();
  await authorizeOrThrow(op, returneeId, w);
  w.validate?.();
  if (w.run) return inOneStatementOrThrow(op, returneeId, w, w.run.bind(w));
  if (w.statement) {
    const s = w.statement(returneeId);
    return inOneStatementOrThrow(op, returneeId, w, () => runSectionStatement(op, returneeId, w, s));
  }
  throw new Error(`section write of ${w.entityType} has neither statement nor run`);
}

/** The statement path of writeSectionOrThrow: the same refusals, in the same order, from one round trip. */
async function inOneStatementOrThrow(
  op: Operation,
  returneeId: string,
  w: SectionWrite,
  run: (returneeId: string) => Promise<StatementOutcome>,
): Promise<string> {
  let outcome: StatementOutcome;
  try {
    outcome = await run(returneeId);
  } catch (error) {
    const supersededFirst = isLostRace(error) && (error as { message?: string }).message?.endsWith(SUPERSEDED_FIRST);
    if (isLostRace(error) && !supersededFirst) return lostRaceOrThrow(op, returneeId, w);
    // A concurrent write of the same kind won: it superseded our current row first, or stored a current row we did not see.
    if (w.uniqueConflict && (supersededFirst || (error as { code?: string }).code === '23505')) {
      return conflictOrThrow(op, { action: w.attempt, entityType: w.entityType, returneeId }, w.uniqueConflict);
    }
    throw error;
  }
  if (!outcome.found) return op.notFoundOrThrow(w.attempt, w.entityType, returneeId, returneeId);
  if (w.expectedVersion !== undefined && outcome.version !== w.expectedVersion)
    return staleOrThrow(op, returneeId, w.expectedVersion, outcome.version);
  if (outcome.refusal) throw outcome.refusal;
  if (outcome.early.length > 0) throw beforeBirth(outcome.early, outcome.dateOfBirth!);
  if (!outcome.written) throw new Error('a section statement neither wrote nor refused');
  return returneeId;
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
