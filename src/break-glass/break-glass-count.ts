import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Openings by one staff member in the last 24 hours (closed and expired ones count), and the
 * oldest of them: what the policy's `maxPerDay` is checked against, both when the glass is broken
 * (break-glass.service.ts) and when a refused read says whether it could be
 * (returnee/returnee-break-glass.ts). A leaf: it depends on the staff member only, never on a record.
 */
export async function openingsToday(em: EntityManager, staffId: string): Promise<{ n: number; oldest: Date | string | null }> {
  const [row] = await em.execute<{ n: number; oldest: Date | string | null }[]>(
    `select count(*)::int as n, min(opened_at) as oldest from break_glass where actor_id = ? and opened_at > now() - interval '1 day'`,
    [staffId],
  );
  return row;
}
