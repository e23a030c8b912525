import type { Ref } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Operation } from '../request/operation';
import { returneeScope } from '../access/scope';
import { Agency } from '../agency/agency.entity';
import { today } from '../common/calendar';
import { badInput, conflict, type HubError } from '../errors';
import { StaffMember } from '../staff/staff.entity';
import { Returnee } from './returnee.entity';
import { readsFieldOn } from './returnee-read.service';

/**
 * The steps of a section write, which section-write-command.ts runs in one order for every
 * section: authorize the section's fields first, validate what can be validated without the
 * record, load the record in the caller's update scope, then check the input against the record
 * (its date of birth) before writing anything.
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

/** The record when it is in the caller's update scope; otherwise the attempt is audited and NOT_FOUND thrown. */
export async function returneeInUpdateScopeOrThrow(
  op: Operation,
  returneeId: string,
  attempt: { action: 'CREATE' | 'UPDATE'; entityType: string },
): Promise<Returnee> {
  const scope = returneeScope(op.ability, 'update');
  const row = scope && (await op.em.findOne(Returnee, { $and: [{ id: returneeId }, scope] }));
  if (!row) return op.notFoundOrThrow(attempt.action, attempt.entityType, returneeId, returneeId);
  return row;
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
 * Nothing happened to a person before they were born: checked against the date of birth only
 * when the caller may read it on this record. For anyone else the refusal (or its absence)
 * would reveal the date one guess at a time, so their dates are held only to the checks that
 * do not depend on the record (not in the future).
 */
export async function notBeforeBirthOrThrow(
  op: Operation,
  returnee: { id: string; dateOfBirth: string },
  dates: Record<string, string | null | undefined>,
): Promise<void> {
  if (!(await readsFieldOn(op, returnee.id, 'dateOfBirth'))) return;
  const { dateOfBirth } = returnee;
  const early = Object.keys(dates).filter((f) => dates[f] && dates[f]! < dateOfBirth);
  if (early.length > 0) {
    throw badInput(`${early.join(', ')} cannot be before the returnee's date of birth (${dateOfBirth})`, { fields: early });
  }
}

/** Who recorded a child row: the caller's agency and staff member. */
export function recordedBy(tx: EntityManager, op: Operation): { agency: Ref<Agency>; recordedBy: Ref<StaffMember> } {
  return {
    agency: tx.getReference(Agency, op.actor.agencyId, { wrapped: true }),
    recordedBy: tx.getReference(StaffMember, op.actor.staffId, { wrapped: true }),
  };
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
