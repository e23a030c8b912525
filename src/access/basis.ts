import { POLICIES } from '../../policies';
import type { Actor } from './actor';
import type { MongoQuery } from '@casl/ability';
import { agreementInForce } from './active-agreement';
import { breakGlassOf, openWindowFact } from './break-glass-window';
import { byActiveConsent, minorCondition } from './active-consent';
import type { AppAbility } from './ability-types';
import { collectionOf, compileCondition, compileOverFacts, conjunctsOf } from './condition-sql';
import type { FactSql, RowFacts } from './row-facts';
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
  /**
   * Set when break-glass windows widen the row scope (ability.ts): the scope without them. A
   * record outside it was opened by a window, so even its reference and own sections are
   * disclosed on basis BREAK_GLASS (breakGlassBaseWitness).
   */
  regularScope?: MongoQuery;
}

const contexts = new WeakMap<AppAbility, AbilityContext>();

/** Called by the policy compiler for every ability it builds. */
export function rememberContext(ability: AppAbility, context: AbilityContext): void {
  contexts.set(ability, context);
}

/** One section shown under a field group's condition, and the SQL naming its basis on row `r`. */
export interface SectionWitness {
  section: Section;
  /**
   * A json object `{kind, ref?, legalBasis?}`, or null (the group's condition did not hold), over
   * `r` and the row's facts (row-facts.ts): the consent, agreement and window it names are each
   * looked up once per row, in the same scan as the groups' conditions.
   */
  sql: FactSql;
}

const witnesses = new WeakMap<AppAbility, Map<string, SectionWitness>>();

/**
 * The witness of a shared section for this ability, over the facts of its projection. Precedence
 * when several bases hold: the person's consent, then the policy's legal duty.
 */
export function sectionWitness(ability: AppAbility, section: Section, facts: RowFacts): SectionWitness | undefined {
  const context = contexts.get(ability);
  if (!context) return undefined;
  let known = witnesses.get(ability);
  if (!known) witnesses.set(ability, (known = new Map()));
  let witness = known.get(section);
  if (!witness) known.set(section, (witness = { section, sql: witnessSql(context, section, facts) }));
  return witness;
}

/**
 * The facts: id and version of the agreement in force for this section (the first by id) among
 * those of the record's registering agency (active-agreement.ts), or null. The id is the fact
 * the rule's EXISTS reads.
 */
function agreementFacts(actor: Actor, today: string, section: Section, facts: RowFacts): { id: string; version: string } {
  const condition = conjunctsOf(agreementInForce(today, actor, section), 'x');
  const agreements = collectionOf('sharingAgreements');
  return { id: facts.firstId(agreements, condition), version: facts.first(agreements, condition, 'x.version', 'x.id') };
}

function witnessSql({ actor, today }: AbilityContext, section: Section, facts: RowFacts): FactSql {
  const policy = POLICIES[actor.sector];
  // The sector's own section, gated only because a break-glass window does not show it: where it
  // shows, the record is in the regular scope.
  if (policy?.sections[section] === 'write') return { text: `json_build_object('kind', 'OWN_SECTOR')`, params: [], facts: [] };
  const params: unknown[] = [];
  const used: string[] = [];
  const candidates: string[] = [];
  const covers = { sector: actor.sector, section };
  const add = (sql: FactSql) => {
    candidates.push(sql.text);
    params.push(...sql.params);
    used.push(...sql.facts);
  };
  const agreement = policy?.agreements?.[section];
  if (agreement?.consent === 'also') {
    // The agreement in force, with the person's consent also required: both named.
    const a = agreementFacts(actor, today, section, facts);
    used.push(a.id, a.version);
    const named = (consent: string) =>
      `case when ${consent} is not null and r.${a.id} is not null then json_build_object('kind', 'AGREEMENT', 'ref', r.${a.id}, 'version', r.${a.version}, 'consentRef', ${consent}) end`;
    add(byActiveConsent(today, covers, facts, named));
  } else {
    add(
      byActiveConsent(today, covers, facts, (c) => `case when ${c} is not null then json_build_object('kind', 'CONSENT', 'ref', ${c}) end`),
    );
    if (agreement?.consent === 'instead') {
      const a = agreementFacts(actor, today, section, facts);
      used.push(a.id, a.version);
      candidates.push(
        `case when r.${a.id} is not null then json_build_object('kind', 'AGREEMENT', 'ref', r.${a.id}, 'version', r.${a.version}) end`,
      );
    }
  }
  const duty = policy?.minorsWithoutConsent;
  if (duty?.sections.includes(section)) {
    const minor = compileCondition(minorCondition(today));
    candidates.push(`case when ${minor.text} then json_build_object('kind', 'LEGAL_DUTY', 'legalBasis', ?::text) end`);
    params.push(...minor.params, duty.legalBasis);
  }
  // Last: an open break-glass window of the caller on the record (when nothing else holds).
  if (breakGlassOf(actor, policy)?.sections.includes(section)) {
    const window = openWindowFact(actor.staffId, facts);
    used.push(window);
    candidates.push(windowBasis(`r.${window}`));
  }
  return { text: `coalesce(${candidates.join(', ')})`, params, facts: [...new Set(used)] };
}

/** The BREAK_GLASS basis naming the window whose id is in `column` (over `r`), or null. */
function windowBasis(column: string): string {
  return `case when ${column} is not null then json_build_object('kind', 'BREAK_GLASS', 'ref', ${column}) end`;
}

/**
 * For the sections shown on every record in scope (the reference, the caller's own): SQL on row
 * `r` and its facts that is null on a record of the regular scope, and the BREAK_GLASS basis
 * (window id) on one only a window of the caller opened. Undefined when no window can widen this
 * caller's scope.
 */
export function breakGlassBaseWitness(ability: AppAbility, facts: RowFacts): FactSql | undefined {
  const context = contexts.get(ability);
  if (!context?.regularScope) return undefined;
  const regular = compileOverFacts(context.regularScope as Record<string, unknown>, facts);
  const window = openWindowFact(context.actor.staffId, facts);
  const text = `case when ${regular.text} then null else ${windowBasis(`r.${window}`)} end`;
  return { text, params: regular.params, facts: [...new Set([...regular.facts, window])] };
}

/** The section a field is disclosed as: REFERENCE for id, case number and version, else its own. */
export function sectionOfField(field: string): Section | undefined {
  const sections = sectionsOfField(field);
  return sections.includes(Section.REFERENCE) ? Section.REFERENCE : sections[0];
}
