import type { Operation } from '../request/operation';
import { staffRolesOf } from '../access/sectors';
import { Agency } from '../agency/agency.entity';
import { badInput, conflict } from '../errors';
import { StaffMember } from './staff.entity';
import type { CreateStaffMemberInput } from './staff.types';
import { uuidOrThrow } from '../common/ids';
import { isUniqueViolation } from '../common/db-errors';

export async function readMe(op: Operation): Promise<StaffMember> {
  const staff = await op.em.findOneOrFail(StaffMember, { id: op.actor.staffId }, { populate: ['agency'] });
  await op.recordDurably([
    {
      action: 'READ',
      entityType: 'StaffMember',
      entityId: staff.id,
      fields: ['username', 'displayName', 'agency', 'roles'],
      outcome: 'SUCCESS',
    },
  ]);
  return staff;
}

/** One staff account, for administrators (a mutation's response is read this way too, replays included). */
export async function readStaffMemberOrThrow(op: Operation, id: string): Promise<StaffMember> {
  await op.authorizeOrThrow('manage', 'StaffMember', { message: 'Only administrators may read staff accounts' });
  const staff = await op.em.findOne(StaffMember, { id }, { populate: ['agency'] });
  if (!staff) return op.notFoundOrThrow('READ', 'StaffMember', id);
  await op.recordDurably([
    {
      action: 'READ',
      entityType: 'StaffMember',
      entityId: staff.id,
      fields: ['username', 'displayName', 'agency', 'roles', 'active'],
      outcome: 'SUCCESS',
    },
  ]);
  return staff;
}

/** Accounts are created by administrators; roles must fit the agency's sector. */
export async function createStaffMemberOrThrow(op: Operation, input: CreateStaffMemberInput): Promise<StaffMember> {
  await op.authorizeOrThrow('manage', 'StaffMember', { message: 'Only administrators may create staff accounts' });
  const agency = await op.em.findOne(Agency, { id: uuidOrThrow(input.agencyId, 'agencyId') });
  if (!agency) throw badInput('No agency with this agencyId: pick one from the agencies query', { fields: ['agencyId'] });
  const roles = [...new Set(input.roles)];
  // Which roles make sense in which sector comes from its policy: auditors sit in oversight, admins in administration.
  const allowed = staffRolesOf(agency.sector);
  const unfit = roles.filter((r) => !allowed.includes(r));
  if (unfit.length > 0) {
    throw badInput(`Roles ${unfit.join(', ')} do not fit a ${agency.sector} agency (allowed: ${allowed.join(', ')})`, {
      fields: ['roles'],
    });
  }
  try {
    return await op.em.transactional(async (tx) => {
      const staff = new StaffMember(input.username, input.displayName.trim(), tx.getReference(Agency, agency.id, { wrapped: true }), roles);
      tx.persist(staff);
      await tx.flush();
      await op.recordInTransaction(tx, [
        {
          action: 'CREATE',
          entityType: 'StaffMember',
          entityId: staff.id,
          fields: ['username', 'displayName', 'agency', 'roles'],
          outcome: 'SUCCESS',
        },
      ]);
      await tx.populate(staff, ['agency']);
      return staff;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`The username "${input.username}" is taken`);
    throw error;
  }
}

/** Deactivation takes effect on the account's next request: tokens are checked against the database. */
export async function deactivateStaffMemberOrThrow(op: Operation, id: string): Promise<StaffMember> {
  await op.authorizeOrThrow('manage', 'StaffMember', { message: 'Only administrators may deactivate staff accounts' });
  const staffId = uuidOrThrow(id);
  if (staffId === op.actor.staffId) throw badInput('You cannot deactivate your own account; ask another administrator');
  return op.em.transactional(async (tx) => {
    const staff = await tx.findOne(StaffMember, { id: staffId }, { populate: ['agency'] });
    if (!staff) return op.notFoundOrThrow('UPDATE', 'StaffMember', staffId);
    if (staff.active) {
      staff.active = false;
      staff.deactivatedAt = new Date();
      await tx.flush();
      await op.recordInTransaction(tx, [
        { action: 'UPDATE', entityType: 'StaffMember', entityId: staff.id, fields: ['active'], outcome: 'SUCCESS' },
      ]);
    }
    return staff;
  });
}
