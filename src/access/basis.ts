import { POLICIES } from '../../policies';
import type { Actor } from '../access/actor';
import { consentActiveSql, minorCondition } from './active-consent';
import type { AppAbility } from './ability';
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

function witnessSql({ actor, today }: AbilityContext, section: Section): Sql {
  const policy = POLICIES[actor.sector];
  const params: unknown[] = [actor.sector, section];
  const candidates = [
    `(select json_build_object('kind', 'CONSENT', 'ref', x.id) from consent x where x.returnee_id = r.id` +
      ` and x.sectors @> array[?]::text[] and x.sections @> array[?]::text[] and ${consentActiveSql(today, 'x', 'r', params)}` +
      ' order by x.id limit 1)',
  ];
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
