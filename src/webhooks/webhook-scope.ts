import type { AppAbility } from '../access/ability';
import { conditionSqlOver } from '../access/condition-sql';
import { subjectConditionTemplate } from '../access/scope';

/**
 * Which agencies' webhooks a caller may manage or whose delivery log they may read, as SQL over
 * an agency id column, from the CASL rules of src/access/ability.ts through the access layer's
 * one compiler (condition-sql.ts) with this subject's field map: a rule may name `agencyId` or
 * `agencyCountry`; anything else throws, so a new kind of rule cannot silently widen the scope.
 * `null`: none at all.
 */
export function subscriptionScopeSql(
  ability: AppAbility,
  action: 'manageWebhooks' | 'readWebhookLog',
  agencyIdSql: string,
  params: unknown[],
): string | null {
  const template = subjectConditionTemplate(ability, action, 'WebhookSubscription');
  if (!template) return null;
  return conditionSqlOver(
    template,
    { agencyId: agencyIdSql, agencyCountry: `(select sa.country from agency sa where sa.id = ${agencyIdSql})` },
    params,
  );
}
