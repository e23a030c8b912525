import { AbilityBuilder, createMongoAbility, type MongoQuery } from '@casl/ability';
import { POLICIES } from '../../policies';
import type { Actor } from './actor';
import { dayOf } from '../common/calendar';
import { activeAgreementCondition } from './active-agreement';
import { activeConsentCondition, minorCondition } from './active-consent';
import { breakGlassOf, openWindowCondition } from './break-glass-window';
import { rememberContext } from './basis';
import type { Role, SectorPolicy } from './policy';
import { DERIVED_FIELDS, fieldsOfSections, Section } from './sections';

/**
 * Compiles the actor's sector policy (policies/*.policy.ts) into a CASL ability.
 *
 * Actions: `read` and `update` on Returnee fields, `create` of a Returnee, `grantAccess`,
 * `manageConsent`, `readSharing` (its consents and case accesses) and `refer` on a Returnee,
 * `manage` of Agency and StaffMember, `read` of Agency and AuditEvent.
 * Every Returnee rule carries the row-scope condition, so `returneeScope()` can turn the same
 * rules into the SQL WHERE clause: the ability that answers "may I read this field" is the
 * one that decides "which rows exist for me". Anything not granted is denied.
 */
export type { Action, AppAbility, SubjectName } from './ability-types';
import type { AppAbility } from './ability-types';

const hasAny = (actor: Actor, roles: readonly Role[]) => actor.roles.some((r) => roles.includes(r));

/**
 * The row-scope branches: a record is visible when any branch matches. Each also requires that
 * the record was not merged into another (src/merge/): a merged record is nobody's to read or
 * write, and answers NOT_FOUND like a missing id.
 */
export function scopeBranches(actor: Actor, policy: SectorPolicy): MongoQuery[] {
  return policyBranches(actor, policy).map((branch) => ({ ...branch, mergedIntoId: null }));
}

function policyBranches(actor: Actor, policy: SectorPolicy): MongoQuery[] {
  switch (policy.recordScope) {
    case 'case': {
      const active = { agency: actor.agencyId, revokedAt: null };
      return [
        { registeringAgency: actor.agencyId },
        { country: actor.country, caseAccesses: { $elemMatch: active } },
        { caseAccesses: { $elemMatch: { ...active, crossBorder: true } } },
      ];
    }
    case 'country':
      return [{ country: actor.country }];
    case 'none':
      return [];
  }
}

/**
 * The ability of an actor today, compiled once per (sector, roles, agency, country, day) and
 * shared by that actor's requests: the rules depend on nothing else (the day moves the minors'
 * cutoff and the consents' validity), and a built ability is never changed. A change of roles
 * or agency is a new key, so it still takes effect on the next request. Bounded, oldest out.
 */
const compiled = new Map<string, AppAbility>();
const COMPILED_MAX = 1000;

export function abilityFor(actor: Actor, now = new Date()): AppAbility {
  // Who may break the glass reads through their own windows: their ability names them.
  const who = breakGlassOf(actor, POLICIES[actor.sector]) ? actor.staffId : '';
  const key = JSON.stringify([actor.sector, [...actor.roles].sort(), actor.agencyId, actor.country, dayOf(now), who]);
  let ability = compiled.get(key);
  if (ability) {
    compiled.delete(key);
  } else {
    ability = defineAbilityFor(actor, now);
    if (compiled.size >= COMPILED_MAX) compiled.delete(compiled.keys().next().value!);
  }
  compiled.set(key, ability);
  return ability;
}

export function defineAbilityFor(actor: Actor, now = new Date()): AppAbility {
  const policy = POLICIES[actor.sector];
  const { can, build: built } = new AbilityBuilder<AppAbility>(createMongoAbility);
  let windowScope = false; // set when break-glass windows widen the row scope
  // The day the rules were compiled for, kept with the ability: the basis of each disclosure is
  // worked out for the same day (basis.ts).
  const build = () => {
    const ability = built();
    rememberContext(ability, { actor, today: dayOf(now), ...(windowScope ? { regularScope: { $or: branches } } : {}) });
    return ability;
  };
  if (!policy) return build();

  const granted = Object.entries(policy.sections) as [Section, 'read' | 'write'][];
  const own = granted.filter(([, a]) => a === 'write').map(([s]) => s);
  const shared = granted.filter(([, a]) => a === 'read').map(([s]) => s);
  const writable = fieldsOfSections(own).filter((f) => !DERIVED_FIELDS.has(f));
  const branches = scopeBranches(actor, policy);
  const today = dayOf(now);

  if (hasAny(actor, policy.readRoles)) {
    for (const where of branches) {
      // Own sections (and the record's reference) on every record in scope...
      can('read', 'Returnee', fieldsOfSections([Section.REFERENCE, ...own]), where);
      // ...other sectors' sections only under consent, or the policy's named legal basis for minors.
      for (const section of shared) {
        const fields = fieldsOfSections([section]);
        if (fields.length === 0) continue;
        const consent = activeConsentCondition(today, { sector: actor.sector, section });
        const agreement = policy.agreements?.[section];
        const underAgreement = agreement && activeAgreementCondition(today, actor, section);
        // An agreement the policy requires besides consent narrows the consent rule; one it
        // accepts instead of consent is a rule of its own.
        can('read', 'Returnee', fields, { ...where, ...consent, ...(agreement?.consent === 'also' ? underAgreement : {}) });
        if (agreement?.consent === 'instead') can('read', 'Returnee', fields, { ...where, ...underAgreement });
        if (policy.minorsWithoutConsent?.sections.includes(section)) {
          can('read', 'Returnee', fields, { ...where, ...minorCondition(today) });
        }
      }
    }
  }
  // >>> break-glass (src/break-glass/, access/break-glass-window.ts)
  const glass = breakGlassOf(actor, policy);
  if (glass && hasAny(actor, policy.readRoles)) {
    can('breakGlass', 'Returnee');
    const window = openWindowCondition(actor.staffId);
    if (glass.outsideScope) {
      // A record of the caller's country, while a window of theirs is open on it: one more scope branch.
      windowScope = true;
      can('read', 'Returnee', fieldsOfSections([Section.REFERENCE, ...(glass.sections as Section[])]), {
        country: actor.country,
        mergedIntoId: null,
        ...window,
      });
    } else {
      const gated = glass.sections.filter((s) => policy.sections[s as Section] === 'read') as Section[];
      for (const where of branches) can('read', 'Returnee', fieldsOfSections(gated), { ...where, ...window });
    }
  }
  // <<< break-glass
  if (hasAny(actor, policy.writeRoles) && writable.length > 0) {
    for (const where of branches) can('update', 'Returnee', writable, where);
    if (policy.registersReturnees) {
      can('create', 'Returnee', writable, { registeringAgency: actor.agencyId, country: actor.country });
    }
  }
  // Caseworkers of any agency working on the case refer onwards; the policy's consentRoles
  // record and revoke consent; its readers see whom the record is shared with and on what basis.
  if (policy.recordScope === 'case') {
    for (const where of branches) {
      if (hasAny(actor, policy.writeRoles)) can('refer', 'Returnee', where);
      if (hasAny(actor, policy.consentRoles)) can('manageConsent', 'Returnee', where);
      if (hasAny(actor, policy.readRoles)) can('readSharing', 'Returnee', where);
    }
  }
  if (hasAny(actor, policy.grantRoles)) {
    for (const where of branches) can('grantAccess', 'Returnee', where);
    // Referrals addressed to this agency: the service checks the addressee in SQL.
    if (policy.recordScope === 'case') can('decideReferral', 'Returnee');
  }
  if (hasAny(actor, policy.adminRoles)) {
    can('manage', 'Agency');
    can('manage', 'StaffMember');
  }
  if (hasAny(actor, policy.auditRoles)) can('read', 'AuditEvent');
  // Break-glass reviews: the supervisors of case agencies (those who grant access) review the
  // openings of their agency's staff and those on the records their agency registered; auditors see all of their country.
  if (policy.recordScope === 'case' && hasAny(actor, policy.grantRoles)) can('reviewBreakGlass', 'BreakGlass');
  if (hasAny(actor, policy.auditRoles)) can('auditBreakGlass', 'BreakGlass');
  // Data-sharing agreements are recorded for the signing supervisors by administrators (of the
  // whole hub) or by auditors, who oversee their own country: the agreements whose holder (the
  // agency whose records it opens) is of that country (src/agreement/agreement-scope.ts).
  if (hasAny(actor, policy.adminRoles)) can('manage', 'SharingAgreement');
  else if (hasAny(actor, policy.auditRoles)) can('manage', 'SharingAgreement', { holderCountry: actor.country });
  // Webhooks (src/webhooks/): the supervisors who grant access for a case agency manage its
  // endpoints and read its delivery log; administrators manage any agency's endpoints (no log:
  // it names records); auditors read the delivery logs of their country's agencies.
  if (policy.recordScope === 'case' && hasAny(actor, policy.grantRoles)) {
    can('manageWebhooks', 'WebhookSubscription', { agencyId: actor.agencyId });
    can('readWebhookLog', 'WebhookSubscription', { agencyId: actor.agencyId });
  }
  if (hasAny(actor, policy.adminRoles)) can('manageWebhooks', 'WebhookSubscription');
  if (hasAny(actor, policy.auditRoles)) can('readWebhookLog', 'WebhookSubscription', { agencyCountry: actor.country });
  // The person's own statement and data-subject requests (src/statement/, src/data-subject/): served
  // by caseworkers and supervisors of the agency that registered the record; the requests are
  // listed for that agency's supervisors and for auditors of its country.
  if (policy.recordScope === 'case' && hasAny(actor, [...policy.writeRoles, ...policy.grantRoles])) {
    can('serveDataSubject', 'Returnee', { registeringAgency: actor.agencyId, mergedIntoId: null });
  }
  if (policy.recordScope === 'case' && hasAny(actor, policy.grantRoles))
    can('readDataSubjectRequests', 'DataSubjectRequest', { agencyId: actor.agencyId });
  if (hasAny(actor, policy.auditRoles)) can('readDataSubjectRequests', 'DataSubjectRequest', { agencyCountry: actor.country });
  // Agency names and sectors are directory data every signed-in user needs (to refer, to grant).
  can('read', 'Agency');
  return build();
}
