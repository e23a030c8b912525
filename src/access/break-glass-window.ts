import type { MongoQuery } from '@casl/ability';
import type { Actor } from './actor';
import type { BreakGlassPolicy, SectorPolicy } from './policy';
import { collectionOf, conjunctsOf } from './condition-sql';
import type { RowFacts } from './row-facts';

/**
 * The one definition of "a break-glass window of this staff member is open on the record"
 * (src/break-glass/): a row of `break_glass_open`, the view of break_glass rows not closed and
 * whose `expires_at` is after the database's `now()`. The time is compared in SQL on every
 * request, so closing or expiry cuts access on the next request however long the ability (which
 * names the staff member, never the time) stays cached.
 */
export function openWindowCondition(staffId: string): MongoQuery {
  return { breakGlassWindows: { $elemMatch: { actorId: staffId } } };
}

/** The break-glass terms of the actor's policy, when the actor holds one of its roles. */
export function breakGlassOf(actor: Pick<Actor, 'roles'>, policy: SectorPolicy | undefined): BreakGlassPolicy | undefined {
  const terms = policy?.breakGlass;
  return terms && actor.roles.some((r) => terms.roles.includes(r)) ? terms : undefined;
}

/** The fact of row `r` (row-facts.ts): the id of the caller's newest open window on the record, or null. */
export function openWindowFact(staffId: string, facts: RowFacts): string {
  // The rule's own conjunct (openWindowCondition), so the scan filters by it once for both.
  const mine = conjunctsOf({ actorId: staffId }, 'x');
  return facts.first(collectionOf('breakGlassWindows'), mine, 'x.id', 'x.opened_at desc, x.id');
}
