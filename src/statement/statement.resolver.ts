import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, ID, Info, Query, Resolver } from 'type-graphql';
import type { Operation } from '../request/operation';
import { Op } from '../graphql/operation.decorator';
import { selectedFields } from '../graphql/selection';
import { disclosureStatementOrThrow } from './statement.service';
import { DisclosureStatementType } from './statement.types';

/** Thin: the statement is produced, scoped and audited by disclosureStatementOrThrow. */
@Resolver(() => DisclosureStatementType)
export class StatementResolver {
  @Authorized()
  @Query(() => DisclosureStatementType, {
    description:
      'Caseworkers and supervisors of the registering agency: the person’s own statement of which agencies saw or changed their record, ' +
      'when, why and on what basis (no staff names); producing it is audited. Printable page: GET /statement/{returneeId}',
  })
  disclosureStatement(
    @Arg('returneeId', () => ID, { description: 'The person the statement is for' }) returneeId: string,
    @Arg('language', () => String, {
      defaultValue: 'en',
      description: 'en or ru (complete); kk, ky, tg, uz fall back to Russian, then English',
    })
    language: string,
    @Op() op: Operation,
    @Info() info: GraphQLResolveInfo,
  ): Promise<DisclosureStatementType> {
    // The case number is disclosed by its own field and inside the paragraphs' intro; the READ
    // event names it only when one of them is selected (an audit lists what left, no more).
    const selected = selectedFields(info);
    const showsCaseNumber = selected.has('caseNumber') || selected.has('paragraphs');
    return disclosureStatementOrThrow(op, returneeId, language, 'data', showsCaseNumber);
  }
}
