import type { MongoAbility } from '@casl/ability';

/** The ability's types, apart from the compiler, so modules it calls (basis.ts) can name them without a circle. */
export type Action =
  | 'read'
  | 'create'
  | 'update'
  | 'grantAccess'
  | 'manage'
  | 'manageConsent'
  | 'readSharing'
  | 'refer'
  | 'decideReferral'
  | 'manageWebhooks'
  | 'readWebhookLog'
  | 'serveDataSubject'
  | 'readDataSubjectRequests'
  | 'breakGlass'
  | 'reviewBreakGlass'
  | 'auditBreakGlass';
export type SubjectName =
  'Returnee' | 'Agency' | 'StaffMember' | 'AuditEvent' | 'SharingAgreement' | 'WebhookSubscription' | 'DataSubjectRequest' | 'BreakGlass';
export type AppAbility = MongoAbility<[Action, SubjectName | Record<string, unknown>]>;
