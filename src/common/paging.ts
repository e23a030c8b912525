import { Field, ObjectType } from 'type-graphql';

/** The page part of every connection (returnees, referrals, auditEvents); cursors are sealed (common/cursor.ts). */
@ObjectType({
  simpleResolvers: true,
  description:
    'Where a page stands in its list (Relay cursor connections). Lists page forward: pass endCursor as after to get the next page. Cursors are opaque, sealed to you, the list and the order: another caller, list or order gets BAD_USER_INPUT.',
})
export class PageInfo {
  @Field(() => Boolean, { description: 'More items follow this page' }) hasNextPage!: boolean;
  @Field(() => String, { nullable: true, description: 'Cursor of the last item of the page; null when the page is empty' })
  endCursor?: string | null;
  @Field(() => Boolean, {
    description:
      'Items you may see come before this page: false on the first page (no after), true when items in your scope still sort before after',
  })
  hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true, description: 'Cursor of the first item of the page; null when the page is empty' })
  startCursor?: string | null;
}

/** The page info of a forward-paged connection from its edges' cursors, in page order. */
export function pageInfoOf(cursors: readonly string[], hasNextPage: boolean, hasPreviousPage: boolean): PageInfo {
  return { hasNextPage, hasPreviousPage, startCursor: cursors[0] ?? null, endCursor: cursors.at(-1) ?? null };
}

/**
 * `pageInfoOf` for a page of `count` items whose cursors are sealed on demand (`cursorAt`):
 * only when the client selects startCursor or endCursor.
 */
export function lazyPageInfoOf(count: number, cursorAt: (i: number) => string, hasNextPage: boolean, hasPreviousPage: boolean): PageInfo {
  return {
    hasNextPage,
    hasPreviousPage,
    get startCursor() {
      return count > 0 ? cursorAt(0) : null;
    },
    get endCursor() {
      return count > 0 ? cursorAt(count - 1) : null;
    },
  };
}
