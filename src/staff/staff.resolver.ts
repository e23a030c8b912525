import { Arg, Authorized, ID, Mutation, Query, Resolver } from 'type-graphql';
import { permittedReturneeFields } from '../access/fields';
import type { Operation } from '../request/operation';
import { readProjection } from '../access/projection';
import { DERIVED_FIELDS, Section, SECTION_FIELDS } from '../access/sections';
import { Op } from '../graphql/operation.decorator';
import type { StaffMember } from './staff.entity';
import { createStaffMemberOrThrow, deactivateStaffMemberOrThrow, readMe, readStaffMemberOrThrow } from './staff.service';
import { CreateStaffMemberInput, MeType, StaffMemberType } from './staff.types';
import { agencyView } from '../agency/agency.view';

function staffView(s: StaffMember): StaffMemberType {
  return {
    id: s.id,
    username: s.username,
    displayName: s.displayName,
    agency: agencyView(s.agency.getEntity()),
    roles: s.roles,
    active: s.active,
    createdAt: s.createdAt,
    deactivatedAt: s.deactivatedAt,
  };
}

/** Sections the ability grants for `action`, read back from the compiled rules (not the policy file). */
function sectionsFor(op: Operation, action: 'read' | 'update'): Section[] {
  const fields = permittedReturneeFields(op.ability, action);
  return (Object.values(Section) as Section[]).filter((s) => {
    const relevant = SECTION_FIELDS[s].filter((f) => action === 'read' || !DERIVED_FIELDS.has(f));
    return s !== Section.REFERENCE && relevant.length > 0 && relevant.every((f) => fields.has(f));
  });
}

/** Readable sections shared by another sector: visible on a record only while a consent covers them. */
function consentSections(op: Operation): Section[] {
  const p = readProjection(op.ability);
  if (!p) return [];
  return sectionsFor(op, 'read').filter((s) => SECTION_FIELDS[s].some((f) => !p.base.has(f)));
}

@Resolver(() => StaffMemberType)
export class StaffResolver {
  @Authorized()
  @Query(() => MeType, { description: 'Who you are signed in as, and what your sector policy lets you do' })
  async me(@Op() op: Operation): Promise<MeType> {
    const staff = await readMe(op);
    return {
      staff: staffView(staff),
      readableSections: sectionsFor(op, 'read'),
      writableSections: sectionsFor(op, 'update'),
      consentRequiredSections: consentSections(op),
      canRegisterReturnees: op.ability.can('create', 'Returnee'),
      canGrantCaseAccess: op.ability.can('grantAccess', 'Returnee'),
      canRecordConsent: op.ability.can('manageConsent', 'Returnee'),
      canManageStaff: op.ability.can('manage', 'StaffMember'),
      canReadAuditTrail: op.ability.can('read', 'AuditEvent'),
    };
  }

  @Authorized()
  @Mutation(() => StaffMemberType, { description: 'Administrators only' })
  async createStaffMember(
    @Arg('input', () => CreateStaffMemberInput, { description: 'The new account' }) input: CreateStaffMemberInput,
    @Op() op: Operation,
  ): Promise<StaffMemberType> {
    const id = await op.once(async () => (await createStaffMemberOrThrow(op, input)).id);
    return staffView(await readStaffMemberOrThrow(op, id));
  }

  @Authorized()
  @Mutation(() => StaffMemberType, { description: "Administrators only; takes effect on the account's next request" })
  async deactivateStaffMember(
    @Arg('id', () => ID, { description: 'The staff member to deactivate' }) id: string,
    @Op() op: Operation,
  ): Promise<StaffMemberType> {
    const staffId = await op.once(async () => (await deactivateStaffMemberOrThrow(op, id)).id);
    return staffView(await readStaffMemberOrThrow(op, staffId));
  }
}
