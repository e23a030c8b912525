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
  | 'readWebhookLog';
export type SubjectName = 'Returnee' | 'Agency' | 'StaffMember' | 'AuditEvent' | 'SharingAgreement' | 'WebhookSubscription';
export type AppAbility = MongoAbility<[Action, SubjectName | Record<string, unknown>]>;
