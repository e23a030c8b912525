import type { FilterQuery } from '@mikro-orm/core';
import type { Operation } from '../request/operation';
import { returneeScope } from '../access/scope';
import { Returnee } from '../returnee/returnee.entity';
import { CaseAccess } from './case-access.entity';
import type { CaseAccessType } from './case-access.types';
import { uuidOrThrow } from '../common/ids';
import { agencyView } from '../agency/agency.view';

export type CaseAccessTarget = { returneeId: string; includeEnded: boolean } | { accessId: string };

const NOT_FIELDS = new Set(['__typename']);

/**
 * The one read of case accesses: the `caseAccesses` query, grantCaseAccess's and
 * revokeCaseAccess's responses and their replays. Whom a record is shared with is visible to the
 * agencies working on it (`readSharing`, the same row scope as the record); out of scope answers
 * exactly like missing. One READ event per access, naming the fields returned.
 */
export async function readCaseAccessesOrThrow(
  op: Operation,
  target: CaseAccessTarget,
  requested: ReadonlySet<string>,
): Promise<CaseAccessType[]> {
  const what =
    'accessId' in target ? { entityId: uuidOrThrow(target.accessId) } : { returneeId: uuidOrThrow(target.returneeId, 'returneeId') };
  await op.authorizeOrThrow('readSharing', 'Returnee', {
    entityType: 'CaseAccess',
    ...what,
    message: `Your sector (${op.actor.sector}) does not work on cases and may not read whom they are shared with`,
  });
  const returneeId = what.returneeId ?? (await op.em.findOne(CaseAccess, { id: what.entityId! }, { fields: ['returnee'] }))?.returnee.id;
  const scope = returneeScope(op.ability, 'readSharing');
  const inScope = returneeId !== undefined && scope !== null && (await op.em.count(Returnee, { $and: [{ id: returneeId }, scope] })) > 0;
  // Only ids the client sent go into the event: an access's record out of scope is not named.
  if (!inScope) return op.notFoundOrThrow('READ', 'CaseAccess', what.entityId ?? what.returneeId!, what.returneeId);
  const where: FilterQuery<CaseAccess> = what.entityId
    ? { id: what.entityId }
    : { returnee: returneeId, ...('includeEnded' in target && target.includeEnded ? {} : { revokedAt: null }) };
  // refresh: the request's identity map may hold this access as it was before the mutation.
  const rows = await op.em.find(CaseAccess, where, { populate: ['agency'], orderBy: { grantedAt: 'asc', id: 'asc' }, refresh: true });
  const fields = ['id', ...[...requested].filter((f) => f !== 'id' && !NOT_FIELDS.has(f))];
  await op.recordDurably(
    rows.map((a) => ({
      action: 'READ' as const,
      entityType: 'CaseAccess',
      entityId: a.id,
      returneeId,
      fields,
      outcome: 'SUCCESS' as const,
    })),
  );
  return rows.map(caseAccessView);
}

function caseAccessView(a: CaseAccess): CaseAccessType {
  return {
    id: a.id,
    returneeId: a.returnee.id,
    agency: agencyView(a.agency.getEntity()),
    basis: a.basis,
    crossBorder: a.crossBorder,
    reason: a.reason,
    grantedAt: a.grantedAt,
    revokedAt: a.revokedAt ?? null,
    derivedFromId: a.derivedFromId ?? null,
    referralId: a.referralId ?? null,
    revocationReason: a.revocationReason ?? null,
    active: !a.revokedAt,
  };
}
