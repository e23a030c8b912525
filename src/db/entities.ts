import { Agency } from '../agency/agency.entity';
import { BreakGlass, BreakGlassReview } from '../break-glass/break-glass.entity';
import { SharingAgreement, SharingAgreementVersion } from '../agreement/agreement.entity';
import { AuditChainLink, AuditCheckpoint, AuditMonthSeal, AuditSeal } from '../trail/audit-chain.entity';
import { AuditEvent } from '../trail/audit-event.entity';
import { CaseAccess } from '../case-access/case-access.entity';
import { Consent } from '../consent/consent.entity';
import { DuplicatePair } from '../dedup/duplicate-pair.entity';
import { IdentityCheckQuestion, IdentityCheckRequest } from '../dedup/identity-check.entity';
import { ReturneeNameKey } from '../dedup/name-key.entity';
import { NameKeyTerm } from '../dedup/name-key-term.entity';
import { DuplicateDecision, ReturneeMerge } from '../merge/merge.entity';
import { DataSubjectRequest } from '../data-subject/data-subject-request.entity';
import { Referral } from '../referral/referral.entity';
import { CivilDocument } from '../documents/civil-document.entity';
import { EducationProgressNote } from '../education/education-progress-note.entity';
import { HealthAssessment } from '../health/health-assessment.entity';
import { IdempotencyKey } from '../request/idempotency-key.entity';
import { SupportSession } from '../psychosocial/support-session.entity';
import { ReturneeRevision } from '../returnee/returnee-revision.entity';
import { Returnee } from '../returnee/returnee.entity';
import { SocialSupportMeasure } from '../social-support/social-support-measure.entity';
import { StaffMember } from '../staff/staff.entity';
import { WebhookAttempt, WebhookDelivery, WebhookEvent } from '../webhooks/webhook-delivery.entity';
import { WebhookSubscription } from '../webhooks/webhook-subscription.entity';

/** Listed explicitly (no folder discovery) so compiled, test and CLI runs see the same set. */
export const ENTITIES = [
  Agency,
  StaffMember,
  Returnee,
  HealthAssessment,
  CaseAccess,
  ReturneeRevision,
  AuditEvent,
  Consent,
  Referral,
  EducationProgressNote,
  CivilDocument,
  SocialSupportMeasure,
  SupportSession,
  AuditChainLink,
  AuditSeal,
  AuditMonthSeal,
  AuditCheckpoint,
  IdempotencyKey,
  ReturneeNameKey,
  NameKeyTerm,
  WebhookSubscription,
  WebhookEvent,
  WebhookDelivery,
  WebhookAttempt,
  SharingAgreement,
  SharingAgreementVersion,
  ReturneeMerge,
  DuplicateDecision,
  DataSubjectRequest,
  DuplicatePair,
  BreakGlass,
  BreakGlassReview,
  IdentityCheckRequest,
  IdentityCheckQuestion,
];
