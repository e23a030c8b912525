import { POLICIES } from '../../policies';
import { abilityFor } from '../access/ability';
import { conditionSql } from '../access/condition-sql';
import { conditionTemplate } from '../access/scope';
import type { Sector } from '../access/policy';
import type { WebhookAudience } from './webhook-event-types';

/** A subscribing agency, as the outbox sees it. */
export interface AudienceAgency {
  id: string;
  sector: Sector;
  country: string;
}

/**
 * "May this agency see the record?" for a subscriber, as SQL over the event `ev` and the
 * subscription `s`: the row scope of the agency's sector (the same CASL rules, compiled by the
 * same compiler, as any read of the returnee by that agency's readers), evaluated inside the
 * transaction of the change, so it is the scope at the time of the event.
 */
function recordScopeSql(agencies: readonly AudienceAgency[], params: unknown[]): string {
  const arms: string[] = [];
  for (const a of agencies) {
    const policy = POLICIES[a.sector];
    const ability = abilityFor({
      staffId: '00000000-0000-0000-0000-000000000000',
      username: '(webhook audience)',
      displayName: '(webhook audience)',
      roles: [...policy.readRoles],
      agencyId: a.id,
      agencyCode: '',
      sector: a.sector,
      country: a.country,
    });
    const template = conditionTemplate(ability, 'read', 'id');
    if (template === null) continue; // sees no records at all
    params.push(a.id);
    const arm = `when ? then exists (select 1 from returnee r where r.id = ev.returnee_id and ${conditionSql(template, 'r', params)})`;
    arms.push(arm);
  }
  return arms.length === 0 ? 'false' : `(case s.agency_id ${arms.join(' ')} else false end)`;
}

/** The referring and the receiving agency of the referral the event is about (as the `referrals` query shows them). */
const REFERRAL_PARTIES = `exists (select 1 from referral f where f.id = ev.subject_id and s.agency_id in (f.from_agency_id, f.to_agency_id))`;

/** The agency that held the access the event is about. */
const ACCESS_HOLDER = `exists (select 1 from case_access c where c.id = ev.subject_id and c.agency_id = s.agency_id)`;

/** The agency that broke the glass and the record's registering agency (the reviewers' agencies). */
const BREAK_GLASS_PARTIES = `exists (select 1 from break_glass b where b.id = ev.subject_id and s.agency_id in (b.agency_id, b.record_agency_id))`;

/** The agency that recorded the data-subject request. */
const REQUEST_HOLDER = `exists (select 1 from data_subject_request q where q.id = ev.subject_id and q.agency_id = s.agency_id)`;

/** The whole audience condition for a batch: one arm per audience present, each limited to its event types. */
export function audienceSql(
  byAudience: ReadonlyMap<WebhookAudience, string[]>,
  agencies: readonly AudienceAgency[],
  params: unknown[],
): string {
  const arms: string[] = [];
  for (const [audience, wires] of byAudience) {
    const types = wires.map(() => '?').join(', ');
    params.push(...wires);
    let rule: string;
    if (audience === 'referralParties') rule = REFERRAL_PARTIES;
    else if (audience === 'breakGlassParties') rule = BREAK_GLASS_PARTIES;
    else if (audience === 'requestHolder') rule = REQUEST_HOLDER;
    else {
      rule = recordScopeSql(agencies, params);
      if (audience === 'recordOrAccessHolder') rule = `(${rule} or ${ACCESS_HOLDER})`;
    }
    arms.push(`(ev.type in (${types}) and ${rule})`);
  }
  return arms.length === 0 ? 'false' : `(${arms.join(' or ')})`;
}
