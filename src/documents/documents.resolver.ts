import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, ID, Info, Mutation, Resolver } from 'type-graphql';
import type { Operation } from '../request/operation';
import { Op } from '../graphql/operation.decorator';
import { readSelectedReturneeOrThrow } from '../returnee/returnee-read.service';
import { ReturneePayload } from '../returnee/returnee.types';
import { recordCivilDocumentOrThrow } from './documents.service';
import { RecordCivilDocumentInput } from './documents.types';

@Resolver()
export class DocumentsResolver {
  @Authorized()
  @Mutation(() => ReturneePayload, {
    description: 'Record a passport, birth certificate or ID card; recording a type again makes a new version and keeps the old one',
  })
  async recordCivilDocument(
    @Arg('returneeId', () => ID, {
      description: 'The returnee record (UUID); out of your scope is NOT_FOUND, exactly like one that does not exist',
    })
    returneeId: string,
    @Arg('input', () => RecordCivilDocumentInput, { description: 'The document and where it stands' }) input: RecordCivilDocumentInput,
    @Op() op: Operation,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ReturneePayload> {
    const id = await op.once(() => recordCivilDocumentOrThrow(op, returneeId, input));
    return { returnee: await readSelectedReturneeOrThrow(op, id, info, ['returnee']) };
  }
}
