import type { Operation } from '../request/operation';
import type { Referral } from './referral.entity';

type ReadEntry = Parameters<Operation['recordDurably']>[0][number];

/** What the client selected on a page of referrals: the referral fields, and those of each referral's `returnee`. */
export interface ReferralSelection {
  fields: ReadonlySet<string>;
  returnee: ReadonlySet<string>;
}

/**
 * The READ events of a page of referrals: one per referral returned, naming the fields the
 * client selected, and one per referred record naming the reference fields it was shown
 * (id, case number): the record is read too, like a household member (one event per record,
 * however many referrals name it). Nothing is recorded for what the client did not ask for.
 *
 * The basis of that record read is the referral itself (reason `REFERRAL`): a referral shows its
 * two agencies the record's reference even while the record is not in their scope (a pending or
 * declined referral's addressee, a referring agency whose own access has ended), so a supervisor
 * can tell which case a referral is about and ask the referring agency. Nothing else of the record
 * is shown on that basis (docs/consent.md, "What a referral shows").
 */
export function referralReadEvents(nodes: readonly Referral[], selection: ReferralSelection): ReadEntry[] {
  const fields = [...selection.fields].filter((f) => f !== '__typename');
  if (fields.length === 0) return [];
  const events: ReadEntry[] = nodes.map((r) => ({
    action: 'READ',
    entityType: 'Referral',
    entityId: r.id,
    returneeId: r.returnee.id,
    fields,
    outcome: 'SUCCESS',
  }));
  const reference = ['id', 'caseNumber'].filter((f) => selection.fields.has('returnee') && selection.returnee.has(f));
  if (reference.length === 0) return events;
  for (const returneeId of new Set(nodes.map((r) => r.returnee.id))) {
    events.push({
      action: 'READ',
      entityType: 'Returnee',
      entityId: returneeId,
      returneeId,
      fields: reference,
      outcome: 'SUCCESS',
      reason: 'REFERRAL',
    });
  }
  return events;
}
