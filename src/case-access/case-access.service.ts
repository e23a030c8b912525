import type { Operation } from '../access/operation';
import { POLICIES } from '../../policies';
import { returneeScope } from '../access/scope';
import { Agency } from '../agency/agency.entity';
import { badInput, conflict } from '../errors';
import { Returnee } from '../returnee/returnee.entity';
import { uuidOrThrow } from '../returnee/returnee-read.service';
import { isUniqueViolation } from '../returnee/returnee-write.service';
import { StaffMember } from '../staff/staff.entity';
import { CaseAccess } from './case-access.entity';
import type { GrantCaseAccessInput } from './case-access.types';

/**
 * A supervisor of an agency that already sees a record grants another agency access to it.
 * Access never crosses a border unless the grant says so explicitly, and only agencies whose
 * policy works on cases can hold one.
 */
export async function grantCaseAccessOrThrow(op: Operation, input: GrantCaseAccessInput): Promise<CaseAccess> {
  const returneeId = uuidOrThrow(input.returneeId, 'returneeId'); // before the id reaches the audit trail
  await op.authorizeOrThrow('grantAccess', 'Returnee', {
    entityType: 'CaseAccess', returneeId, message: 'Only a supervisor of an agency that has access to the record may grant access to it',
  });
  const scope = returneeScope(op.ability, 'grantAccess');
  const returnee = scope && (await op.em.findOne(Returnee, { $and: [{ id: returneeId }, scope] }, { fields: ['id', 'country', 'registeringAgency'] }));
  if (!returnee) return op.notFoundOrThrow('CREATE', 'CaseAccess', returneeId, returneeId);
  const agency = await op.em.findOne(Agency, { id: uuidOrThrow(input.agencyId, 'agencyId') });
  if (!agency) throw badInput(`No agency with id ${input.agencyId}`, { fields: ['agencyId'] });
  if (POLICIES[agency.sector].recordScope !== 'case') {
    throw badInput(`A ${agency.sector} agency does not work on cases and cannot be granted case access`, { fields: ['agencyId'] });
  }
  if (agency.id === returnee.registeringAgency.id) throw badInput('That agency registered the record and already has access', { fields: ['agencyId'] });
  const crossBorder = agency.country !== returnee.country;
  if (crossBorder && !input.crossBorder) {
    throw badInput(
      `${agency.code} is in ${agency.country} and the record is in ${returnee.country}: set crossBorder: true to share across the border explicitly`,
      { fields: ['crossBorder'] },
    );
  }
  try {
    return await op.em.transactional(async (tx) => {
      const access = new CaseAccess(tx.getReference(Returnee, returnee.id, { wrapped: true }), tx.getReference(Agency, agency.id, { wrapped: true }), 'GRANT', input.reason);
      access.crossBorder = crossBorder;
      access.grantedBy = tx.getReference(StaffMember, op.actor.staffId, { wrapped: true });
      tx.persist(access);
      await tx.flush();
      await op.recordInTransaction(tx, [
        { action: 'CREATE', entityType: 'CaseAccess', entityId: access.id, returneeId: returnee.id, fields: ['agency', 'basis', 'crossBorder', 'reason'], outcome: 'SUCCESS' },
      ]);
      await tx.populate(access, ['agency']);
      return access;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`${agency.code} already has active access to this record`);
    throw error;
  }
}
