import type { Knex } from '@mikro-orm/postgresql';
import { caseNumbersInScope } from '../auditor/audit-scope';
import { caseNumberReads } from '../auditor/audit-view';
import { today } from '../common/calendar';
import { uuidOrThrow } from '../common/ids';
import type { Operation } from '../request/operation';
import type { DsrKind, DsrOutcome, DsrStatus } from './data-subject-request.entity';
import { listScopeSql, servedSql } from './data-subject-scope';
import type { DataSubjectRequestType } from './data-subject.types';

interface Row {
  id: string;
  returnee_id: string;
  agency_name: string;
  kind: DsrKind;
  received_on: string;
  due_on: string;
  status: DsrStatus;
  overdue: boolean;
  outcome: DsrOutcome | null;
  note: string | null;
  outcome_note: string | null;
  recorded_at: Date;
  completed_at: Date | null;
  notes_visible: boolean;
}

const MAX_ROWS = 500;
const FIELDS = ['kind', 'receivedOn', 'dueOn', 'status', 'outcome', 'recordedAt', 'completedAt'];

/**
 * The requests matching `where`, with the notes in SQL only where the caller serves the person
 * (the registering agency's staff); each row shown is a READ event naming the person, stored
 * before the answer. Overdue = open and due before today (UTC, common/calendar.ts).
 */
async function select(
  op: Operation,
  arms: string[],
  params: unknown[],
  filter: { id?: string; returneeId?: string; status?: DsrStatus; overdue?: boolean; caseNumberShown?: boolean },
) {
  const day = today();
  const notes: unknown[] = [];
  const served = servedSql(op, notes) ?? 'false';
  const where = [`(${arms.join(' or ')})`];
  if (filter.id !== undefined) {
    where.push('d.id = ?');
    params.push(filter.id);
  }
  if (filter.returneeId !== undefined) {
    where.push('d.returnee_id = ?');
    params.push(filter.returneeId);
  }
  if (filter.status) {
    where.push('d.status = ?');
    params.push(filter.status);
  }
  if (filter.overdue !== undefined && filter.overdue !== null) {
    where.push(`(d.status = 'OPEN' and d.due_on < ?::date) = ?`);
    params.push(day, filter.overdue);
  }
  const text = `select d.id, d.returnee_id, a.name as agency_name, d.kind, to_char(d.received_on, 'YYYY-MM-DD') as received_on,
      to_char(d.due_on, 'YYYY-MM-DD') as due_on, d.status, (d.status = 'OPEN' and d.due_on < ?::date) as overdue, d.outcome,
      case when ${served} then d.note end as note, case when ${served} then d.outcome_note end as outcome_note,
      d.recorded_at, d.completed_at, ${served} as notes_visible
    from data_subject_request d join agency a on a.id = d.agency_id
    where ${where.join(' and ')}
    order by d.status desc, d.due_on, d.id limit ${MAX_ROWS}`;
  const bindings = [day, ...notes, ...notes, ...notes, ...params];
  const knex = op.em.getConnection().getKnex();
  const trx = op.em.getTransactionContext<Knex.Transaction>();
  const { rows } = (await (trx ?? knex).raw(text, bindings as Knex.RawBinding[])) as { rows: Row[] };
  const shown = filter.caseNumberShown !== false;
  const caseNumbers = shown ? await caseNumbersInScope(op, [...new Set(rows.map((r) => r.returnee_id))]) : new Map<string, string>();
  // The person's case number shown beside a request (when the client selected it) is a read of
  // that record's reference, like anyone's: one READ event per record whose number is shown,
  // before the requests' own.
  await op.recordDurably([
    ...caseNumberReads(
      { caseNumbers },
      rows.map((r) => r.returnee_id),
      shown,
    ),
    ...rows.map((r) => ({
      action: 'READ' as const,
      entityType: 'DataSubjectRequest',
      entityId: r.id,
      returneeId: r.returnee_id,
      fields: r.notes_visible ? [...FIELDS, 'note', 'outcomeNote'] : FIELDS,
      outcome: 'SUCCESS' as const,
    })),
  ]);
  return rows.map((r): DataSubjectRequestType => ({
    id: r.id,
    person: { id: r.returnee_id, caseNumber: caseNumbers.get(r.returnee_id) ?? null },
    agencyName: r.agency_name,
    kind: r.kind,
    receivedOn: r.received_on,
    dueOn: r.due_on,
    status: r.status,
    overdue: r.overdue,
    outcome: r.outcome,
    note: r.note,
    outcomeNote: r.outcome_note,
    recordedAt: new Date(r.recorded_at),
    completedAt: r.completed_at ? new Date(r.completed_at) : null,
    redactedFields: r.notes_visible ? [] : ['note', 'outcomeNote'],
  }));
}

/** `dataSubjectRequests`: supervisors of the recording agency and auditors of its country; open ones first, by due date. */
export async function listDataSubjectRequestsOrThrow(
  op: Operation,
  filter: { returneeId?: string; status?: DsrStatus; overdue?: boolean; caseNumberShown?: boolean },
): Promise<DataSubjectRequestType[]> {
  await op.authorizeOrThrow('readDataSubjectRequests', 'DataSubjectRequest', {
    message: 'Only supervisors of the agency that recorded them and auditors see data-subject requests',
  });
  // A person's requests whatever the list's cap; an id out of scope lists nothing, like one with none.
  if (filter.returneeId !== undefined) filter = { ...filter, returneeId: uuidOrThrow(filter.returneeId) };
  const params: unknown[] = [];
  const arm = listScopeSql(op.ability, params)!;
  return select(op, [arm], params, filter);
}

/** One request as the caller may see it (list scope, or the people they serve), or NOT_FOUND: what the mutations answer with. */
export async function readDataSubjectRequestOrThrow(
  op: Operation,
  requestedId: string,
  caseNumberShown = true,
): Promise<DataSubjectRequestType> {
  const id = uuidOrThrow(requestedId);
  const params: unknown[] = [];
  const arms = [listScopeSql(op.ability, params), servedSql(op, params)].filter((a): a is string => a !== null);
  const [found] = arms.length ? await select(op, arms, params, { id, caseNumberShown }) : [];
  return found ?? op.notFoundOrThrow('READ', 'DataSubjectRequest', id);
}
