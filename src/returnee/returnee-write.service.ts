import { randomInt } from 'node:crypto';
import { OptimisticLockError } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Operation } from '../request/operation';
import { returneeScope } from '../access/scope';
import { Agency } from '../agency/agency.entity';
import { today as todayIs } from '../common/calendar';
import { badInput, conflict, HubError } from '../errors';
import { writeNameKeys } from '../dedup/name-key-store';
import { ReturneeRevision } from './returnee-revision.entity';
import { Returnee } from './returnee.entity';
import type { RegisterReturneeInput, UpdateReturneeInput } from './returnee.inputs';
import { uuidOrThrow } from '../common/ids';

const REQUIRED_ON_CREATE = ['givenName', 'familyName', 'sex', 'dateOfBirth'] as const;
/** The fields name keys are made of (src/dedup/name-keys.ts). */
const NAME_FIELDS = ['givenName', 'familyName', 'patronymic', 'otherNames'];
const NOT_NULLABLE = new Set(['givenName', 'familyName', 'sex', 'dateOfBirth', 'dateOfBirthEstimated', 'status', 'otherNames']);

/** The fields present in a GraphQL input object (undefined = not sent). */
function presentFields(input: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
}

/** Refuses the whole write, naming the fields, when any is not writable by the caller. */
async function fieldsWritableOrThrow(op: Operation, action: 'create' | 'update', input: Record<string, unknown>, returneeId?: string) {
  const sent = Object.keys(input).filter((f) => input[f] !== undefined);
  await op.fieldsWritableOrThrow(
    action,
    sent,
    { entityType: 'Returnee', entityId: returneeId, returneeId },
    (refused) => `Your sector (${op.actor.sector}) may not write: ${refused.join(', ')}. Nothing was changed.`,
  );
}

/** Dates must make sense together: no birth in the future, no return before birth. */
function datesOrThrow(r: { dateOfBirth?: string | null; returnedOn?: string | null }): void {
  const today = todayIs();
  if (r.dateOfBirth && r.dateOfBirth > today) throw badInput('dateOfBirth cannot be in the future', { fields: ['dateOfBirth'] });
  if (r.dateOfBirth && r.dateOfBirth < '1900-01-01') throw badInput('dateOfBirth must be after 1900-01-01', { fields: ['dateOfBirth'] });
  if (r.returnedOn && r.returnedOn > today) throw badInput('returnedOn cannot be in the future', { fields: ['returnedOn'] });
  if (r.returnedOn && r.dateOfBirth && r.returnedOn < r.dateOfBirth) {
    throw badInput('returnedOn cannot be before dateOfBirth', { fields: ['returnedOn', 'dateOfBirth'] });
  }
}

function caseNumber(country: string): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const suffix = Array.from({ length: 8 }, () => alphabet[randomInt(alphabet.length)]).join('');
  return `${country}-${new Date().getUTCFullYear()}-${suffix}`;
}

/** `beforeCreate` runs once the input is known good, before anything is written (the duplicate check of REFUSE). */
export async function registerReturneeOrThrow(
  op: Operation,
  input: RegisterReturneeInput,
  beforeCreate?: () => Promise<void>,
): Promise<string> {
  const fields = presentFields(input);
  await op.authorizeOrThrow('create', 'Returnee', { message: `Your sector (${op.actor.sector}) may not register returnees` });
  await fieldsWritableOrThrow(op, 'create', fields);
  const missing = REQUIRED_ON_CREATE.filter((f) => fields[f] === undefined || fields[f] === null);
  if (missing.length > 0) throw badInput(`Missing required fields: ${missing.join(', ')}`, { fields: missing });
  datesOrThrow(input);
  await beforeCreate?.();
  return op.em.transactional(async (tx) => {
    const returnee = new Returnee({
      registeringAgency: tx.getReference(Agency, op.actor.agencyId, { wrapped: true }),
      country: op.actor.country,
      caseNumber: caseNumber(op.actor.country),
      givenName: input.givenName!,
      familyName: input.familyName!,
      sex: input.sex!,
      dateOfBirth: input.dateOfBirth!,
    });
    tx.assign(returnee, fields);
    tx.persist(returnee);
    await tx.flush();
    await writeNameKeys(tx, [returnee]);
    await op.recordInTransaction(tx, [
      {
        action: 'CREATE',
        entityType: 'Returnee',
        entityId: returnee.id,
        returneeId: returnee.id,
        fields: Object.keys(fields),
        outcome: 'SUCCESS',
      },
    ]);
    return returnee.id;
  });
}

/**
 * Optimistic concurrency: the client sends the version it saw. A different current version,
 * or a concurrent update that commits first (the UPDATE carries `where version = ?`), is a
 * CONFLICT and nothing is written. Previous values go to returnee_revision first.
 */
export async function updateReturneeOrThrow(
  op: Operation,
  id: string,
  expectedVersion: number,
  input: UpdateReturneeInput,
): Promise<string> {
  const returneeId = uuidOrThrow(id);
  const fields = presentFields(input);
  if (Object.keys(fields).length === 0) throw badInput('input names no field to change');
  await fieldsWritableOrThrow(op, 'update', fields, returneeId);
  const nulled = Object.keys(fields).filter((f) => fields[f] === null && NOT_NULLABLE.has(f));
  if (nulled.length > 0) throw badInput(`These fields cannot be cleared: ${nulled.join(', ')}`, { fields: nulled });
  const scope = returneeScope(op.ability, 'update');
  if (scope === null) return op.notFoundOrThrow('UPDATE', 'Returnee', returneeId, returneeId);
  try {
    return await op.em.transactional(async (tx) => {
      const row = await tx.findOne(Returnee, { $and: [{ id: returneeId }, scope] });
      if (!row) throw new OutOfScope();
      if (row.version !== expectedVersion) throw staleVersion(expectedVersion, row.version);
      datesOrThrow({
        dateOfBirth: (fields.dateOfBirth as string) ?? row.dateOfBirth,
        returnedOn: (fields.returnedOn as string) ?? row.returnedOn,
      });
      await writeWithHistoryOrThrow(op, tx, row, fields);
      if (NAME_FIELDS.some((f) => f in fields)) await writeNameKeys(tx, [row]);
      return row.id;
    });
  } catch (error) {
    if (error instanceof OutOfScope) return op.notFoundOrThrow('UPDATE', 'Returnee', returneeId, returneeId);
    if (error instanceof OptimisticLockError)
      throw await recordConflict(op, returneeId, staleVersion(expectedVersion, await currentVersionOf(op.ctx.em, returneeId)));
    if (error instanceof HubError && error.code === 'CONFLICT') throw await recordConflict(op, returneeId, error);
    throw error;
  }
}

/** Applies `fields` to a loaded row, keeping the previous values, inside the caller's transaction. */
export async function writeWithHistoryOrThrow(
  op: Operation,
  tx: EntityManager,
  row: Returnee,
  fields: Record<string, unknown>,
): Promise<void> {
  const previous: Record<string, unknown> = {};
  for (const f of Object.keys(fields)) previous[f] = (row as unknown as Record<string, unknown>)[f] ?? null;
  tx.persist(
    new ReturneeRevision({ returneeId: row.id, version: row.version, previous, staffId: op.actor.staffId, agencyId: op.actor.agencyId }),
  );
  tx.assign(row, fields);
  await tx.flush();
  await op.recordInTransaction(tx, [
    { action: 'UPDATE', entityType: 'Returnee', entityId: row.id, returneeId: row.id, fields: Object.keys(fields), outcome: 'SUCCESS' },
  ]);
}

class OutOfScope extends Error {}

/**
 * The version a concurrent writer committed, for the CONFLICT that tells a client which version
 * to re-read from. Only asked after a lost race on a record the caller had in scope.
 */
export async function currentVersionOf(em: EntityManager, returneeId: string): Promise<number | undefined> {
  const [row] = await em.execute<{ version: number }[]>('select version from returnee where id = ?', [returneeId]);
  return row?.version;
}

function staleVersion(expected: number, current?: number): HubError {
  return conflict(
    `The record changed since you read it (you sent version ${expected}${current ? `, it is now ${current}` : ''}). ` +
      'Read it again, reapply your change and send the new version.',
    current ? { currentVersion: current } : {},
  );
}

async function recordConflict(op: Operation, returneeId: string, error: HubError): Promise<HubError> {
  await op.recordDurably([
    { action: 'UPDATE', entityType: 'Returnee', entityId: returneeId, returneeId, outcome: 'CONFLICT', reason: 'CONFLICT' },
  ]);
  return error;
}
