import type { Operation } from '../request/operation';
import { Referral } from './referral.entity';
import { referralReadEvents, type ReferralSelection } from './referral-read-audit';
import type { ReferralType } from './referral.types';
import { uuidOrThrow } from '../common/ids';
import { agencyView } from '../agency/agency.view';

export function referralView(r: Referral): ReferralType {
  const returnee = r.returnee.getEntity();
  return {
    id: r.id,
    returnee: { id: returnee.id, caseNumber: returnee.caseNumber },
    fromAgency: agencyView(r.fromAgency.getEntity()),
    toAgency: agencyView(r.toAgency.getEntity()),
    service: r.service,
    reason: r.reason,
    crossBorder: r.crossBorder,
    status: r.status,
    createdAt: r.createdAt,
    decidedAt: r.decidedAt ?? null,
    decisionNote: r.decisionNote ?? null,
    closedAt: r.closedAt ?? null,
  };
}

/**
 * One referral, as the `referrals` query shows it: those from or to the caller's agency, others
 * NOT_FOUND; audited as a page of one (referral-read-audit.ts): a READ of the referral naming the
 * fields selected and, when its `returnee` reference is selected, a READ of the record naming
 * them. The referral mutations' responses and their replays are read this way, so a replay shows
 * the referral as the caller may see it now.
 */
export async function readReferralOrThrow(op: Operation, id: string, selection: ReferralSelection): Promise<ReferralType> {
  const referralId = uuidOrThrow(id);
  const mine = op.actor.agencyId;
  const r = await op.em.findOne(
    Referral,
    { id: referralId, $or: [{ toAgency: mine }, { fromAgency: mine }] },
    {
      populate: ['fromAgency', 'toAgency', 'returnee'],
      fields: ['*', 'returnee.id', 'returnee.caseNumber'] as never,
      refresh: true,
    },
  );
  if (!r) return op.notFoundOrThrow('READ', 'Referral', referralId);
  await op.recordDurably(referralReadEvents([r], selection));
  return referralView(r);
}
