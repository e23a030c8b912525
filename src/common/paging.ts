import { Field, ObjectType } from 'type-graphql';

/** The page part of every connection (returnees, referrals, auditEvents); cursors are sealed (common/cursor.ts). */
@ObjectType()
export class PageInfo {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor?: string | null;
}
