import { Entity, Index, OneToOne, Property, type Ref } from '@mikro-orm/core';
import { Returnee } from '../returnee/returnee.entity';

/**
 * A returnee's name keys (name-keys.ts): derived data, like an index, kept in a table of its
 * own so the shared record stays what agencies wrote. Every returnee has one row: a database
 * trigger creates it (keys empty, version 0) when the returnee is inserted and sets its version
 * back to 0 when a name column changes, so a writer that does not compute keys leaves the row
 * marked stale, never wrong. The hub computes keys in the write's own transaction
 * (registerReturnee, updateReturnee, the seed) and fills stale rows in the background
 * (name-key-store.ts). `keyVersion` below NAME_KEY_VERSION means "to be (re)computed"; the old
 * keys stay searchable until then.
 */
@Entity({ tableName: 'returnee_name_key' })
// Fuzzy search on the given and the family name (pg_trgm's %): a candidate is close on both, so
// PostgreSQL intersects the two bitmaps instead of visiting everyone who shares one common name.
@Index({
  name: 'returnee_name_key_given_trgm_index',
  expression: 'create index "returnee_name_key_given_trgm_index" on "returnee_name_key" using gin ("given_key" gin_trgm_ops)',
})
@Index({
  name: 'returnee_name_key_family_trgm_index',
  expression: 'create index "returnee_name_key_family_trgm_index" on "returnee_name_key" using gin ("family_key" gin_trgm_ops)',
})
// The rows carrying a given key and a family key, found in name_key_term (name-key-term.entity.ts).
@Index({ name: 'returnee_name_key_given_family_index', properties: ['givenKey', 'familyKey'] })
// Exact search on any reading of the name, other spellings included (@> "names this given|family pair").
@Index({
  name: 'returnee_name_key_pairs_index',
  expression: 'create index "returnee_name_key_pairs_index" on "returnee_name_key" using gin ("name_pairs")',
})
export class ReturneeNameKey {
  @OneToOne(() => Returnee, { primary: true, ref: true, deleteRule: 'cascade', updateRule: 'cascade' })
  returnee!: Ref<Returnee>;

  /** "<given keys> <family keys>": the similarity that orders candidates. */
  @Property({ type: 'text', nullable: true })
  nameKey?: string | null;

  @Property({ type: 'text', nullable: true })
  givenKey?: string | null;

  @Property({ type: 'text', nullable: true })
  familyKey?: string | null;

  @Property({ type: 'text[]', nullable: true })
  namePairs?: string[] | null;

  @Property({ type: 'integer', default: 0, index: true })
  keyVersion: number = 0;

  /**
   * Below PAIR_VERSION: this record's duplicate pairs (duplicate_pair) are to be recomputed. A
   * trigger sets it back to 0 when an IDENTITY field or the merge state of the record changes.
   */
  @Property({ type: 'integer', default: 0, index: true })
  pairsVersion: number = 0;
}
