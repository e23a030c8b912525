import { randomUUID } from 'node:crypto';
import { getNamedType } from 'graphql';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Sector } from '../src/access/policy';
import { Agency } from '../src/agency/agency.entity';
import { ReturneeMerge } from '../src/merge/merge.entity';
import { Referral } from '../src/referral/referral.entity';
import { Returnee } from '../src/returnee/returnee.entity';
import type { HubServer } from '../src/server';
import { SocialSupportMeasure } from '../src/social-support/social-support-measure.entity';
import { StaffMember } from '../src/staff/staff.entity';
import { DataSubjectRequest } from '../src/data-subject/data-subject-request.entity';
import { IdentityCheckQuestion, IdentityCheckRequest } from '../src/dedup/identity-check.entity';
import { WebhookSubscription } from '../src/webhooks/webhook-subscription.entity';
import {
  giveConsent,
  grantAccess,
  makeAgency,
  makeAgreement,
  makeReturnee,
  makeSectorUser,
  makeStaff,
  type StaffFixture,
} from './support/factories';
import { gql, startHub, type GqlResponse } from './support/hub';
import { documentFor, slots, variablesFor, withValue, type Slot } from './support/schema-samples';

/**
 * Existence does not leak (issue 11, defect 9): for every root field that takes an id,
 * generated from the schema, an id of a record outside the caller's scope answers exactly as
 * an id that exists nowhere: byte-identical errors (message, code, extensions, path), for
 * every kind of caller. And no error message carries an id at all.
 *
 * Every ID argument or input field must be classified below; a new one fails the suite until
 * it is, so the check grows with the schema.
 */
type Kind =
  | 'returnee'
  | 'consent'
  | 'referral'
  | 'caseAccess'
  | 'measure'
  | 'merge'
  | 'breakGlass'
  | 'agreement'
  | 'subscription'
  | 'webhookEvent'
  | 'dataSubjectRequest'
  | 'question';
/**
 * Kinds scoped to agencies rather than to records, and whom their scope does not hold back: an
 * administrator manages every agreement and every agency's webhooks, so for them no such id is
 * out of scope (and a probe would change it).
 */
const NO_OUTSIDE: Partial<Record<Kind, (who: StaffFixture) => boolean>> = {
  agreement: (who) => who.agency.sector === 'ADMINISTRATION',
  subscription: (who) => who.agency.sector === 'ADMINISTRATION',
  webhookEvent: (who) => who.agency.sector === 'ADMINISTRATION',
};
/** Scoped: out of scope must read as missing. */
const SCOPED: Record<string, Kind> = {
  'disclosureReport.returneeId': 'returnee',
  'caseAccesses.returneeId': 'returnee',
  'consents.returneeId': 'returnee',
  'returneeHistory.returneeId': 'returnee',
  'returnee.id': 'returnee',
  'grantCaseAccess.input.returneeId': 'returnee',
  'recordConsent.input.returneeId': 'returnee',
  'referReturnee.input.returneeId': 'returnee',
  'recordCivilDocument.returneeId': 'returnee',
  'updateEducation.returneeId': 'returnee',
  'recordHealthAssessment.returneeId': 'returnee',
  'recordSupportSession.returneeId': 'returnee',
  'updateReturnee.id': 'returnee',
  'recordSocialSupport.returneeId': 'returnee',
  'revokeCaseAccess.input.id': 'caseAccess',
  'revokeConsent.input.id': 'consent',
  'acceptReferral.input.id': 'referral',
  'declineReferral.input.id': 'referral',
  'closeReferral.input.id': 'referral',
  'endSocialSupport.measureId': 'measure',
  'mergeReturnees.input.survivorId': 'returnee',
  'mergeReturnees.input.mergedId': 'returnee',
  'unmergeReturnees.mergeId': 'merge',
  'disclosureStatement.returneeId': 'returnee',
  'recordDataSubjectRequest.input.returneeId': 'returnee',
  'markNotDuplicate.aId': 'returnee',
  'markNotDuplicate.bId': 'returnee',
  'reopenDuplicatePair.aId': 'returnee',
  'reopenDuplicatePair.bId': 'returnee',
  'closeBreakGlass.id': 'breakGlass',
  'reviewBreakGlass.input.id': 'breakGlass',
  'requestIdentityCheck.input.returneeId': 'returnee',
  // Scoped to agencies (agreements, webhooks) or to the registering agency's people (data-subject
  // requests), and identity questions to the agency asked: another's is NOT_FOUND like a missing one.
  'amendSharingAgreement.id': 'agreement',
  'suspendSharingAgreement.input.id': 'agreement',
  'rotateWebhookSecret.input.id': 'subscription',
  'disableWebhookSubscription.id': 'subscription',
  'webhookDeliveries.subscriptionId': 'subscription',
  'redeliverWebhookEvent.input.eventId': 'webhookEvent',
  'redeliverWebhookEvent.input.subscriptionId': 'subscription',
  'completeDataSubjectRequest.id': 'dataSubjectRequest',
  'answerIdentityCheck.questionId': 'question',
};
/**
 * Filters narrow a list and links are stored as given: neither looks a record up, so an
 * out-of-scope id must give the same answer as a missing one (errors, and a filter's data).
 */
const FILTERS = [
  'auditEvents.filter.returneeId',
  'auditEvents.filter.staffId',
  'auditEvents.filter.agencyId',
  'auditEvents.filter.basisRef',
  'referrals.filter.returneeId',
  // One person's data-subject requests: out of scope lists none, like a missing id.
  'dataSubjectRequests.returneeId',
];
const LINKS = [
  'recordConsent.input.guardianReturneeId',
  'registerReturnee.input.guardianReturneeId',
  'updateReturnee.input.guardianReturneeId',
  'likelyDuplicates.input.guardianReturneeId',
  // Looked up only among the question's own matches (BAD_USER_INPUT otherwise), after the question.
  'answerIdentityCheck.returneeId',
];
/** Not scoped: the agency directory is every user's, staff accounts every administrator's. Only "no id in the message" applies. */
const UNSCOPED = [
  'grantCaseAccess.input.agencyId',
  'referReturnee.input.toAgencyId',
  'createStaffMember.input.agencyId',
  'deactivateStaffMember.id',
  // Directory ids (agencies, staff) in the agreement and webhook inputs and filters.
  'sharingAgreements.holderAgencyId',
  'webhookSubscriptions.agencyId',
  'createSharingAgreement.input.signatories.staffId',
  'createSharingAgreement.input.holderAgencyId',
  'createSharingAgreement.input.recipientAgencyId',
  'amendSharingAgreement.terms.signatories.staffId',
  'createWebhookSubscription.input.agencyId',
  // Break-glass opens a record of the caller's country OUTSIDE their scope, by design: for a
  // caller the policy lets break the glass, an existing record opens and a missing one is
  // NOT_FOUND. That act is itself the disclosure, audited (CREATE) and reviewed by two
  // supervisors (docs/disclosure-basis.md); for everyone else it is FORBIDDEN whatever the id.
  'breakGlass.input.returneeId',
];

const SIGNED = [randomUUID(), randomUUID()].map((staffId) => ({ staffId, signedOn: '2020-01-01' }));
/** Inputs that pass validation, so the probe reaches the lookup of the id under test. */
const VALID: Record<string, Record<string, Record<string, unknown>>> = {
  recordConsent: { input: { givenBy: 'SELF', sectors: ['NGO'], sections: ['CONTACT'], purpose: 'Home visits by the NGO' } },
  updateEducation: { input: { enrolmentStatus: 'ENROLLED' } },
  reviewBreakGlass: { input: { outcome: 'JUSTIFIED', note: 'Reviewed with the doctor' } },
  breakGlass: { input: { reasonCode: 'RISK_TO_LIFE', reasonText: 'A life is at risk right now' } },
  recordHealthAssessment: { input: { assessedOn: '2020-01-01', findings: 'Healthy', followUpNeeded: false } },
  recordSupportSession: { input: { kind: 'COUNSELLING', startedOn: '2020-01-01' } },
  recordCivilDocument: { input: { type: 'PASSPORT', status: 'APPLIED' } },
  recordSocialSupport: { input: { kind: 'BENEFIT', description: 'Targeted social assistance', startedOn: '2020-01-01' } },
  updateReturnee: { input: { region: 'Aqtobe' } },
  registerReturnee: { input: { givenName: 'Madina', familyName: 'Karimova', sex: 'FEMALE', dateOfBirth: '1990-04-02' } },
  closeReferral: { input: { note: 'Done' } },
  declineReferral: { input: { note: 'No places left' } },
  mergeReturnees: { input: { expectedVersions: { survivor: 1, merged: 1 } } },
  recordDataSubjectRequest: { input: { kind: 'ACCESS', receivedOn: '2020-01-01' } },
  requestIdentityCheck: { input: { reason: 'Registered today' } },
  amendSharingAgreement: {
    terms: {
      purposes: ['Reintegration support'],
      sections: ['CONTACT'],
      validFrom: '2020-01-01',
      documentRef: 'MoU-1',
      signatories: SIGNED,
    },
  },
};

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const key = (s: Slot) => `${s.root.field.name}.${s.path.join('.')}`;
const ID_SLOTS = slots((t) => getNamedType(t).name === 'ID');

type World = Record<Kind, string> & { country: string };

/**
 * A record registered by `registrar` with one of every id-bearing thing hanging off it, none of
 * them visible to the callers' agencies (an auditor sees every record of its own country as a
 * reference, so only the other country's is out of an auditor's scope).
 */
async function outOfScopeWorld(orm: MikroORM, sector: Sector, country: string): Promise<World> {
  const registrar = await makeSectorUser(orm, sector, ['SUPERVISOR'], country);
  const other = await makeAgency(orm, 'HEALTH', country);
  const r = await makeReturnee(orm, registrar.agency);
  const consent = await giveConsent(orm, r, registrar);
  const access = await grantAccess(orm, r, other);
  const em = orm.em.fork();
  const refs = {
    returnee: em.getReference(Returnee, r.id, { wrapped: true }),
    agency: em.getReference(Agency, registrar.agency.id, { wrapped: true }),
    recordedBy: em.getReference(StaffMember, registrar.staff.id, { wrapped: true }),
  };
  const referral = new Referral({
    ...refs,
    fromAgency: refs.agency,
    toAgency: em.getReference(Agency, other.id, { wrapped: true }),
    service: 'screening',
    reason: 'Arrival screening',
    createdBy: refs.recordedBy,
  });
  const measure = new SocialSupportMeasure({
    ...refs,
    kind: 'BENEFIT',
    description: 'Targeted social assistance',
    startedOn: '2020-01-01',
  });
  // A merge of two of the registrar's records (the journal row is all unmergeReturnees looks up).
  const twin = await makeReturnee(orm, registrar.agency);
  const merge = new ReturneeMerge({
    survivorId: r.id,
    mergedId: twin.id,
    staffId: registrar.staff.id,
    agencyId: registrar.agency.id,
    survivorVersion: r.version,
    mergedVersion: twin.version,
    survivorPrevious: {},
    moved: {},
  });
  await em.persist([referral, measure, merge]).flush();
  // The agency-scoped things of the registrar: an agreement with the other agency, a webhook
  // subscription with one event delivered to it, a data-subject request, an identity question.
  const agreement = await makeAgreement(orm, registrar.agency, await makeStaff(orm, other, ['SUPERVISOR']));
  const subscription = new WebhookSubscription(refs.agency, 'https://hooks.example.invalid/hub', ['CONSENT_RECORDED'], 'not-a-secret');
  const dsr = new DataSubjectRequest({
    returneeId: r.id,
    agencyId: registrar.agency.id,
    kind: 'ACCESS',
    receivedOn: '2020-01-01',
    dueOn: '2020-02-01',
    recordedBy: registrar.staff.id,
  });
  const asking = Object.assign(new IdentityCheckRequest(), {
    requesterAgencyId: other.id,
    requesterStaffId: registrar.staff.id,
    returneeId: r.id,
    reason: 'Registered today',
    identity: { givenName: 'Madina', familyName: 'Karimova' },
    expiresAt: new Date(Date.now() + 86_400_000),
  });
  const question = Object.assign(new IdentityCheckQuestion(), { requestId: asking.id, holderAgencyId: registrar.agency.id, matches: [] });
  await em.persist([subscription, dsr, asking, question]).flush();
  const webhookEvent = randomUUID();
  await em.execute(
    `insert into webhook_event (id, type, returnee_id, subject_type, subject_id) values (?, 'consent.recorded', ?, 'Consent', ?)`,
    [webhookEvent, r.id, consent.id],
  );
  await em.execute(
    `insert into webhook_delivery (event_id, subscription_id, order_key, event_seq, status)
     select e.id, ?, e.returnee_id, e.seq, 'DELIVERED' from webhook_event e where e.id = ?`,
    [subscription.id, webhookEvent],
  );
  const breakGlass = randomUUID();
  await em.execute(
    `insert into break_glass (id, actor_id, agency_id, returnee_id, record_agency_id, country, reason_code, reason_text, sections,
       outside_scope, opened_at, expires_at) values (?, ?, ?, ?, ?, ?, 'RISK_TO_LIFE', 'A test opening', '{IDENTITY}', false, now(), now() + interval '1 hour')`,
    [breakGlass, registrar.staff.id, registrar.agency.id, r.id, registrar.agency.id, country],
  );
  return {
    breakGlass,
    country,
    returnee: r.id,
    consent: consent.id,
    referral: referral.id,
    caseAccess: access.id,
    measure: measure.id,
    merge: merge.id,
    agreement: agreement.id,
    subscription: subscription.id,
    webhookEvent,
    dataSubjectRequest: dsr.id,
    question: question.id,
  };
}

let hub: HubServer;
let callers: Record<string, StaffFixture>;
let worlds: World[];
let defaults: Record<string, string>;

beforeAll(async () => {
  hub = await startHub();
  const orm = hub.db.orm;
  callers = {};
  for (const sector of ['SOCIAL', 'HEALTH', 'EDUCATION', 'NGO'] as const)
    callers[sector] = await makeSectorUser(orm, sector, ['SUPERVISOR']);
  callers.auditor = await makeSectorUser(orm, 'OVERSIGHT', ['AUDITOR']);
  callers.admin = await makeSectorUser(orm, 'ADMINISTRATION', ['ADMIN']);
  // Another country's record, and one of the callers' own country that no caller's agency works on.
  worlds = [await outOfScopeWorld(orm, 'SOCIAL', 'UZ'), await outOfScopeWorld(orm, 'NGO', 'KZ')];
  // Other id slots of a probe get values that pass, so the probe is about the id under test.
  const kzHealth = await makeAgency(orm, 'HEALTH');
  defaults = { agencyId: kzHealth.id, toAgencyId: kzHealth.id };
  await makeStaff(orm, kzHealth, ['CASEWORKER']);
}, 120_000);
afterAll(() => hub.stop());

async function probe(slot: Slot, who: StaffFixture, id: string): Promise<GqlResponse> {
  const base = variablesFor(slot.root.field, defaults);
  for (const a of slot.root.field.args) if (a.defaultValue !== undefined && !(a.name in base)) base[a.name] = a.defaultValue;
  for (const [k, v] of Object.entries(VALID[slot.root.field.name] ?? {})) base[k] = { ...(base[k] as object), ...v };
  return gql(hub, who.token, documentFor(slot.root), withValue(base, slot, id, defaults));
}

const outsideOf = (who: StaffFixture, kind: Kind = 'returnee') =>
  NO_OUTSIDE[kind]?.(who) ? [] : worlds.filter((w) => who.agency.sector !== 'OVERSIGHT' || w.country !== who.agency.country);
const answer = (r: GqlResponse) => JSON.stringify({ status: r.status, errors: r.errors, data: r.data });

it('classifies every id argument and input field of the schema', () => {
  const known = new Set([...Object.keys(SCOPED), ...FILTERS, ...LINKS, ...UNSCOPED]);
  expect(ID_SLOTS.map(key).filter((k) => !known.has(k))).toEqual([]);
  expect([...known].filter((k) => !ID_SLOTS.some((s) => key(s) === k))).toEqual([]);
});

describe.each(ID_SLOTS.filter((s) => key(s) in SCOPED).map((s) => [key(s), s] as const))('%s', (_name, slot) => {
  it('answers an out-of-scope id exactly as a missing one, for every caller, and names no id', async () => {
    const codes = new Set<string>();
    for (const who of Object.values(callers)) {
      const missing = await probe(slot, who, randomUUID());
      expect(missing.errors).toBeDefined();
      codes.add(String(missing.errors![0].extensions?.code));
      for (const world of outsideOf(who, SCOPED[key(slot)])) {
        const outside = await probe(slot, who, world[SCOPED[key(slot)]]);
        expect(answer(outside)).toBe(answer(missing));
      }
      expect(JSON.stringify(missing.errors)).not.toMatch(UUID);
    }
    // At least one caller may use the operation at all, so the lookup itself was compared.
    expect(codes).toContain('NOT_FOUND');
  }, 120_000);
});

describe.each(ID_SLOTS.filter((s) => [...FILTERS, ...LINKS].includes(key(s))).map((s) => [key(s), s] as const))('%s', (name, slot) => {
  it('answers an out-of-scope id as a missing one (a filter: the same data; a link: the same errors)', async () => {
    for (const who of Object.values(callers)) {
      const missing = await probe(slot, who, randomUUID());
      for (const world of outsideOf(who)) {
        const outside = await probe(slot, who, world.returnee);
        if (FILTERS.includes(name) || missing.errors || outside.errors) expect(answer(outside)).toBe(answer(missing));
      }
      expect(JSON.stringify(missing.errors ?? [])).not.toMatch(UUID);
    }
  }, 120_000);
});

describe.each(ID_SLOTS.filter((s) => UNSCOPED.includes(key(s))).map((s) => [key(s), s] as const))('%s', (_name, slot) => {
  it('names no id in the answer to a missing one', async () => {
    for (const who of Object.values(callers)) {
      const missing = await probe(slot, who, randomUUID());
      expect(JSON.stringify(missing.errors ?? [])).not.toMatch(UUID);
    }
  }, 120_000);
});
