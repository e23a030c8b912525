import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, ID, Info, Mutation, Query, Resolver } from 'type-graphql';
import type { Operation } from '../request/operation';
import { Op } from '../graphql/operation.decorator';
import { selectedFields } from '../graphql/selection';
import { readConsentsOrThrow } from './consent-read';
import { recordConsentOrThrow, revokeConsentOrThrow } from './consent.service';
import { ConsentType, RecordConsentInput, RevokeConsentInput } from './consent.types';

/** Thin: every Consent a client receives comes from readConsentsOrThrow (scoped, projected, audited). */
@Resolver(() => ConsentType)
export class ConsentResolver {
  @Authorized()
  @Query(() => [ConsentType], { description: 'Consents of a record (newest first), for agencies working on it' })
  consents(
    @Arg('returneeId', () => ID, {
      description: 'The returnee record (UUID); out of your scope is NOT_FOUND, exactly like one that does not exist',
    })
    returneeId: string,
    @Op() op: Operation,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ConsentType[]> {
    return readConsentsOrThrow(op, { returneeId }, selectedFields(info));
  }

  @Authorized()
  @Mutation(() => ConsentType, {
    description: "Record the returnee's (for a minor: the guardian on record's) consent to share sections with sectors",
  })
  async recordConsent(
    @Arg('input', () => RecordConsentInput, { description: 'Who consented to what, for whom, until when' }) input: RecordConsentInput,
    @Op() op: Operation,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ConsentType> {
    const id = await op.once(() => recordConsentOrThrow(op, input));
    return (await readConsentsOrThrow(op, { consentId: id }, selectedFields(info)))[0];
  }

  @Authorized()
  @Mutation(() => ConsentType, { description: 'Withdraw a consent; sharing that relied on it stops from the next request' })
  async revokeConsent(
    @Arg('input', () => RevokeConsentInput, { description: 'Which consent is withdrawn, and why' }) input: RevokeConsentInput,
    @Op() op: Operation,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ConsentType> {
    const id = await op.once(() => revokeConsentOrThrow(op, input));
    return (await readConsentsOrThrow(op, { consentId: id }, selectedFields(info)))[0];
  }
}
