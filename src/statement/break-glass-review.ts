import type { Operation } from '../request/operation';
import type { Entry } from './statement-fold';
import { pgArray } from '../common/pg-array';

/**
 * The review outcome of each break-glass opening the statement lists (src/break-glass/): the
 * statement lists every disclosure whose basis is BREAK_GLASS with the opening's id
 * (`basis.ref`), from the audit trail (of the record and of those merged into it); the outcome is the opening's `review_outcome`, set once
 * both reviewing agencies have reviewed it (JUSTIFIED or NOT_JUSTIFIED; null: not reviewed yet,
 * shown as "not yet recorded"). Only openings on this person's records are read (`returnee_id`),
 * so a ref can never pull another person's opening in; the caller is already authorized to
 * produce this person's statement, whose production is audited as one event.
 */
export async function joinBreakGlassReviews(op: Operation, returneeId: string, entries: Entry[]): Promise<Entry[]> {
  const openings = entries.filter((e) => e.basis.kind === 'BREAK_GLASS' && e.basis.ref);
  if (openings.length === 0) return entries;
  const refs = [...new Set(openings.map((e) => e.basis.ref!))];
  // This person's records: the one named and those merged into it (whose trail the statement lists too).
  const rows = await op.em.execute<{ id: string; review_outcome: string | null }[]>(
    `with recursive person(id) as (select ?::uuid union select r.id from returnee r join person p on r.merged_into_id = p.id)
     select id, review_outcome from break_glass where id = any(?::uuid[]) and returnee_id in (select id from person)`,
    [returneeId, pgArray(refs)],
  );
  const outcome = new Map(rows.map((r) => [r.id, r.review_outcome]));
  for (const e of openings) e.basis.breakGlassReview = outcome.get(e.basis.ref!) ?? null;
  return entries;
}
