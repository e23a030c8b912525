import { Entity, Index, PrimaryKey } from '@mikro-orm/core';

/**
 * Every given key and every family key some returnee_name_key row carries (or carried): the
 * vocabulary the fuzzy search runs over (candidate-search.ts). Names repeat — 10^5 seeded records
 * carry 136 given and 75 family keys — so finding the keys trigram-similar to a name here and then
 * the rows carrying a similar given AND a similar family key (a btree on both columns) reads a few
 * hundred index entries, where intersecting two trigram bitmaps over all rows read tens of
 * thousands (every record sharing a common given name). A database trigger on returnee_name_key
 * adds the keys of every row written, whoever writes it; a key nobody carries any more stays and
 * matches no row. Words only, no relation to any record, no audit: derived data like the keys.
 */
@Entity({ tableName: 'name_key_term' })
@Index({
  name: 'name_key_term_trgm_index',
  expression: 'create index "name_key_term_trgm_index" on "name_key_term" using gin ("term" gin_trgm_ops)',
})
export class NameKeyTerm {
  /** GIVEN or FAMILY: which column of returnee_name_key carries it. */
  @PrimaryKey({ type: 'text' })
  kind!: 'GIVEN' | 'FAMILY';

  @PrimaryKey({ type: 'text' })
  term!: string;
}
