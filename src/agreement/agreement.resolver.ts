import { Arg, Authorized, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Operation } from '../request/operation';
import { Op } from '../graphql/operation.decorator';
import {
  amendAgreementOrThrow,
  createAgreementOrThrow,
  listAgreementsOrThrow,
  readAgreementOrThrow,
  suspendAgreementOrThrow,
} from './agreement.service';
import { AgreementTermsInput, CreateSharingAgreementInput, SharingAgreementType, SuspendSharingAgreementInput } from './agreement.types';

/** Thin: agreements are shown through listAgreementsOrThrow (scoped, audited), mutations included. */
@Resolver(() => SharingAgreementType)
export class AgreementResolver {
  @Authorized()
  @Query(() => [SharingAgreementType], {
    description:
      'Data-sharing agreements: all for administrators, those whose holder or recipient is of their country for auditors, else those naming your agency (or sector in your country)',
  })
  sharingAgreements(
    @Op() op: Operation,
    @Arg('holderAgencyId', () => ID, { nullable: true, description: 'Only the agreements of this holder agency' }) holderAgencyId?: string,
  ): Promise<SharingAgreementType[]> {
    return listAgreementsOrThrow(op, { holderAgencyId });
  }

  @Authorized()
  @Mutation(() => SharingAgreementType, {
    description: 'Administrators and auditors: record an agreement signed by supervisors of each side',
  })
  async createSharingAgreement(
    @Arg('input', () => CreateSharingAgreementInput, { description: 'Parties and first terms' }) input: CreateSharingAgreementInput,
    @Op() op: Operation,
  ): Promise<SharingAgreementType> {
    const id = await op.once(() => createAgreementOrThrow(op, input));
    return readAgreementOrThrow(op, id);
  }

  @Authorized()
  @Mutation(() => SharingAgreementType, {
    description: 'A new version of the terms (the earlier ones are kept); sharing follows it from the next request',
  })
  async amendSharingAgreement(
    @Arg('id', () => ID, { description: 'The agreement' }) id: string,
    @Arg('expectedVersion', () => Int, { description: 'The version you amend; another in force is CONFLICT' }) expectedVersion: number,
    @Arg('terms', () => AgreementTermsInput, { description: 'The new terms (a new version; old ones are kept)' })
    terms: AgreementTermsInput,
    @Op() op: Operation,
  ): Promise<SharingAgreementType> {
    const done = await op.once(() => amendAgreementOrThrow(op, id, expectedVersion, terms));
    return readAgreementOrThrow(op, done);
  }

  @Authorized()
  @Mutation(() => SharingAgreementType, { description: 'Stop sharing under an agreement from the next request on' })
  async suspendSharingAgreement(
    @Arg('input', () => SuspendSharingAgreementInput, { description: 'The agreement and why' }) input: SuspendSharingAgreementInput,
    @Op() op: Operation,
  ): Promise<SharingAgreementType> {
    const id = await op.once(() => suspendAgreementOrThrow(op, input));
    return readAgreementOrThrow(op, id);
  }
}
