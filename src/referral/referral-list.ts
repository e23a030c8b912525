import type { FilterQuery } from '@mikro-orm/core';
import { cursorsFor } from '../common/cursor';
import { uuidOrThrow } from '../common/ids';
import { badInput } from '../errors';
import type { Operation } from '../request/operation';
import { Referral } from './referral.entity';
import { referralReadEvents, type ReferralSelection } from './referral-read-audit';
import type { ReferralFilter } from './referral.types';

/** Referrals from or to the caller's agency, newest first. */
export async function listReferrals(
  op: Operation,
  filter: ReferralFilter,
  first: number,
  after: string | undefined,
  selection: ReferralSelection,
  previous = false,
) {
  const maxPage = op.ctx.runtime.config.maxPageSize;
  if (!Number.isInteger(first) || first < 1 || first > maxPage) throw badInput(`first must be between 1 and ${maxPage}`);
  const mine = op.actor.agencyId;
  const where: FilterQuery<Referral>[] = [
    filter.direction === 'INCOMING'
      ? { toAgency: mine }
      : filter.direction === 'OUTGOING'
        ? { fromAgency: mine }
        : { $or: [{ toAgency: mine }, { fromAgency: mine }] },
  ];
  if (filter.status) where.push({ status: filter.status });
  if (filter.returneeId) where.push({ returnee: uuidOrThrow(filter.returneeId, 'returneeId') });
  const base: FilterQuery<Referral> = { $and: where };
  const cursors = cursorsFor(op, { connection: 'referrals', order: 'createdAt desc', value: 'timestamp', id: 'uuid' });
  const c = after ? cursors.openOrThrow(after) : undefined;
  const page = await op.em.find(
    Referral,
    c ? { $and: [base, { $or: [{ createdAt: { $lt: new Date(c.value) } }, { createdAt: new Date(c.value), id: { $lt: c.id } }] }] } : base,
    {
      populate: ['fromAgency', 'toAgency', 'returnee'],
      fields: ['*', 'returnee.id', 'returnee.caseNumber'] as never,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      limit: first + 1,
    },
  );
  const total = await op.em.count(Referral, base);
  const nodes = page.slice(0, first);
  // Relay, forward paging: edges before `after` exist when one of your referrals sorts at or before it (newest first).
  const hasPreviousPage =
    c && previous
      ? (await op.em.count(Referral, {
          $and: [base, { $or: [{ createdAt: { $gt: new Date(c.value) } }, { createdAt: new Date(c.value), id: { $gte: c.id } }] }],
        })) > 0
      : false;
  await op.recordDurably(referralReadEvents(nodes, selection));
  const edgeCursors = nodes.map((r) => cursors.seal(r.createdAt.toISOString(), r.id));
  return { nodes, total, hasNextPage: page.length > first, hasPreviousPage, cursors: edgeCursors };
}
