import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A pair of records that may be one person, kept up to date when either changes (pair-store.ts):
 * what `potentialDuplicates` pages through, so a supervisor's list costs a join over the scope,
 * never a search per record. The smaller id first, so a pair has one row. The score and reasons
 * come from the IDENTITY section only (names, sex, date and place of birth), and the list shows a
 * pair only to a caller who reads that section on both records, so neither its presence nor its
 * order says anything the caller could not read. Ids only, no relation: derived data like the name
 * keys, and not one of the "child rows" a merge moves (merge/child-tables.ts).
 */
@Entity({ tableName: 'duplicate_pair' })
@Index({ name: 'duplicate_pair_order_index', properties: ['score', 'lowId', 'highId'] })
export class DuplicatePair {
  @PrimaryKey({ type: 'uuid' })
  lowId!: string;

  @PrimaryKey({ type: 'uuid', index: true })
  highId!: string;

  /** 0..1, as match-score.ts computes it over the IDENTITY fields of both records. */
  @Property({ type: 'double' })
  score!: number;

  /** The reasons (code, weight, fields), never a value. */
  @Property({ type: 'jsonb' })
  reasons!: unknown[];

  @Property({ type: 'timestamptz' })
  computedAt: Date = new Date();
}
