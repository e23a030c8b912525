import { Arg, Authorized, Mutation, Resolver } from 'type-graphql';
import type { Operation } from '../access/operation';
import { Op } from '../graphql/operation.decorator';
import { entityResult } from '../idempotency/idempotency';
import { CaseAccess } from './case-access.entity';
import { agencyView } from '../returnee/returnee.view';
import { grantCaseAccessOrThrow } from './case-access.service';
import { CaseAccessType, GrantCaseAccessInput } from './case-access.types';

@Resolver(() => CaseAccessType)
export class CaseAccessResolver {
  @Authorized()
  @Mutation(() => CaseAccessType, { description: 'Supervisors of an agency that sees the record share it with another agency' })
  async grantCaseAccess(@Arg('input', () => GrantCaseAccessInput) input: GrantCaseAccessInput, @Op() op: Operation): Promise<CaseAccessType> {
    const a = await op.once(() => grantCaseAccessOrThrow(op, input), entityResult(CaseAccess, ['agency']));
    return {
      id: a.id, returneeId: a.returnee.id, agency: agencyView(a.agency.getEntity()), basis: a.basis, crossBorder: a.crossBorder,
      reason: a.reason, grantedAt: a.grantedAt, revokedAt: a.revokedAt ?? null,
    };
  }
}
