import type { Operation } from '../request/operation';
import { today } from '../common/calendar';
import { badInput, conflict, type HubError } from '../errors';

/**
 * The steps of a section write, which section-write-command.ts runs in one order for every
 * section: authorize the section's fields first, validate what can be validated without the
 * record; the statement (section-write-sql.ts) then checks the record's scope, version and date
 * of birth before it writes anything.
 */

/** The entries of a GraphQL input that the client sent (undefined = not sent, null = clear). */
export function sentFields<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Refuses the whole write unless the caller may update every field it touches: one DENY
 * event names the missing fields, and nothing is written.
 */
export function sectionWritableOrThrow(
  op: Operation,
  what: { entityType: string; returneeId?: string; entityId?: string; fields: readonly string[]; doing: string },
): Promise<void> {
  return op.fieldsWritableOrThrow(
    'update',
    what.fields,
    { entityType: what.entityType, entityId: what.entityId, returneeId: what.returneeId },
    (missing) => `Your sector (${op.actor.sector}) may not ${what.doing}: it does not write ${missing.join(', ')}. Nothing was changed.`,
  );
}

/** No date of a record lies in the future. Names are the input fields, for the message. */
export function notInFutureOrThrow(dates: Record<string, string | null | undefined>): void {
  const day = today();
  const late = Object.keys(dates).filter((f) => dates[f] && dates[f]! > day);
  if (late.length > 0) throw badInput(`${late.join(', ')} cannot be in the future (today is ${day})`, { fields: late });
}

/** An end, when there is one, is on or after its start. */
export function periodOrThrow(start: [string, string], end: [string, string | null | undefined]): void {
  if (end[1] && end[1] < start[1]) {
    throw badInput(`${end[0]} (${end[1]}) cannot be before ${start[0]} (${start[1]})`, { fields: [start[0], end[0]] });
  }
}

/**
 * The refusal of dates before the birth, only to a caller who may read the date of birth on
 * this record: for anyone else the refusal (or its absence) would reveal the date one guess at
 * a time, so their dates are held only to the checks that do not depend on the record.
 */
export function beforeBirth(early: string[], dateOfBirth: string): HubError {
  return badInput(`${early.join(', ')} cannot be before the returnee's date of birth (${dateOfBirth})`, { fields: early });
}

/** A write that lost a race (or carried a stale version) is audited as CONFLICT, then refused. */
export async function conflictOrThrow(
  op: Operation,
  what: { action: 'CREATE' | 'UPDATE'; entityType: string; returneeId: string; entityId?: string },
  message: string,
  details: Record<string, unknown> = {},
): Promise<never> {
  const error: HubError = conflict(message, details);
  await op.recordDurably([{ ...what, outcome: 'CONFLICT', reason: 'CONFLICT' }]);
  throw error;
}
