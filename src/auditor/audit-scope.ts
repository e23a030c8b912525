import type { Knex, SelectQueryBuilder } from '@mikro-orm/postgresql';
import type { Operation } from '../request/operation';
import { returneeScope } from '../access/scope';
import { notFound } from '../errors';
import { Returnee } from '../returnee/returnee.entity';
import { uuidOrThrow } from '../common/ids';

/**
 * Which audit events an auditor may see, as SQL over `audit_event e`. Oversight bodies work
 * per country (DESIGN.md: their record scope is their own country), so an event is visible
 * when the acting agency is of the auditor's country, when it concerns a returnee in the
 * auditor's row scope, or when it is the hub's own (no agency, no returnee: bootstrap, CLI).
 * Returnee scope comes from the same CASL rules as every returnee read (`returneeScope`),
 * so an auditor from KG learns nothing about KZ records through the audit tools.
 */
type SelectQb = SelectQueryBuilder<Returnee, 'r'>;

export function scopedReturneeIds(op: Operation, correlated = false): Knex.QueryBuilder | null {
  const scope = returneeScope(op.ability, 'read');
  if (scope === null) return null;
  const qb = op.em
    .createQueryBuilder(Returnee, 'r')
    .select('r.id')
    .where(scope as Parameters<SelectQb['where']>[0]);
  if (correlated) qb.andWhere('r.id = e.returnee_id');
  return qb.getKnexQuery();
}

/**
 * `correlated` is for pages: the returnee arm then probes the returnee's primary key for each
 * event the scan reaches (a page reads a few dozen), instead of first hashing every returnee in
 * the auditor's scope (35,000 at 10^5 returnees: 40-100 ms per page, measured). Counts, which
 * read every matching event, keep the hashed form.
 */
export function visibleEventsSql(op: Operation, correlated = false): { sql: string; bindings: Knex.RawBinding[] } {
  const returnees = scopedReturneeIds(op, correlated);
  const sql = `(e.agency_id in (select a.id from agency a where a.country = ?)
    or (e.agency_id is null and e.returnee_id is null)${returnees ? ' or e.returnee_id in (?)' : ''})`;
  return { sql, bindings: returnees ? [op.actor.country, returnees] : [op.actor.country] };
}

/** Case numbers of the returnees in the caller's scope among `ids` (others are absent). */
export async function caseNumbersInScope(op: Operation, ids: string[]): Promise<Map<string, string>> {
  const scope = returneeScope(op.ability, 'read');
  if (scope === null || ids.length === 0) return new Map();
  const rows = await op.em.find(Returnee, { $and: [{ id: { $in: ids } }, scope] }, { fields: ['id', 'caseNumber'] });
  return new Map(rows.map((r) => [r.id, r.caseNumber]));
}

/**
 * The returnee an audit query is about, if it is in scope; otherwise the attempt is recorded
 * and answered NOT_FOUND, exactly as for a record that does not exist.
 */
export async function returneeInScopeOrThrow(op: Operation, returneeId: string): Promise<{ id: string; caseNumber: string }> {
  const id = uuidOrThrow(returneeId, 'returneeId');
  const found = (await caseNumbersInScope(op, [id])).get(id);
  if (found !== undefined) return { id, caseNumber: found };
  await op.recordDurably([{ action: 'READ', entityType: 'AuditEvent', returneeId: id, outcome: 'NOT_FOUND', reason: 'NOT_FOUND' }]);
  throw notFound('returnee', id);
}
