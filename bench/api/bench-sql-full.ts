/**
 * The `byIdFull` scenario's SQL for the raw baseline and PostGraphile (installed with the rest of
 * the bench schema by bench-sql.ts): one returnee as a HEALTH caseworker's screen asks for it,
 * every section HEALTH may read and the household, masked as the hub masks it:
 *
 * - IDENTITY and CONTACT (household included): a consent covering HEALTH and the section, or a
 *   minor (the health policy's `minorsWithoutConsent`);
 * - EDUCATION_SUMMARY, DOCUMENTS_STATUS, PSYCHOSOCIAL_SUMMARY: a consent covering HEALTH and the section;
 * - SOCIAL_SUPPORT: a data-sharing agreement of the registering agency in force for the caller's
 *   agency (or HEALTH of its country) AND such a consent (the policy's `consent: 'also'`);
 * - HEALTH_FLAGS and the assessments: HEALTH's own, on every record in scope.
 *
 * A consent counts when given by whom the person's status today requires (the guardian of a
 * minor, the person otherwise), as src/access/active-consent.ts says. Collections come as JSON
 * columns built by PostgreSQL (PostGraphile serves them as JSON fields), ordered as the hub orders them.
 */
import { CIVIL_DOCUMENT_TYPES } from '../../src/returnee/section-enums';

const TODAY = `(now() at time zone 'utc')::date`;
const MINOR = `(r.date_of_birth > (${TODAY} - interval '18 years'))`;

const consented = (section: string) => `exists (select 1 from public.consent c where c.returnee_id = r.id and c.revoked_at is null
    and c.sectors @> array['HEALTH'] and c.sections @> array['${section}'] and c.valid_from <= ${TODAY}
    and (c.valid_until is null or c.valid_until >= ${TODAY}) and c.given_by = case when ${MINOR} then 'GUARDIAN' else 'SELF' end)`;

const AGREEMENT = `exists (select 1 from public.sharing_agreement a where a.holder_id = r.registering_agency_id
    and a.sections @> array['SOCIAL_SUPPORT'] and a.suspended_at is null and a.valid_from <= ${TODAY}
    and (a.valid_until is null or a.valid_until >= ${TODAY})
    and (a.recipient_agency_id = agency or (a.recipient_agency_id is null and a.recipient_sector = 'HEALTH'
      and a.recipient_country = (select g.country from public.agency g where g.id = agency))))`;

const IDENTITY = [
  'given_name',
  'family_name',
  'patronymic',
  'other_names',
  'sex',
  'date_of_birth',
  'place_of_birth',
  'citizenship',
  'returned_on',
  'returned_from',
  'status',
];
const CONTACT = ['region', 'district', 'address', 'phone', 'guardian_name', 'guardian_relation'];

const ASSESSMENTS = `(select coalesce(json_agg(json_build_object('id', h.id, 'assessedOn', h.assessed_on, 'findings', h.findings,
    'conditions', h.conditions, 'treatmentPlan', h.treatment_plan, 'followUpNeeded', h.follow_up_needed, 'fitForSchool', h.fit_for_school)
    order by h.assessed_on desc, h.created_at desc), '[]') from public.health_assessment h where h.returnee_id = r.id)`;

// Every document type, MISSING when none is current (as the hub's returnee.view.ts shows them).
const DOCUMENT_STATUSES = `(select json_agg(json_build_object('type', t.type, 'status', coalesce(d.status, 'MISSING')) order by t.type)
    from unnest(array[${CIVIL_DOCUMENT_TYPES.map((t) => `'${t}'`).join(', ')}]) t(type)
    left join public.civil_document d on d.returnee_id = r.id and d.type = t.type and d.superseded_at is null)`;

const SOCIAL_SUPPORT = `(select coalesce(json_agg(json_build_object('id', s.id, 'kind', s.kind, 'description', s.description,
    'startedOn', s.started_on, 'endedOn', s.ended_on, 'provider', s.provider) order by s.started_on desc, s.recorded_at desc, s.id), '[]')
    from public.social_support_measure s where s.returnee_id = r.id)`;

/** `scope(alias)`: the caseworker's row scope over a returnee row (bench-sql.ts), for the household's members. */
export function fullReturneeSql(scope: (alias: string) => string): string {
  const household = `(select coalesce(json_agg(json_build_object('id', m.id, 'caseNumber', m.case_number, 'relation', rel.relation)
      order by m.case_number, rel.relation), '[]') from public.returnee m
      cross join lateral (values ('GUARDIAN', m.id = r.guardian_returnee_id), ('WARD', m.guardian_returnee_id = r.id)) rel(relation, holds)
      where (m.id = r.guardian_returnee_id or m.guardian_returnee_id = r.id) and rel.holds and ${scope('m')})`;
  const masked = (flag: string, expr: string, as: string) => `case when v.${flag} then ${expr} end as ${as}`;
  return `
    create view bench.full_returnee as select r.id, r.case_number, r.version,
      ${IDENTITY.map((c) => `r.${c}`).join(', ')}, ${CONTACT.map((c) => `r.${c}`).join(', ')}, null::json as household,
      r.follow_up_needed, r.fit_for_school, r.accommodations_needed, null::json as health_assessments,
      r.enrolment_status, r.school, r.grade, null::json as document_statuses, null::json as social_support, r.engagement_status
      from public.returnee r where false;
    comment on view bench.full_returnee is E'@primaryKey id';

    create function bench.caseworker_returnee_full(agency uuid, returnee uuid) returns setof bench.full_returnee
        language sql stable rows 1 as $$
      select r.id, r.case_number, r.version,
        ${IDENTITY.map((c) => masked('identity', `r.${c}`, c)).join(',\n        ')},
        ${CONTACT.map((c) => masked('contact', `r.${c}`, c)).join(',\n        ')},
        ${masked('contact', household, 'household')},
        r.follow_up_needed, r.fit_for_school, r.accommodations_needed, ${ASSESSMENTS} as health_assessments,
        ${masked('education', 'r.enrolment_status', 'enrolment_status')}, ${masked('education', 'r.school', 'school')},
        ${masked('education', 'r.grade', 'grade')},
        ${masked('documents', DOCUMENT_STATUSES, 'document_statuses')},
        ${masked('support', SOCIAL_SUPPORT, 'social_support')},
        ${masked('psychosocial', 'r.engagement_status', 'engagement_status')}
      from public.returnee r
      cross join lateral (select ${MINOR} or ${consented('IDENTITY')} as identity,
        ${MINOR} or ${consented('CONTACT')} as contact,
        ${consented('EDUCATION_SUMMARY')} as education, ${consented('DOCUMENTS_STATUS')} as documents,
        ${AGREEMENT} and ${consented('SOCIAL_SUPPORT')} as support, ${consented('PSYCHOSOCIAL_SUMMARY')} as psychosocial offset 0) v
      where r.id = returnee and ${scope('r')}
    $$;`;
}
