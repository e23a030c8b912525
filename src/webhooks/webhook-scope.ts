import type { AppAbility } from '../access/ability';

/**
 * Which agencies' webhooks a caller may manage or whose delivery log they may read, as SQL over
 * an agency id column, from the CASL rules of src/access/ability.ts (one compiler for the two
 * conditions they use: `agencyId`, `agencyCountry`). `null`: none at all. Anything else in a
 * rule throws, so a new kind of rule cannot silently widen the scope.
 */
export function subscriptionScopeSql(
  ability: AppAbility,
  action: 'manageWebhooks' | 'readWebhookLog',
  agencyIdSql: string,
  params: unknown[],
): string | null {
  const rules = ability.rulesFor(action, 'WebhookSubscription');
  if (rules.length === 0) return null;
  const arms = rules.map((rule) => {
    if (rule.inverted) throw new Error('webhook scope: inverted rules are not supported');
    const parts = Object.entries((rule.conditions ?? {}) as Record<string, unknown>).map(([key, value]) => {
      if (typeof value !== 'string') throw new Error(`webhook scope: unsupported value for ${key}`);
      params.push(value);
      if (key === 'agencyId') return `${agencyIdSql} = ?`;
      if (key === 'agencyCountry') return `exists (select 1 from agency sa where sa.id = ${agencyIdSql} and sa.country = ?)`;
      throw new Error(`webhook scope: unsupported condition ${key}`);
    });
    return parts.length === 0 ? 'true' : `(${parts.join(' and ')})`;
  });
  return `(${arms.join(' or ')})`;
}
