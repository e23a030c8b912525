import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema, type AuthChecker } from 'type-graphql';
import { AgencyResolver } from '../agency/agency.resolver';
import { AuditResolver } from '../auditor/audit.resolver';
import { AgreementResolver } from '../agreement/agreement.resolver';
import { CaseAccessResolver } from '../case-access/case-access.resolver';
import { ConsentResolver } from '../consent/consent.resolver';
import { ReferralResolver } from '../referral/referral.resolver';
import { unauthenticated } from '../errors';
import { DocumentsResolver } from '../documents/documents.resolver';
import { EducationResolver } from '../education/education.resolver';
import { HealthResolver } from '../health/health.resolver';
import { PsychosocialResolver } from '../psychosocial/psychosocial.resolver';
import { ReturneeHistoryResolver } from '../returnee/returnee-history';
import { ReturneeResolver } from '../returnee/returnee.resolver';
import { SocialSupportResolver } from '../social-support/social-support.resolver';
import { StaffResolver } from '../staff/staff.resolver';
import type { RequestContext } from '../request/context';
import { WebhookResolver } from '../webhooks/webhook.resolver';
import './scalars';
import { auditRefusals } from './refusal-audit';
import { guardTextArguments } from './text-guard';
import { describeRoots } from './root-docs';
// Last, so its types come after the others' in the emitted SDL (smaller diffs).
import { DedupResolver, ReturneePayloadDuplicatesResolver } from '../dedup/dedup.resolver';
import { MergeResolver } from '../merge/merge.resolver';
import { StatementResolver } from '../statement/statement.resolver';
import { DataSubjectResolver } from '../data-subject/data-subject.resolver';
import { DuplicateDecisionResolver } from '../merge/duplicate-decision.resolver';
import { PotentialDuplicatesResolver } from '../dedup/potential-duplicates.resolver';
import { BreakGlassResolver } from '../break-glass/break-glass.resolver';
import { IdentityCheckResolver } from '../dedup/identity-check.resolver';

export const RESOLVERS = [
  StaffResolver,
  AgencyResolver,
  ReturneeResolver,
  HealthResolver,
  CaseAccessResolver,
  ConsentResolver,
  ReferralResolver,
  ReturneeHistoryResolver,
  EducationResolver,
  DocumentsResolver,
  SocialSupportResolver,
  PsychosocialResolver,
  AuditResolver,
  WebhookResolver,
  AgreementResolver,
  DedupResolver,
  MergeResolver,
  DuplicateDecisionResolver,
  PotentialDuplicatesResolver,
  IdentityCheckResolver,
  ReturneePayloadDuplicatesResolver,
  StatementResolver,
  DataSubjectResolver,
  BreakGlassResolver,
] as const;

/**
 * The guard on every root field: a signed-in, active staff member. What they may do is
 * decided by their sector policy inside the services, not by decorator role lists.
 */
const authChecker: AuthChecker<RequestContext> = ({ context }) => {
  if (!context.actor) throw unauthenticated();
  return true;
};

let cached: Promise<GraphQLSchema> | undefined;

export function buildHubSchema(): Promise<GraphQLSchema> {
  cached ??= buildSchema({
    resolvers: [...RESOLVERS],
    authChecker,
    authMode: 'error',
    validate: { forbidUnknownValues: false, validationError: { target: false, value: false } },
  })
    .then(guardTextArguments)
    .then(auditRefusals)
    .then(describeRoots);
  return cached;
}
