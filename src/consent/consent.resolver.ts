import { Arg, Authorized, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { Operation } from '../access/operation';
import { Op } from '../graphql/operation.decorator';
import { entityResult } from '../idempotency/idempotency';
import { Consent } from './consent.entity';
import { listConsentsOrThrow, recordConsentOrThrow, revokeConsentOrThrow } from './consent.service';
import { ConsentType, RecordConsentInput, RevokeConsentInput } from './consent.types';
import { consentView } from './consent.view';

@Resolver(() => ConsentType)
export class ConsentResolver {
  @Authorized()
  @Query(() => [ConsentType], { description: 'Consents of a record (newest first), for agencies working on it' })
  async consents(@Arg('returneeId', () => ID) returneeId: string, @Op() op: Operation): Promise<ConsentType[]> {
    return (await listConsentsOrThrow(op, returneeId)).map(consentView);
  }

  @Authorized()
  @Mutation(() => ConsentType, { description: 'Record the returnee\'s (for a minor: the guardian\'s) consent to share sections with sectors' })
  async recordConsent(@Arg('input', () => RecordConsentInput) input: RecordConsentInput, @Op() op: Operation): Promise<ConsentType> {
    return consentView(await op.once(() => recordConsentOrThrow(op, input), entityResult(Consent, ['agency'])));
  }

  @Authorized()
  @Mutation(() => ConsentType, { description: 'Withdraw a consent; sharing that relied on it stops from the next request' })
  async revokeConsent(@Arg('input', () => RevokeConsentInput) input: RevokeConsentInput, @Op() op: Operation): Promise<ConsentType> {
    return consentView(await op.once(() => revokeConsentOrThrow(op, input), entityResult(Consent, ['agency'])));
  }
}
