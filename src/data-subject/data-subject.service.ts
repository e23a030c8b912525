import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { lockedInScope } from '../access/scope-check';
import { addDays, today } from '../common/calendar';
import { uuidOrThrow } from '../common/ids';
import { badInput, conflict } from '../errors';
import type { Operation } from '../request/operation';
import { servedReturneeOrThrow, SERVE_DENIED } from '../statement/served-returnee';
import { DataSubjectRequest, type DsrOutcome } from './data-subject-request.entity';
import { servedSql } from './data-subject-scope';
import type { RecordDataSubjectRequestInput } from './data-subject.types';

/**
 * Data-subject requests: the person asks the agency that registered them to see, correct,
 * object to, erase or restrict their data. That agency's caseworkers and supervisors record
 * them (`serveDataSubject`, the same gate as the person's statement) and complete them; the due
 * date is the day received plus HUB_DSR_DUE_DAYS, fixed when recorded. Each change is an audit
 * event in the same transaction; the request holds no value of the record.
 */
const NOTE_MAX = 2000;

function noteOrThrow(note: string | null | undefined, field: string): string | undefined {
  const clean = note?.trim();
  if (clean && clean.length > NOTE_MAX) throw badInput(`${field} must be at most ${NOTE_MAX} characters`, { fields: [field] });
  return clean || undefined;
}

export async function recordDataSubjectRequestOrThrow(op: Operation, input: RecordDataSubjectRequestInput): Promise<string> {
  const note = noteOrThrow(input.note, 'note');
  const receivedOn = String(input.receivedOn).slice(0, 10);
  if (receivedOn > today()) throw badInput('receivedOn cannot be in the future', { fields: ['receivedOn'] });
  if (receivedOn < '2000-01-01') throw badInput('receivedOn is too far in the past', { fields: ['receivedOn'] });
  const person = await servedReturneeOrThrow(op, input.returneeId, { entityType: 'DataSubjectRequest', action: 'CREATE' });
  const request = new DataSubjectRequest({
    returneeId: person.id,
    agencyId: person.registeringAgencyId,
    kind: input.kind,
    receivedOn,
    dueOn: addDays(receivedOn, op.ctx.runtime.config.dsrDueDays),
    note,
    recordedBy: op.actor.staffId,
  });
  const recorded = await op.em.transactional(async (tx) => {
    if (!(await stillServed(op, tx, person.id))) return null;
    tx.persist(request);
    await tx.flush();
    await op.recordInTransaction(tx, [
      {
        action: 'CREATE',
        entityType: 'DataSubjectRequest',
        entityId: request.id,
        returneeId: person.id,
        fields: ['kind', 'receivedOn', 'dueOn', ...(note ? ['note'] : [])],
        outcome: 'SUCCESS',
      },
    ]);
    return request.id;
  });
  return recorded ?? op.notFoundOrThrow('CREATE', 'Returnee', person.id, person.id);
}

/**
 * Asked again in the request's transaction, just before its write, with the record locked FOR
 * SHARE: a merge locks both records FOR UPDATE and moves the person's requests to the survivor,
 * so a request recorded on a record merged meanwhile would stay behind on the merged record, in
 * nobody's scope, never answered. A merge committed since the first look makes the request
 * NOT_FOUND with nothing written (as it would be a moment later); one that comes after waits
 * for this write and then moves it.
 */
async function stillServed(op: Operation, tx: EntityManager, returneeId: string): Promise<boolean> {
  const db = tx.getTransactionContext<Knex.Transaction>()!;
  return (await lockedInScope(db, op.ability, 'serveDataSubject', [returneeId])).has(returneeId);
}

/** Answers an open request once: a completed one is CONFLICT; one the caller does not serve is NOT_FOUND. */
export async function completeDataSubjectRequestOrThrow(
  op: Operation,
  requestedId: string,
  outcome: DsrOutcome,
  rawNote: string | null | undefined,
): Promise<string> {
  const id = uuidOrThrow(requestedId);
  const note = noteOrThrow(rawNote, 'note');
  await op.authorizeOrThrow('serveDataSubject', 'Returnee', { entityType: 'DataSubjectRequest', entityId: id, message: SERVE_DENIED });
  const params: unknown[] = [];
  const served = servedSql(op, params) ?? 'false';
  const { rows } = (await op.em
    .getConnection()
    .getKnex()
    .raw(`select d.returnee_id, d.status from data_subject_request d where ${served} and d.id = ?`, [
      ...params,
      id,
    ] as Knex.RawBinding[])) as { rows: { returnee_id: string; status: string }[] };
  if (rows.length === 0) return op.notFoundOrThrow('UPDATE', 'DataSubjectRequest', id);
  const returneeId = rows[0].returnee_id;
  const already = () => conflict('This request is already completed; nothing was changed');
  if (rows[0].status !== 'OPEN') throw already();
  return op.em.transactional(async (tx) => {
    const n = await tx.nativeUpdate(
      DataSubjectRequest,
      { id, status: 'OPEN' },
      { status: 'COMPLETED', outcome, outcomeNote: note, completedBy: op.actor.staffId, completedAt: new Date() },
    );
    if (n === 0) throw already();
    await op.recordInTransaction(tx, [
      {
        action: 'UPDATE',
        entityType: 'DataSubjectRequest',
        entityId: id,
        returneeId,
        fields: ['status', 'outcome', 'completedAt', ...(note ? ['outcomeNote'] : [])],
        outcome: 'SUCCESS',
      },
    ]);
    return id;
  });
}
