import type { Knex, SelectQueryBuilder } from '@mikro-orm/postgresql';
import type { AppAbility } from '../access/ability';
import { conditionFor } from '../access/scope';
import type { Operation } from '../request/operation';
import { Returnee } from '../returnee/returnee.entity';

/**
 * Which data-subject requests a caller may read, as SQL over `data_subject_request d`, from the
 * CASL rules of src/access/ability.ts:
 * - `readDataSubjectRequests` (the list): supervisors of the recording agency (`agencyId`),
 *   auditors of its country (`agencyCountry`);
 * - the requests of the people the caller serves (`serveDataSubject`: caseworkers and
 *   supervisors of the registering agency): what a mutation answers with, and who reads notes.
 * Anything else in a rule throws, so a new kind of rule cannot silently widen the scope.
 */
export function listScopeSql(ability: AppAbility, params: unknown[]): string | null {
  const rules = ability.rulesFor('readDataSubjectRequests', 'DataSubjectRequest');
  if (rules.length === 0) return null;
  const arms = rules.map((rule) => {
    if (rule.inverted) throw new Error('data-subject scope: inverted rules are not supported');
    const parts = Object.entries((rule.conditions ?? {}) as Record<string, unknown>).map(([key, value]) => {
      if (typeof value !== 'string') throw new Error(`data-subject scope: unsupported value for ${key}`);
      params.push(value);
      if (key === 'agencyId') return `d.agency_id = ?`;
      if (key === 'agencyCountry') return `exists (select 1 from agency da where da.id = d.agency_id and da.country = ?)`;
      throw new Error(`data-subject scope: unsupported condition ${key}`);
    });
    return parts.length === 0 ? 'true' : `(${parts.join(' and ')})`;
  });
  return `(${arms.join(' or ')})`;
}

type SelectQb = SelectQueryBuilder<Returnee, 'r'>;

/** `d.returnee_id` among the people the caller serves (their registering agency's records), or null: none. */
export function servedSql(op: Operation, params: unknown[]): string | null {
  const scope = conditionFor(op.ability, 'serveDataSubject');
  if (scope === null) return null;
  const qb = op.em
    .createQueryBuilder(Returnee, 'r')
    .select('r.id')
    .where(scope as Parameters<SelectQb['where']>[0])
    .andWhere('r.id = d.returnee_id');
  params.push(qb.getKnexQuery() as Knex.QueryBuilder);
  return `exists (?)`;
}
