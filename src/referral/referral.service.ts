import { LockMode, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { POLICIES } from '../../policies';
import { isMinorOn, today } from '../common/calendar';
import type { Operation } from '../request/operation';
import { returneeScope } from '../access/scope';
import { Agency } from '../agency/agency.entity';
import { crossBorderOrThrow } from '../case-access/border';
import { endAccessTree, lockAccessTree, sourceAccessOf } from '../case-access/case-access-chain';
import { CaseAccess } from '../case-access/case-access.entity';
import { badInput, conflict, forbidden } from '../errors';
import { cursorsFor } from '../common/cursor';
import { Returnee } from '../returnee/returnee.entity';
import { readsFieldOn } from '../returnee/returnee-read.service';
import { StaffMember } from '../staff/staff.entity';
import { consentCoversSector } from '../consent/consent-read';
import { Referral } from './referral.entity';
import { referralReadEvents, type ReferralSelection } from './referral-read-audit';
import type { DecideReferralInput, ReferralFilter, ReferReturneeInput } from './referral.types';
import { uuidOrThrow } from '../common/ids';

async function targetAgencyOrThrow(
  op: Operation,
  returnee: Returnee,
  input: ReferReturneeInput,
): Promise<{ agency: Agency; crossBorder: boolean }> {
  const agency = await op.em.findOne(Agency, { id: uuidOrThrow(input.toAgencyId, 'toAgencyId') });
  if (!agency) throw badInput('No agency with this toAgencyId: pick one from the agencies query', { fields: ['toAgencyId'] });
  if (POLICIES[agency.sector].recordScope !== 'case')
    throw badInput(`A ${agency.sector} agency does not take referrals`, { fields: ['toAgencyId'] });
  if (agency.id === op.actor.agencyId) throw badInput('You cannot refer to your own agency', { fields: ['toAgencyId'] });
  if (agency.id === returnee.registeringAgency.id)
    throw badInput('That agency registered the record and already has access', { fields: ['toAgencyId'] });
  return { agency, crossBorder: await crossBorderOrThrow(op, returnee, agency, input.crossBorder, 'refer') };
}

/**
 * A caseworker of an agency working on the record refers it to another agency. Refused when
 * no active consent covers the receiving sector (a minor may also be referred on the legal
 * basis the receiving sector's policy names), and when a referral is already pending there.
 */
export async function referReturneeOrThrow(op: Operation, input: ReferReturneeInput): Promise<string> {
  const returneeId = uuidOrThrow(input.returneeId, 'returneeId');
  await op.authorizeOrThrow('refer', 'Returnee', {
    entityType: 'Referral',
    returneeId,
    message: 'Only caseworkers and supervisors of agencies working on the record may refer it',
  });
  const scope = returneeScope(op.ability, 'refer');
  const returnee = scope
    ? ((await op.em.findOne(
        Returnee,
        { $and: [{ id: returneeId }, scope] },
        { fields: ['id', 'country', 'registeringAgency', 'dateOfBirth'] },
      )) as Returnee | null)
    : null;
  if (!returnee) return op.notFoundOrThrow('CREATE', 'Referral', returneeId, returneeId);
  const { agency, crossBorder } = await targetAgencyOrThrow(op, returnee, input);
  // A minor may be referred on the receiving sector's legal basis; whether the person is a minor is
  // asked only of a caller who may read it on this record, or the outcome would tell them.
  const statutory =
    POLICIES[agency.sector].minorsWithoutConsent !== undefined &&
    isMinorOn(returnee.dateOfBirth, today()) &&
    (await readsFieldOn(op, returnee.id, 'dateOfBirth'));
  if (!statutory && !(await consentCoversSector(op.em, returnee.id, agency.sector))) {
    await op.denyOrThrow(
      { entityType: 'Referral', returneeId },
      forbidden(
        `No active consent of this returnee covers the ${agency.sector} sector: record the consent (recordConsent) before referring`,
      ),
    );
  }
  // Only the caller's own agency's referrals: another agency's are not the caller's to know of.
  const pending = await op.em.count(Referral, {
    returnee: returnee.id,
    fromAgency: op.actor.agencyId,
    toAgency: agency.id,
    status: 'PENDING',
  });
  if (pending > 0) throw conflict(`A referral of this record from your agency to ${agency.code} is already pending`);
  return op.em.transactional(async (tx) => {
    const referral = new Referral({
      returnee: tx.getReference(Returnee, returnee.id, { wrapped: true }),
      fromAgency: tx.getReference(Agency, op.actor.agencyId, { wrapped: true }),
      toAgency: tx.getReference(Agency, agency.id, { wrapped: true }),
      service: input.service.trim(),
      reason: input.reason.trim(),
      createdBy: tx.getReference(StaffMember, op.actor.staffId, { wrapped: true }),
    });
    referral.crossBorder = crossBorder;
    tx.persist(referral);
    await tx.flush();
    await op.recordInTransaction(tx, [
      {
        action: 'CREATE',
        entityType: 'Referral',
        entityId: referral.id,
        returneeId: returnee.id,
        fields: ['toAgency', 'service', 'reason', 'crossBorder'],
        outcome: 'SUCCESS',
      },
    ]);
    return referral.id;
  });
}

/** A pending referral addressed to the caller's agency, or NOT_FOUND (others' referrals do not exist for you). */
async function pendingForMeOrThrow(op: Operation, requestedId: string): Promise<Referral> {
  const id = uuidOrThrow(requestedId); // before the id reaches the audit trail
  await op.authorizeOrThrow('decideReferral', 'Returnee', {
    entityType: 'Referral',
    entityId: id,
    message: 'Only a supervisor of the receiving agency may accept or decline a referral',
  });
  const referral = await op.em.findOne(Referral, { id, toAgency: op.actor.agencyId });
  if (!referral) return op.notFoundOrThrow('UPDATE', 'Referral', id);
  if (referral.status !== 'PENDING') throw conflict(`The referral is already ${referral.status.toLowerCase()}`);
  return referral;
}

/**
 * Accepting gives the receiving agency an access of its own, derived from the referring
 * agency's (null when that agency registered the record): it ends when the referral is
 * closed or when the referring agency's access ends. An agency that already sees the record
 * through another source still gets this access, so closing one source leaves the other.
 */
export async function acceptReferralOrThrow(op: Operation, input: DecideReferralInput): Promise<string> {
  const referral = await pendingForMeOrThrow(op, input.id);
  return op.em.transactional(async (tx) => {
    await lockAccessTree(tx, referral.returnee.id);
    const r = await tx.findOneOrFail(Referral, { id: referral.id, status: 'PENDING' }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    const record = await tx.findOneOrFail(Returnee, { id: r.returnee.id }, { fields: ['id', 'registeringAgency'] });
    const source = await sourceAccessOf(tx, { id: record.id, registeringAgencyId: record.registeringAgency.id }, r.fromAgency.id);
    if (source === undefined) {
      throw conflict(
        'The referring agency no longer has access to this record, so its referral can no longer be accepted; decline it (declineReferral)',
      );
    }
    decide(op, tx, r, 'ACCEPTED', input.note);
    const access = new CaseAccess(
      tx.getReference(Returnee, r.returnee.id, { wrapped: true }),
      tx.getReference(Agency, op.actor.agencyId, { wrapped: true }),
      'REFERRAL',
      `Referral: ${r.service}`,
    );
    Object.assign(access, {
      crossBorder: r.crossBorder,
      referralId: r.id,
      derivedFromId: source ?? undefined,
      grantedBy: tx.getReference(StaffMember, op.actor.staffId, { wrapped: true }),
    });
    tx.persist(access);
    await tx.flush();
    await op.recordInTransaction(tx, [
      {
        action: 'UPDATE',
        entityType: 'Referral',
        entityId: r.id,
        returneeId: r.returnee.id,
        fields: ['status', 'decisionNote'],
        outcome: 'SUCCESS',
      },
      {
        action: 'CREATE',
        entityType: 'CaseAccess',
        entityId: access.id,
        returneeId: r.returnee.id,
        fields: ['agency', 'basis', 'crossBorder', 'referralId', 'derivedFromId'],
        outcome: 'SUCCESS',
      },
    ]);
    return r.id;
  });
}

export async function declineReferralOrThrow(op: Operation, input: DecideReferralInput): Promise<string> {
  const referral = await pendingForMeOrThrow(op, input.id);
  if (!input.note?.trim()) throw badInput('Say why the referral is declined (note)', { fields: ['note'] });
  return op.em.transactional(async (tx) => {
    const r = await tx.findOneOrFail(Referral, { id: referral.id, status: 'PENDING' });
    decide(op, tx, r, 'DECLINED', input.note);
    await tx.flush();
    await op.recordInTransaction(tx, [
      {
        action: 'UPDATE',
        entityType: 'Referral',
        entityId: r.id,
        returneeId: r.returnee.id,
        fields: ['status', 'decisionNote'],
        outcome: 'SUCCESS',
      },
    ]);
    return r.id;
  });
}

/**
 * Closing an accepted referral (by either agency's supervisor) ends the access it gave and,
 * transitively, every access derived from that one (grants the receiving agency made, and
 * theirs), in the same transaction, each with an UPDATE event.
 */
export async function closeReferralOrThrow(op: Operation, input: DecideReferralInput): Promise<string> {
  const id = uuidOrThrow(input.id); // before the id reaches the audit trail
  await op.authorizeOrThrow('decideReferral', 'Returnee', {
    entityType: 'Referral',
    entityId: id,
    message: 'Only a supervisor of the referring or receiving agency may close a referral',
  });
  const mine = await op.em.findOne(
    Referral,
    { id, $or: [{ toAgency: op.actor.agencyId }, { fromAgency: op.actor.agencyId }] },
    { fields: ['id', 'returnee'] },
  );
  if (!mine) return op.notFoundOrThrow('UPDATE', 'Referral', id);
  return op.em.transactional(async (tx) => {
    await lockAccessTree(tx, mine.returnee.id);
    const r = await tx.findOneOrFail(Referral, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (r.status !== 'ACCEPTED') throw conflict(`Only an accepted referral can be closed; this one is ${r.status.toLowerCase()}`);
    Object.assign(r, { status: 'CLOSED', closedAt: new Date(), decisionNote: input.note ?? r.decisionNote });
    await tx.flush();
    await op.recordInTransaction(tx, [
      {
        action: 'UPDATE',
        entityType: 'Referral',
        entityId: r.id,
        returneeId: r.returnee.id,
        fields: ['status', 'closedAt'],
        outcome: 'SUCCESS',
      },
    ]);
    const given = await tx.find(CaseAccess, { referralId: r.id, revokedAt: null }, { fields: ['id'] });
    // The closing note stays on the referral (its two agencies read it); every agency on the record reads the access.
    await endAccessTree(
      op,
      tx,
      r.returnee.id,
      given.map((a) => a.id),
      'Referral closed',
    );
    return r.id;
  });
}

function decide(op: Operation, tx: EntityManager, r: Referral, status: 'ACCEPTED' | 'DECLINED', note?: string): void {
  Object.assign(r, {
    status,
    decidedAt: new Date(),
    decisionNote: note?.trim() || undefined,
    decidedBy: tx.getReference(StaffMember, op.actor.staffId, { wrapped: true }),
  });
}

/** Referrals from or to the caller's agency, newest first. */
export async function listReferrals(
  op: Operation,
  filter: ReferralFilter,
  first: number,
  after: string | undefined,
  selection: ReferralSelection,
  previous = false,
) {
  const maxPage = op.ctx.runtime.config.maxPageSize;
  if (!Number.isInteger(first) || first < 1 || first > maxPage) throw badInput(`first must be between 1 and ${maxPage}`);
  const mine = op.actor.agencyId;
  const where: FilterQuery<Referral>[] = [
    filter.direction === 'INCOMING'
      ? { toAgency: mine }
      : filter.direction === 'OUTGOING'
        ? { fromAgency: mine }
        : { $or: [{ toAgency: mine }, { fromAgency: mine }] },
  ];
  if (filter.status) where.push({ status: filter.status });
  if (filter.returneeId) where.push({ returnee: uuidOrThrow(filter.returneeId, 'returneeId') });
  const base: FilterQuery<Referral> = { $and: where };
  const cursors = cursorsFor(op, { connection: 'referrals', order: 'createdAt desc', value: 'timestamp', id: 'uuid' });
  const c = after ? cursors.openOrThrow(after) : undefined;
  const page = await op.em.find(
    Referral,
    c ? { $and: [base, { $or: [{ createdAt: { $lt: new Date(c.value) } }, { createdAt: new Date(c.value), id: { $lt: c.id } }] }] } : base,
    {
      populate: ['fromAgency', 'toAgency', 'returnee'],
      fields: ['*', 'returnee.id', 'returnee.caseNumber'] as never,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      limit: first + 1,
    },
  );
  const total = await op.em.count(Referral, base);
  const nodes = page.slice(0, first);
  // Relay, forward paging: edges before `after` exist when one of your referrals sorts at or before it (newest first).
  const hasPreviousPage =
    c && previous
      ? (await op.em.count(Referral, {
          $and: [base, { $or: [{ createdAt: { $gt: new Date(c.value) } }, { createdAt: new Date(c.value), id: { $gte: c.id } }] }],
        })) > 0
      : false;
  await op.recordDurably(referralReadEvents(nodes, selection));
  const edgeCursors = nodes.map((r) => cursors.seal(r.createdAt.toISOString(), r.id));
  return { nodes, total, hasNextPage: page.length > first, hasPreviousPage, cursors: edgeCursors };
}
