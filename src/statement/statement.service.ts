import type { Knex } from '@mikro-orm/postgresql';
import { Agency } from '../agency/agency.entity';
import type { Operation } from '../request/operation';
import { joinBreakGlassReviews } from './break-glass-review';
import { servedReturneeOrThrow } from './served-returnee';
import { foldStatement, type StatementGroupRow } from './statement-fold';
import { statementLanguageOrThrow, statementTranslator } from './statement-i18n';
import { paragraphsOf, sentenceOf } from './statement-text';
import type { DisclosureStatementType, StatementAgencyType } from './statement.types';

/** Groups of identical events per day: a person's whole history stays a few thousand rows. */
const MAX_GROUPS = 5000;

/**
 * Every event that disclosed or changed something of the person: successful reads and writes,
 * of the record and of anything filed under it (consents, referrals, the trail about them), by
 * any agency, the registering one included. Refusals and not-found answers showed nothing and
 * are left out (docs/statement.md). Records merged into this one are this person's too.
 * Grouped by the database per day (UTC); the partition key is not bounded, the returnee index
 * (returnee_id, occurred_at, id) finds the rows of each month.
 */
const GROUPS_SQL = `with recursive person(id) as (
    select ?::uuid union select r.id from returnee r join person p on r.merged_into_id = p.id
  )
  select agency_id, action, entity_type, fields, purpose, basis,
    to_char((occurred_at at time zone 'UTC')::date, 'YYYY-MM-DD') as day, count(*)::int as n
  from audit_event
  where returnee_id in (select id from person) and outcome = 'SUCCESS' and action in ('READ', 'CREATE', 'UPDATE', 'DELETE')
  group by agency_id, action, entity_type, fields, purpose, basis, day
  order by day desc
  limit ?`;

async function agenciesOf(op: Operation, ids: string[], registering: string): Promise<Map<string, StatementAgencyType>> {
  const rows = ids.length ? await op.em.find(Agency, { id: { $in: ids } }) : [];
  return new Map(rows.map((a) => [a.id, { name: a.name, sector: a.sector, country: a.country, registeringAgency: a.id === registering }]));
}

/**
 * `disclosureStatement(returneeId, language)` and the printable page and PDF
 * (statement-http.ts): the person's own statement of which agencies saw or changed which
 * sections of their record, on which day, for what declared purpose and on what basis — agencies,
 * never staff. Produced by caseworkers and supervisors of the registering agency
 * (served-returnee.ts); producing it is itself an audit event naming the person, stored before
 * the statement is returned.
 */
export async function disclosureStatementOrThrow(
  op: Operation,
  requestedId: string,
  language: string | null | undefined,
  format: 'data' | 'html' | 'pdf' = 'data',
  /** Whether the answer carries the case number (the page and the PDF always print it). */
  showsCaseNumber = true,
): Promise<DisclosureStatementType> {
  const lang = statementLanguageOrThrow(language);
  const person = await servedReturneeOrThrow(op, requestedId, { entityType: 'DisclosureStatement', action: 'READ' });
  const knex = op.em.getConnection().getKnex();
  const trx = op.em.getTransactionContext<Knex.Transaction>();
  const { rows } = (await (trx ?? knex).raw(GROUPS_SQL, [person.id, MAX_GROUPS + 1])) as { rows: StatementGroupRow[] };
  const truncated = rows.length > MAX_GROUPS;
  const groups = rows.slice(0, MAX_GROUPS);
  const agencyIds = [...new Set([person.registeringAgencyId, ...groups.map((g) => g.agency_id).filter((a): a is string => !!a)])];
  const agencies = await agenciesOf(op, agencyIds, person.registeringAgencyId);
  const entries = await joinBreakGlassReviews(op, person.id, foldStatement(groups, agencies));
  await op.recordDurably([
    {
      action: 'READ',
      entityType: 'DisclosureStatement',
      returneeId: person.id,
      fields: [...(showsCaseNumber ? ['caseNumber'] : []), `disclosureStatement:${format}:${lang}`],
      outcome: 'SUCCESS',
    },
  ]);
  const t = statementTranslator(lang);
  const generatedAt = new Date();
  const producedBy = agencies.get(person.registeringAgencyId)!;
  return {
    returneeId: person.id,
    caseNumber: person.caseNumber,
    language: lang,
    generatedAt,
    producedBy,
    eventCount: groups.reduce((n, g) => n + g.n, 0),
    truncated,
    entries: entries.map((e) => ({ ...e, sentence: sentenceOf(t, e) })),
    title: t.t('statement.title'),
    paragraphs: paragraphsOf(t, {
      caseNumber: person.caseNumber,
      generatedAt,
      producedBy,
      entries,
      truncated,
      dueDays: op.ctx.runtime.config.dsrDueDays,
    }),
  };
}
