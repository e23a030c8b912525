import { POLICIES } from '../../policies';
import type { Actor } from './actor';
import { agreementActiveSql } from './active-agreement';
import { consentActiveSql, minorCondition } from './active-consent';
import type { AppAbility } from './ability-types';
import { compileCondition, type Sql } from './condition-sql';
import { Section, sectionsOfField } from './sections';

/**
 * The basis of each disclosed section, worked out in the same SQL statement as the read
 * (returnee/returnee-select.ts), from the same definitions as the rules that let the section
 * through (ability.ts): an active consent (active-consent.ts), the policy's legal duty towards
 * minors. For a section shown under a field group's condition, the row's witness names WHICH
 * consent (its id) or which legal duty made the condition hold at that moment; the audit trail
 * stores it (src/audit/audit-basis.ts), so revoking the consent later changes no past basis.
 *
 * Own sections and the record's reference are OWN_SECTOR: the record is in the caller's scope
 * and the section is their sector's own.
 */

/** What the rules of an ability were compiled for: the witness SQL must use the same day. */
export interface AbilityContext {
  actor: Actor;
  today: string;
}

const contexts = new WeakMap<AppAbility, AbilityContext>();

/** Called by the policy compiler for every ability it builds. */
export function rememberContext(ability: AppAbility, context: AbilityContext): void {
  contexts.set(ability, context);
}

/** One section shown under a field group's condition, and the SQL naming its basis on row `r`. */
export interface SectionWitness {
  section: Section;
  /** A json object `{kind, ref?, legalBasis?}`, or null (the group's condition did not hold). */
  sql: Sql;
}

const witnesses = new WeakMap<AppAbility, Map<string, SectionWitness>>();

/**
 * The witness of a shared section for this ability. Precedence when several bases hold: the
 * person's consent, then the policy's legal duty.
 */
export function sectionWitness(ability: AppAbility, section: Section): SectionWitness | undefined {
  const context = contexts.get(ability);
  if (!context) return undefined;
  let known = witnesses.get(ability);
  if (!known) witnesses.set(ability, (known = new Map()));
  let witness = known.get(section);
  if (!witness) known.set(section, (witness = { section, sql: witnessSql(context, section) }));
  return witness;
}

/** The id of an active consent of row `r` covering the sector and section (SQL), or null. */
function consentIdSql(actor: Actor, today: string, section: Section, params: unknown[]): string {
  params.push(actor.sector, section);
  return (
    `(select x.id from consent x where x.returnee_id = r.id and x.sectors @> array[?]::text[] and x.sections @> array[?]::text[]` +
    ` and ${consentActiveSql(today, 'x', 'r', params)} order by x.id limit 1)`
  );
}

/** The agreement in force for this section (id and version), with the consent also required when the policy asks for both. */
function agreementSql(actor: Actor, today: string, section: Section, withConsent: boolean, params: unknown[]): string {
  const consentRef = withConsent ? `, 'consentRef', ${consentIdSql(actor, today, section, params)}` : '';
  const where = agreementActiveSql(today, actor, section, 'a', 'r', params);
  const consentHolds = withConsent ? ` and ${consentIdSql(actor, today, section, params)} is not null` : '';
  return (
    `(select json_build_object('kind', 'AGREEMENT', 'ref', a.id, 'version', a.version${consentRef}) from sharing_agreement a` +
    ` where ${where}${consentHolds} order by a.id limit 1)`
  );
}

function witnessSql({ actor, today }: AbilityContext, section: Section): Sql {
  const policy = POLICIES[actor.sector];
  const params: unknown[] = [];
  const candidates: string[] = [];
  const agreement = policy?.agreements?.[section];
  if (agreement?.consent === 'also') candidates.push(agreementSql(actor, today, section, true, params));
  else {
    candidates.push(
      `(select json_build_object('kind', 'CONSENT', 'ref', c.id) from (select ${consentIdSql(actor, today, section, params)} as id) c where c.id is not null)`,
    );
    if (agreement?.consent === 'instead') candidates.push(agreementSql(actor, today, section, false, params));
  }
  const duty = policy?.minorsWithoutConsent;
  if (duty?.sections.includes(section)) {
    const minor = compileCondition(minorCondition(today));
    candidates.push(`case when ${minor.text} then json_build_object('kind', 'LEGAL_DUTY', 'legalBasis', ?::text) end`);
    params.push(...minor.params, duty.legalBasis);
  }
  return { text: `coalesce(${candidates.join(', ')})`, params };
}

/** The section a field is disclosed as: REFERENCE for id, case number and version, else its own. */
export function sectionOfField(field: string): Section | undefined {
  const sections = sectionsOfField(field);
  return sections.includes(Section.REFERENCE) ? Section.REFERENCE : sections[0];
}
