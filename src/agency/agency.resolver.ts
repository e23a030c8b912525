import { Arg, Authorized, Mutation, Query, Resolver } from 'type-graphql';
import type { Operation } from '../request/operation';
import { Op } from '../graphql/operation.decorator';
import { createAgencyOrThrow, listAgencies, readAgencyOrThrow } from './agency.service';
import { AgencyFilter, AgencyType, CreateAgencyInput } from './agency.types';
import { agencyView } from './agency.view';

@Resolver(() => AgencyType)
export class AgencyResolver {
  @Authorized()
  @Query(() => [AgencyType], { description: 'The agency directory' })
  async agencies(
    @Op() op: Operation,
    @Arg('filter', () => AgencyFilter, { nullable: true, description: 'Narrow the directory; none: every agency' }) filter?: AgencyFilter,
  ): Promise<AgencyType[]> {
    return (await listAgencies(op, filter)).map(agencyView);
  }

  @Authorized()
  @Mutation(() => AgencyType, { description: 'Administrators only' })
  async createAgency(
    @Arg('input', () => CreateAgencyInput, { description: 'The new agency' }) input: CreateAgencyInput,
    @Op() op: Operation,
  ): Promise<AgencyType> {
    const id = await op.once(async () => (await createAgencyOrThrow(op, input)).id);
    return agencyView(await readAgencyOrThrow(op, id));
  }
}
