import { getNamedType, isLeafType, isObjectType, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { ALL_RETURNEE_FIELDS } from '../../src/access/sections';
import { ROW_TABLES, shownColumns } from '../../src/sections/registry';

/**
 * What every field of every GraphQL object type discloses about a returnee record: the one
 * place that says it. The oracles (disclosure-oracles.test.ts) walk responses with it, and
 * `unclassified()` fails them the day the schema gains a type or a field this map does not
 * classify, so a new field is covered from the day it appears.
 *
 * A field is one of:
 * - `{ record: 'named', field }`: field `field` of the record the object names by its own `id`
 *   (a Returnee's fields; a household member's or a referral's `id` and `caseNumber`);
 * - `{ record: 'enclosing', field }`: field `field` of the record the object belongs to (the
 *   nearest record above it in the response, or the root field's `returneeId` argument): a
 *   section's rows, a consent's guardian, a household link, a statement's intro (case number);
 *   either may name a further `basis` on which it is shown besides the policy: `referral`, the
 *   referred record's reference (id, case number) shown to the two agencies of a referral, even
 *   while the record is not (or no longer) in the receiving (or referring) agency's scope, so a
 *   supervisor can tell which case a pending referral is about (docs/consent.md). The oracle checks
 *   the referral above the object is one from or to the caller's agency naming that record;
 * - `revised`: the record fields a history entry names (their earlier values);
 * - `meta`: the object's own metadata, no returnee field (a referral's status, an agency's code);
 * - `object`: an object whose own type is classified here (recursed into);
 * - `redactedFields`: the object's withheld fields, which must be exactly those the policy hides;
 * - `cursor`: an opaque position that must carry no record value; `count`: the number of records
 *   in the caller's scope; `zero`: always 0 (a deprecated count that disclosed hidden changes).
 */
export type FieldClass =
  | { record: 'named' | 'enclosing'; field: string; basis?: 'referral' }
  | 'revised'
  | 'meta'
  | 'object'
  | 'redactedFields'
  | 'cursor'
  | 'count'
  | 'zero';

export interface TypeClass {
  /** Audited per object: a READ event of this entity type names each object's `id`. */
  audited?: AuditedType;
  /** Directory or audit-trail data: no field discloses a returnee record (checked: no field leads to one). */
  directory?: string;
  fields: Record<string, FieldClass>;
}

/** Entity types read one audit event per object (the READ event names the object's id). */
export const AUDITED_TYPES = ['Consent', 'Referral', 'ReturneeRevision', 'CaseAccess'] as const;
export type AuditedType = (typeof AUDITED_TYPES)[number];

const named = (field: string): FieldClass => ({ record: 'named', field });
const enclosing = (field: string): FieldClass => ({ record: 'enclosing', field });
/** Every listed field of a section's row type belongs to that section's field of the enclosing record. */
const sectionRows = (sectionField: string, fields: string[], objects: string[] = ['agency']): TypeClass => ({
  fields: Object.fromEntries([...fields.map((f) => [f, enclosing(sectionField)]), ...objects.map((f) => [f, 'object' as const])]),
});
const directory = (why: string, fields: string[], objects: string[] = []): TypeClass => ({
  directory: why,
  fields: Object.fromEntries([...fields.map((f) => [f, 'meta' as const]), ...objects.map((f) => [f, 'object' as const])]),
});

/** Returnee: its fields are the section fields of access/sections.ts (one declaration per concept). */
const RETURNEE: TypeClass = {
  fields: {
    ...Object.fromEntries(ALL_RETURNEE_FIELDS.map((f) => [f, named(f)])),
    redactedFields: 'redactedFields',
    // Field names (never values) shown under an open break-glass window of the caller.
    revealedByBreakGlass: 'meta',
  },
};

export const DISCLOSURES: Readonly<Record<string, TypeClass>> = {
  Returnee: RETURNEE,
  HouseholdMember: { fields: { id: named('id'), caseNumber: named('caseNumber'), relation: enclosing('household') } },
  // The row types of the sections kept in rows (src/sections/): each shown column is the section's field.
  ...Object.fromEntries(ROW_TABLES.map((t) => [t.entityType, sectionRows(t.field, Object.keys(shownColumns(t)))])),
  DocumentStatus: sectionRows('documentStatuses', ['type', 'status', 'lastChangedAt'], []),
  Consent: {
    audited: 'Consent',
    fields: {
      id: 'meta',
      givenBy: 'meta',
      sectors: 'meta',
      sections: 'meta',
      purpose: 'meta',
      validFrom: 'meta',
      validUntil: 'meta',
      agency: 'object',
      recordedAt: 'meta',
      revokedAt: 'meta',
      active: 'meta',
      // Who the guardian is belongs to the record's CONTACT section (its guardian links).
      guardianReturneeId: enclosing('guardianReturneeId'),
      guardianName: enclosing('guardianName'),
      redactedFields: 'redactedFields',
    },
  },
  Referral: {
    audited: 'Referral',
    fields: {
      id: 'meta',
      returnee: 'object',
      fromAgency: 'object',
      toAgency: 'object',
      service: 'meta',
      reason: 'meta',
      crossBorder: 'meta',
      status: 'meta',
      createdAt: 'meta',
      decidedAt: 'meta',
      decisionNote: 'meta',
      closedAt: 'meta',
    },
  },
  // A record named by a referral: shown to the referral's agencies on the referral's basis.
  ReturneeRef: {
    fields: {
      id: { record: 'named', field: 'id', basis: 'referral' },
      caseNumber: { record: 'named', field: 'caseNumber', basis: 'referral' },
    },
  },
  ReturneeRevision: {
    audited: 'ReturneeRevision',
    fields: {
      id: 'meta',
      version: 'meta',
      changedAt: 'meta',
      agencyId: 'meta',
      fields: 'revised',
      previous: 'revised',
      hiddenFieldCount: 'zero',
    },
  },
  // Whom a record is shared with and why: the sharing's own metadata, shown to the agencies working on
  // the record (readSharing). derivedFromId names another access of the same record (listed by the
  // same query with includeEnded), referralId the referral it came from (readable only by that
  // referral's agencies: an opaque id to anyone else), revocationReason the revoker's words (like
  // `reason`, the giver's), active is !revokedAt. None is a field of the record.
  CaseAccess: {
    audited: 'CaseAccess',
    fields: {
      id: 'meta',
      returneeId: enclosing('id'),
      agency: 'object',
      basis: 'meta',
      crossBorder: 'meta',
      reason: 'meta',
      grantedAt: 'meta',
      revokedAt: 'meta',
      derivedFromId: 'meta',
      referralId: 'meta',
      revocationReason: 'meta',
      active: 'meta',
    },
  },
  // The auditor's view of a record: the event's returnee id is audit data; its case number is the record's.
  AuditedReturnee: { fields: { id: 'meta', caseNumber: named('caseNumber') } },

  ReturneeConnection: { fields: { edges: 'object', nodes: 'object', pageInfo: 'object', totalCount: 'count' } },
  ReturneeEdge: { fields: { cursor: 'cursor', node: 'object' } },
  ReturneePayload: { fields: { returnee: 'object', possibleDuplicates: 'object' } },
  // Duplicate checks (src/dedup/): candidates are Returnee objects; a reason names fields, never values.
  DuplicateCheck: { fields: { candidates: 'object', complete: 'meta' } },
  DuplicateCandidate: { fields: { returnee: 'object', score: 'meta', reasons: 'object' } },
  MatchReason: { fields: { code: 'meta', weight: 'meta', fields: 'meta' } },
  // Duplicate review: both records are Returnee objects; the score and reasons use the identity
  // section, which the list requires the caller to read on both records (potential-duplicates.service.ts).
  DuplicatePairConnection: { fields: { edges: 'object', pageInfo: 'object', complete: 'meta' } },
  DuplicatePairEdge: { fields: { cursor: 'cursor', node: 'object' } },
  DuplicatePair: { fields: { recordA: 'object', recordB: 'object', score: 'meta', reasons: 'object' } },
  // Identity checks: the requester sees only its request (the same whatever matched); a holder sees
  // the requester's own account of the person it met (sent to it by design, docs/matching.md) and
  // its own matching records as Returnee objects.
  IdentityCheckRequest: {
    fields: { id: 'meta', status: 'meta', reason: 'meta', crossBorder: 'meta', createdAt: 'meta', expiresAt: 'meta' },
  },
  IdentityCheckQuestion: {
    fields: {
      id: 'meta',
      status: 'meta',
      requesterAgency: 'object',
      identity: 'object',
      createdAt: 'meta',
      expiresAt: 'meta',
      matches: 'object',
    },
  },
  IdentityCheckPerson: directory("The requester's account of a person, not a record of the caller's (docs/matching.md)", [
    'givenName',
    'familyName',
    'patronymic',
    'sex',
    'dateOfBirth',
    'dateOfBirthEstimated',
    'placeOfBirth',
  ]),
  IdentityCheckMatch: { fields: { returnee: 'object', score: 'meta', reasons: 'object' } },
  DuplicatePairDecision: { fields: { recordA: 'object', recordB: 'object', notDuplicate: 'meta', decidedAt: 'meta' } },
  // Merges (src/merge/): the records are Returnee objects; field lists name fields, never values;
  // the rows kept with the merged record are counted only for kinds the caller may read (sharing, documents).
  MergeReturneesPayload: {
    fields: { mergeId: 'meta', survivor: 'object', fieldsTaken: 'meta', keptUnreadable: 'meta', keptWithMergedRecord: 'object' },
  },
  MergeKeptRows: { fields: { kind: 'meta', count: 'meta' } },
  UnmergeReturneesPayload: { fields: { survivor: 'object', restored: 'object' } },
  PageInfo: { fields: { hasNextPage: 'meta', hasPreviousPage: 'meta', endCursor: 'cursor', startCursor: 'cursor' } },
  ReferralConnection: {
    fields: { edges: 'object', pageInfo: 'object', nodes: 'object', endCursor: 'cursor', hasNextPage: 'meta', totalCount: 'meta' },
  },
  ReferralEdge: { fields: { cursor: 'cursor', node: 'object' } },
  AuditEventConnection: { fields: { edges: 'object', nodes: 'object', pageInfo: 'object', totalCount: 'meta', totalCountCapped: 'meta' } },
  AuditEventEdge: { fields: { cursor: 'cursor', node: 'object' } },
  AuditEvent: {
    fields: {
      id: 'meta',
      occurredAt: 'meta',
      requestId: 'meta',
      correlationId: 'meta',
      action: 'meta',
      outcome: 'meta',
      reason: 'meta',
      entityType: 'meta',
      entityId: 'meta',
      returnee: 'object',
      staff: 'object',
      agency: 'object',
      fields: 'meta',
      deniedFields: 'meta',
      sections: 'meta',
      purpose: 'meta',
      operation: 'meta',
      chainPosition: 'meta',
      basis: 'object',
    },
  },
  // The lawful basis an event records per disclosed section (kind and the consent/agreement id): audit data.
  DisclosureBasis: directory('the basis of a disclosure, from the audit trail', [
    'section',
    'kind',
    'ref',
    'consentRef',
    'version',
    'legalBasis',
  ]),
  DisclosureReport: {
    fields: {
      returnee: 'object',
      generatedAt: 'meta',
      from: 'meta',
      to: 'meta',
      eventCount: 'meta',
      agencies: 'object',
      byBasis: 'object',
    },
  },

  // The person's own statement (src/statement/): the record's case number by the root field's
  // returneeId; the rest is counts of audit events per agency, day, purpose and basis (no staff).
  DisclosureStatement: {
    fields: {
      returneeId: 'meta',
      caseNumber: enclosing('caseNumber'),
      language: 'meta',
      generatedAt: 'meta',
      producedBy: 'object',
      eventCount: 'meta',
      truncated: 'meta',
      entries: 'object',
      title: 'meta',
      paragraphs: enclosing('caseNumber'),
    },
  },
  DisclosureStatementEntry: directory(
    'counts of audit events per agency, day, purpose and basis (section names, never values)',
    ['day', 'access', 'sections', 'topics', 'purpose', 'times', 'sentence'],
    ['agency', 'basis'],
  ),
  StatementAgency: directory('an agency by name, sector and country', ['name', 'sector', 'country', 'registeringAgency']),
  StatementBasis: directory('the basis of disclosures as the audit trail recorded it', [
    'kind',
    'ref',
    'version',
    'legalBasis',
    'breakGlassReview',
  ]),
  // Data-subject requests (src/data-subject/): kind, dates, outcome and notes, no section value; the
  // person by id and case number; the notes are withheld from auditors (redactedFields names them).
  DataSubjectRequest: {
    fields: {
      id: 'meta',
      person: 'object',
      agencyName: 'meta',
      kind: 'meta',
      receivedOn: 'meta',
      dueOn: 'meta',
      status: 'meta',
      overdue: 'meta',
      outcome: 'meta',
      note: 'meta',
      outcomeNote: 'meta',
      recordedAt: 'meta',
      completedAt: 'meta',
      redactedFields: 'meta',
    },
  },
  DataSubjectRequestPerson: { fields: { id: 'meta', caseNumber: named('caseNumber') } },

  Agency: directory('the agency directory every signed-in user reads', ['id', 'code', 'name', 'sector', 'country', 'createdAt']),
  StaffMember: directory('staff accounts', ['id', 'username', 'displayName', 'roles', 'active', 'createdAt', 'deactivatedAt'], ['agency']),
  Me: directory(
    'the caller and what their policy grants',
    [
      'readableSections',
      'writableSections',
      'consentRequiredSections',
      'canRegisterReturnees',
      'canGrantCaseAccess',
      'canRecordConsent',
      'canManageStaff',
      'canReadAuditTrail',
    ],
    ['staff'],
  ),
  DisclosureByBasis: directory(
    'counts of audit events per basis of disclosure',
    ['kind', 'ref', 'version', 'legalBasis', 'sections', 'times', 'firstAt', 'lastAt'],
    ['agencies'],
  ),
  // Webhooks (src/webhooks/): an agency's own subscriptions and delivery log. A delivery names the
  // ids it was sent when the agency could see the record (thin events: ids, never values); its
  // supervisors and auditors read the log, audited per delivery.
  WebhookSubscription: directory(
    "an agency's webhook subscriptions",
    ['id', 'url', 'eventTypes', 'description', 'status', 'failingSince', 'createdAt', 'secretRotatedAt', 'previousSecretExpiresAt'],
    ['agency'],
  ),
  WebhookSecretPayload: directory('a signing secret, shown once to the supervisor who made it', ['signingSecret'], ['subscription']),
  WebhookDeliveryConnection: { fields: { edges: 'object', nodes: 'object', pageInfo: 'object', totalCount: 'meta' } },
  WebhookDeliveryEdge: { fields: { cursor: 'cursor', node: 'object' } },
  WebhookDelivery: directory(
    "one event sent to an agency's endpoint (the ids it carried)",
    [
      'id',
      'eventId',
      'eventType',
      'returneeId',
      'subjectType',
      'subjectId',
      'occurredAt',
      'status',
      'attempts',
      'nextAttemptAt',
      'deliveredAt',
    ],
    ['attemptLog'],
  ),
  WebhookAttempt: directory('one attempt to deliver (status code and latency; bodies are not kept)', [
    'attemptedAt',
    'statusCode',
    'latencyMs',
    'error',
  ]),
  // Break-glass openings (src/break-glass/): shown to the opener, the supervisors of both agencies and
  // the auditors of the country, audited per opening (READ event naming the record, basis BREAK_GLASS).
  // The record is named by id only (like a webhook delivery); its contents come from reading it.
  BreakGlass: directory(
    'a break-glass opening, for its opener, its reviewers and the auditors',
    [
      'id',
      'returneeId',
      'openedBy',
      'openedByName',
      'reasonCode',
      'reasonText',
      'sections',
      'outsideScope',
      'openedAt',
      'expiresAt',
      'closedAt',
      'open',
      'reviewOutcome',
      'reviewOverdue',
    ],
    ['agency', 'reviews'],
  ),
  BreakGlassReview: directory(
    "one side's review of a break-glass opening",
    ['side', 'reviewerId', 'outcome', 'note', 'reviewedAt'],
    ['agency'],
  ),
  BreakGlassConnection: { fields: { edges: 'object', nodes: 'object', pageInfo: 'object', totalCount: 'meta' } },
  BreakGlassEdge: { fields: { cursor: 'cursor', node: 'object' } },
  AuditStaffRef: directory('who acted, from the audit trail', ['id', 'username', 'displayName']),
  DisclosureByAgency: directory(
    'counts of audit events per agency',
    ['sectionsRead', 'sectionsChanged', 'firstAt', 'lastAt'],
    ['agency', 'entries'],
  ),
  DisclosureEntry: directory(
    'counts of audit events per person and purpose (field names, never values)',
    ['action', 'outcome', 'purpose', 'sections', 'records', 'fields', 'times', 'firstAt', 'lastAt'],
    ['staff', 'bases'],
  ),
  SharingAgreement: directory(
    'data-sharing agreements between agencies (terms and signatories, no record contents)',
    [
      'id',
      'version',
      'recipientSector',
      'recipientCountry',
      'purposes',
      'sections',
      'validFrom',
      'validUntil',
      'documentRef',
      'active',
      'suspendedAt',
      'suspensionReason',
    ],
    ['holder', 'recipientAgency', 'signatories', 'versions'],
  ),
  SharingAgreementVersion: directory(
    "an agreement's terms as recorded",
    ['version', 'purposes', 'sections', 'validFrom', 'validUntil', 'documentRef', 'recordedAt'],
    ['signatories'],
  ),
  AgreementSignatory: directory('who signed an agreement', ['staffId', 'agencyId', 'signedOn']),
  AuditIntegrity: directory(
    "the audit chain's verification",
    ['verified', 'eventsChecked', 'headPosition', 'headHash', 'pendingEvents', 'problemCount', 'checkedAt', 'durationMs'],
    ['firstBadEvent', 'problems', 'latestCheckpoint', 'latestExternalCheckpoint', 'months'],
  ),
  AuditProblem: directory('a defect of the audit chain', ['kind', 'eventId', 'position', 'checkpointId', 'month', 'detail']),
  AuditMonth: directory('a month of the audit chain and its seal', [
    'month',
    'sealed',
    'sealValid',
    'firstPosition',
    'lastPosition',
    'rootHash',
    'events',
    'walked',
    'intact',
    'archived',
  ]),
  AuditCheckpoint: directory('a signed head of the audit chain', [
    'id',
    'position',
    'hash',
    'signedAt',
    'keyId',
    'signatureValid',
    'trustedKey',
    'chainMatches',
    'source',
  ]),
};

/**
 * Fields declared above that the schema of this branch does not have yet, each with the branch
 * that adds it. Anything else declared but absent is a stale declaration and fails.
 */
export const DECLARED_AHEAD: Readonly<Record<string, string>> = {};

/** Problems with the declaration against `schema`: unclassified types and fields, stale ones, directories that lead to records. */
export function unclassified(schema: GraphQLSchema): string[] {
  const problems: string[] = [];
  const objects = Object.values(schema.getTypeMap()).filter((t): t is GraphQLObjectType => isObjectType(t) && !t.name.startsWith('__'));
  const roots = new Set([schema.getQueryType()?.name, schema.getMutationType()?.name, schema.getSubscriptionType()?.name]);
  for (const type of objects) {
    if (roots.has(type.name)) continue;
    const decl = DISCLOSURES[type.name];
    if (!decl) {
      problems.push(`type ${type.name} is not classified in test/oracles/disclosure-map.ts`);
      continue;
    }
    for (const field of Object.values(type.getFields())) {
      const cls = decl.fields[field.name];
      if (cls === undefined) {
        problems.push(`${type.name}.${field.name} is not classified in test/oracles/disclosure-map.ts`);
        continue;
      }
      const leaf = isLeafType(getNamedType(field.type));
      // An object is either a record's field (its value is walked too) or plainly an object.
      if (leaf ? cls === 'object' : typeof cls !== 'object' && cls !== 'object') {
        problems.push(`${type.name}.${field.name} is classified ${JSON.stringify(cls)} but is ${leaf ? 'a leaf' : 'an object'}`);
      }
      const target = getNamedType(field.type).name;
      if (decl.directory && !leaf && !DISCLOSURES[target]?.directory) {
        problems.push(`${type.name} is classified as directory data, but ${type.name}.${field.name} leads to ${target}, which is not`);
      }
    }
    for (const name of Object.keys(decl.fields)) {
      if (!(name in type.getFields()) && !DECLARED_AHEAD[`${type.name}.${name}`])
        problems.push(`${type.name}.${name} is classified but not in the schema`);
    }
  }
  for (const name of Object.keys(DISCLOSURES)) if (!schema.getType(name)) problems.push(`type ${name} is classified but not in the schema`);
  return problems;
}
