import type { Operation } from '../request/operation';
import { POLICIES } from '../../policies';
import { returneeScope } from '../access/scope';
import { Agency } from '../agency/agency.entity';
import { badInput, conflict, forbidden } from '../errors';
import { Referral } from '../referral/referral.entity';
import { Returnee } from '../returnee/returnee.entity';
import { StaffMember } from '../staff/staff.entity';
import { crossBorderOrThrow } from './border';
import { endAccessTree, givingAgencyOf, lockAccessTree, sourceAccessOf } from './case-access-chain';
import { CaseAccess } from './case-access.entity';
import type { GrantCaseAccessInput, RevokeCaseAccessInput } from './case-access.types';
import { uuidOrThrow } from '../common/ids';
import { isUniqueViolation } from '../common/db-errors';
import { enqueueWebhookEvents } from '../webhooks/webhook-outbox';

/**
 * A supervisor of an agency that already sees a record grants another agency access to it;
 * returns the new access's id. Access never crosses a border unless the grant says so
 * explicitly, only agencies whose policy works on cases can hold one, and the new access derives
 * from the granting agency's own (case-access-chain.ts): it ends when that one ends.
 */
export async function grantCaseAccessOrThrow(op: Operation, input: GrantCaseAccessInput): Promise<string> {
  const returneeId = uuidOrThrow(input.returneeId, 'returneeId');
  await op.authorizeOrThrow('grantAccess', 'Returnee', {
    entityType: 'CaseAccess',
    returneeId,
    message: 'Only a supervisor of an agency that has access to the record may grant access to it',
  });
  const scope = returneeScope(op.ability, 'grantAccess');
  const returnee =
    scope && (await op.em.findOne(Returnee, { $and: [{ id: returneeId }, scope] }, { fields: ['id', 'country', 'registeringAgency'] }));
  if (!returnee) return op.notFoundOrThrow('CREATE', 'CaseAccess', returneeId, returneeId);
  const agency = await op.em.findOne(Agency, { id: uuidOrThrow(input.agencyId, 'agencyId') });
  if (!agency) throw badInput('No agency with this agencyId: pick one from the agencies query', { fields: ['agencyId'] });
  if (POLICIES[agency.sector].recordScope !== 'case') {
    throw badInput(`A ${agency.sector} agency does not work on cases and cannot be granted case access`, { fields: ['agencyId'] });
  }
  if (agency.id === returnee.registeringAgency.id)
    throw badInput('That agency registered the record and already has access', { fields: ['agencyId'] });
  const crossBorder = await crossBorderOrThrow(op, returnee, agency, input.crossBorder, 'share');
  try {
    return await op.em.transactional(async (tx) => {
      await lockAccessTree(tx, returnee.id);
      const source = await sourceAccessOf(tx, { id: returnee.id, registeringAgencyId: returnee.registeringAgency.id }, op.actor.agencyId);
      // Our own access ended while we were checking: the record is no longer ours to share.
      if (source === undefined) return op.notFoundOrThrow('CREATE', 'CaseAccess', returneeId, returneeId);
      const access = new CaseAccess(
        tx.getReference(Returnee, returnee.id, { wrapped: true }),
        tx.getReference(Agency, agency.id, { wrapped: true }),
        'GRANT',
        input.reason,
      );
      Object.assign(access, {
        crossBorder,
        derivedFromId: source ?? undefined,
        grantedBy: tx.getReference(StaffMember, op.actor.staffId, { wrapped: true }),
      });
      tx.persist(access);
      await tx.flush();
      await op.recordInTransaction(tx, [
        {
          action: 'CREATE',
          entityType: 'CaseAccess',
          entityId: access.id,
          returneeId: returnee.id,
          fields: ['agency', 'basis', 'crossBorder', 'reason', 'derivedFromId'],
          outcome: 'SUCCESS',
        },
      ]);
      await enqueueWebhookEvents(tx, [{ type: 'CASE_ACCESS_GRANTED', returneeId: returnee.id, subjectId: access.id }]);
      return access.id;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`${agency.code} already has active access to this record from your agency`);
    throw error;
  }
}

const REVOKE_DENIED = 'Only a supervisor of the agency that gave this access, or of the agency that registered the record, may revoke it';

/**
 * Ends an access, and every access derived from it, transitively, in one transaction, each
 * with an UPDATE event; returns its id. Supervisors of the agency that gave it or of the
 * registering agency may; an access from a referral also closes that referral. An access of a
 * record outside the caller's scope answers exactly as a missing one.
 */
export async function revokeCaseAccessOrThrow(op: Operation, input: RevokeCaseAccessInput): Promise<string> {
  const id = uuidOrThrow(input.id);
  await op.authorizeOrThrow('grantAccess', 'Returnee', { entityType: 'CaseAccess', entityId: id, message: REVOKE_DENIED });
  const found = await op.em.findOne(
    CaseAccess,
    { id },
    { fields: ['id', 'returnee', 'basis', 'referralId', 'derivedFromId', 'revokedAt'] },
  );
  const scope = returneeScope(op.ability, 'grantAccess');
  const returnee =
    found && scope
      ? await op.em.findOne(Returnee, { $and: [{ id: found.returnee.id }, scope] }, { fields: ['id', 'registeringAgency'] })
      : null;
  if (!found || !returnee) return op.notFoundOrThrow('UPDATE', 'CaseAccess', id);
  const registrar = returnee.registeringAgency.id;
  if (op.actor.agencyId !== registrar && op.actor.agencyId !== (await givingAgencyOf(op.em, found, registrar))) {
    return op.denyOrThrow({ entityType: 'CaseAccess', entityId: id, returneeId: returnee.id }, forbidden(REVOKE_DENIED));
  }
  const ended = () => conflict('This access has already ended; nothing was changed');
  if (found.revokedAt) throw ended();
  return op.em.transactional(async (tx) => {
    await lockAccessTree(tx, returnee.id);
    if ((await endAccessTree(op, tx, returnee.id, [id], input.reason.trim())).length === 0) throw ended();
    if (found.basis === 'REFERRAL' && found.referralId) {
      const closed = await tx.nativeUpdate(
        Referral,
        { id: found.referralId, status: 'ACCEPTED' },
        { status: 'CLOSED', closedAt: new Date() },
      );
      if (closed > 0) {
        await op.recordInTransaction(tx, [
          {
            action: 'UPDATE',
            entityType: 'Referral',
            entityId: found.referralId,
            returneeId: returnee.id,
            fields: ['status', 'closedAt'],
            outcome: 'SUCCESS',
          },
        ]);
        await enqueueWebhookEvents(tx, [{ type: 'REFERRAL_CLOSED', returneeId: returnee.id, subjectId: found.referralId }]);
      }
    }
    return id;
  });
}
