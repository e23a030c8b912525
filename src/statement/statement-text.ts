import type { Translator } from '../../i18n/translator';
import type { Entry } from './statement-fold';
import type { StatementAgencyType, StatementBasisType } from './statement.types';

/**
 * The statement's plain-language wording, from the message files through the translator
 * (statement-i18n.ts). Every value placed into a message is text: the HTML page escapes it.
 */
export function agencyName(t: Translator, agency: StatementAgencyType | null): string {
  if (!agency) return t.t('statement.agency.hub');
  return agency.registeringAgency ? t.t('statement.agency.registering', { name: agency.name }) : agency.name;
}

export function basisText(t: Translator, b: StatementBasisType, agency?: StatementAgencyType | null): string {
  let text: string;
  if (agency === null && b.kind === 'OWN_SECTOR') text = t.t('statement.basis.HUB');
  else if (b.kind === null) text = t.t('statement.basis.NONE');
  else if (b.kind === 'AGREEMENT' && b.version !== null) text = t.t('statement.basis.agreementVersion', { version: b.version });
  else if (b.kind === 'LEGAL_DUTY' && b.legalBasis) text = t.t('statement.basis.legalDuty', { legalBasis: b.legalBasis });
  else text = t.t(`statement.basis.${b.kind}`);
  if (b.kind === 'BREAK_GLASS')
    text += ` (${t.t(b.breakGlassReview ? `statement.review.${b.breakGlassReview}` : 'statement.review.pending')})`;
  return text;
}

export function itemsText(t: Translator, e: Pick<Entry, 'sections' | 'topics'>): string {
  return t.list([
    ...e.sections.map((s) => t.t(s === 'REFERENCE' ? 'statement.section.REFERENCE' : `common.enum.Section.${s}`)),
    ...e.topics.map((x) => t.t(`statement.topic.${x}`)),
  ]);
}

export const purposeText = (t: Translator, purpose: string | null) => purpose ?? t.t('statement.purpose.none');

export function sentenceOf(t: Translator, e: Entry): string {
  return t.t('statement.sentence', {
    day: t.date(e.day),
    agency: agencyName(t, e.agency),
    access: t.t(`statement.access.${e.access}`),
    items: itemsText(t, e),
    times: e.times,
    purpose: purposeText(t, e.purpose),
    basis: basisText(t, e.basis, e.agency),
  });
}

/** The paragraphs around the entries: what the statement is, who produced it, what it leaves out, the person's rights. */
export function paragraphsOf(
  t: Translator,
  s: { caseNumber: string; generatedAt: Date; producedBy: StatementAgencyType; entries: Entry[]; truncated: boolean; dueDays: number },
): string[] {
  const names = [...new Set(s.entries.filter((e) => e.agency).map((e) => e.agency!.name))];
  return [
    t.t('statement.intro', { caseNumber: s.caseNumber }),
    t.t('statement.producedBy', { generatedAt: t.dateTime(s.generatedAt.toISOString()), agency: s.producedBy.name }),
    `${t.t('statement.period.all')} ${t.t('statement.datesInUtc')}`,
    s.entries.length === 0 ? t.t('statement.empty') : t.t('statement.summary', { agencies: names.length, names: t.list(names) }),
    ...(s.truncated ? [t.t('statement.truncated')] : []),
    t.t('statement.omitted'),
    t.t('statement.rights', { days: s.dueDays }),
  ];
}
