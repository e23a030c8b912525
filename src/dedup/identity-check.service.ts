import { randomUUID } from 'node:crypto';
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { inline } from '../access/condition-sql';
import { readProjection, type ReadProjection } from '../access/projection';
import { uuidOrThrow } from '../common/ids';
import { badInput, conflict, forbidden } from '../errors';
import type { Operation } from '../request/operation';
import { gate } from './candidate-search';
import { IdentityCheckRequest, type IdentitySnapshot } from './identity-check.entity';
import { holdersOf } from './identity-match';
import { fillStaleKeys, hasStaleKeys } from './name-key-store';
import { PAIR_FIELDS } from './pair-store';

/**
 * requestIdentityCheck (docs/matching.md, "When another agency may know the person"): the
 * requester names one of its own records; the hub searches every other agency's records of the
 * country (any country when cross-border) as a system task and leaves one question per
 * registering agency of a close match (score ≥ 0.8 on identity). The REQUESTER's answer and
 * audit rows are the same whether no agency or several matched: one CREATE and one READ of the
 * request, status OPEN until it expires and CLOSED after; the questions are never shown to it.
 */
export const REQUEST_DAYS = 30;
/** Requests per staff member per 24 hours. */
export const REQUESTS_PER_DAY = 20;

export interface IdentityCheckRequestInput {
  returneeId: string;
  reason: string;
  crossBorder?: boolean | null;
}

async function requesterProjectionOrThrow(op: Operation, returneeId: string): Promise<ReadProjection> {
  const p = readProjection(op.ability);
  const role = op.actor.roles.includes('CASEWORKER') || op.actor.roles.includes('SUPERVISOR');
  if (role && p && PAIR_FIELDS.every((f) => p.readable.has(f))) return p;
  return op.denyOrThrow(
    { entityType: 'IdentityCheckRequest', entityId: returneeId, returneeId },
    forbidden(
      `Identity check requests are for caseworkers and supervisors who read identity data; you are ${op.actor.roles.join('/')} of ${op.actor.sector}`,
    ),
  );
}

interface RecordRow {
  id: string;
  country: string;
  given_name: string;
  family_name: string;
  patronymic: string | null;
  other_names: string[] | null;
  sex: string | null;
  date_of_birth: string | null;
  date_of_birth_estimated: boolean | null;
  place_of_birth: string | null;
}

/** The record, when in the caller's scope with its identity readable (the same SQL as a read). */
async function ownRecord(db: Knex | Knex.Transaction, p: ReadProjection, id: string): Promise<RecordRow | undefined> {
  const params: unknown[] = [id];
  const gates = PAIR_FIELDS.map((f) => gate(p, f, 'r', params));
  const text = `select r.id, r.country, r.given_name, r.family_name, r.patronymic, to_json(r.other_names) as other_names, r.sex,
      r.date_of_birth::text as date_of_birth, r.date_of_birth_estimated, r.place_of_birth
    from returnee r where r.id = ? and ${gates.join(' and ')} and ${inline(p.scopeSql, params)}`;
  // `?` order: id, then the gates' values, then the scope's: the id comes first in the text too.
  const { rows } = (await db.raw(text, params as Knex.RawBinding[])) as { rows: RecordRow[] };
  return rows[0];
}

export async function requestIdentityCheckOrThrow(op: Operation, input: IdentityCheckRequestInput): Promise<string> {
  const returneeId = uuidOrThrow(input.returneeId, 'returneeId');
  const reason = (input.reason ?? '').trim();
  if (reason.length < 3 || reason.length > 500) throw badInput('reason must be 3 to 500 characters', { fields: ['reason'] });
  const p = await requesterProjectionOrThrow(op, returneeId);
  const knex = op.em.getConnection().getKnex();
  const record = await ownRecord(knex, p, returneeId);
  if (!record) return op.notFoundOrThrow('CREATE', 'IdentityCheckRequest', returneeId, returneeId);
  const [{ n }] = await op.em.execute<{ n: number }[]>(
    `select count(*)::int as n from identity_check_request where requester_staff_id = ? and created_at > now() - interval '1 day'`,
    [op.actor.staffId],
  );
  if (n >= REQUESTS_PER_DAY) {
    await op.recordDurably([
      {
        action: 'CREATE',
        entityType: 'IdentityCheckRequest',
        returneeId,
        entityId: returneeId,
        outcome: 'CONFLICT',
        reason: 'RATE_LIMITED',
      },
    ]);
    throw conflict(`At most ${REQUESTS_PER_DAY} identity check requests a day per staff member; try again tomorrow`, {
      reason: 'RATE_LIMITED',
    });
  }
  const identity: IdentitySnapshot = {
    givenName: record.given_name,
    familyName: record.family_name,
    patronymic: record.patronymic,
    sex: record.sex,
    dateOfBirth: record.date_of_birth,
    dateOfBirthEstimated: record.date_of_birth_estimated,
    placeOfBirth: record.place_of_birth,
  };
  // Records written a moment ago by other paths than the hub's writes get their keys first.
  if (await hasStaleKeys(knex)) await fillStaleKeys(knex, 200, undefined, true);
  return op.em.transactional(async (tx: EntityManager) => {
    const db = tx.getTransactionContext<Knex.Transaction>()!;
    const request = Object.assign(new IdentityCheckRequest(), {
      requesterAgencyId: op.actor.agencyId,
      requesterStaffId: op.actor.staffId,
      returneeId,
      reason,
      crossBorder: input.crossBorder === true,
      identity,
      expiresAt: new Date(Date.now() + REQUEST_DAYS * 86_400_000),
    });
    tx.persist(request);
    // Always searched, whatever the answer: the requester's work does not depend on it.
    const holders = await holdersOf(
      db,
      { id: returneeId, country: record.country, agencyId: op.actor.agencyId, identity, otherNames: record.other_names ?? [] },
      request.crossBorder,
    );
    await tx.flush();
    // One INSERT whatever the number of holders, none included: the statements the requester's
    // request sends (and so their time) are the same whether no agency or several matched.
    const questions = [...holders].map(([holder, matches]) => ({ id: randomUUID(), holder, matches }));
    await db.raw(
      `insert into identity_check_question (id, request_id, holder_agency_id, matches, status)
       select x.id, ?::uuid, x.holder, x.matches, 'OPEN' from jsonb_to_recordset(?::jsonb) as x(id uuid, holder uuid, matches jsonb)`,
      [request.id, JSON.stringify(questions)],
    );
    await op.recordInTransaction(tx, [
      {
        action: 'CREATE',
        entityType: 'IdentityCheckRequest',
        entityId: request.id,
        returneeId,
        fields: Object.keys(identity),
        outcome: 'SUCCESS',
      },
    ]);
    return request.id;
  });
}

export interface IdentityCheckRequestView {
  id: string;
  status: 'OPEN' | 'CLOSED';
  reason: string;
  crossBorder: boolean;
  createdAt: Date;
  expiresAt: Date;
}

/** The requester's view of its request (its own agency's only, else NOT_FOUND); one READ event. */
export async function readIdentityCheckRequestOrThrow(op: Operation, id: string): Promise<IdentityCheckRequestView> {
  const requestId = uuidOrThrow(id, 'id');
  const found = await op.em.findOne(IdentityCheckRequest, { id: requestId, requesterAgencyId: op.actor.agencyId });
  if (!found) return op.notFoundOrThrow('READ', 'IdentityCheckRequest', requestId);
  await op.recordDurably([
    {
      action: 'READ',
      entityType: 'IdentityCheckRequest',
      entityId: found.id,
      returneeId: found.returneeId,
      fields: ['id', 'status', 'reason', 'crossBorder', 'createdAt', 'expiresAt'],
      outcome: 'SUCCESS',
    },
  ]);
  return {
    id: found.id,
    status: found.expiresAt.getTime() > Date.now() ? 'OPEN' : 'CLOSED',
    reason: found.reason,
    crossBorder: found.crossBorder,
    createdAt: found.createdAt,
    expiresAt: found.expiresAt,
  };
}
