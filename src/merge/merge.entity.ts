import { randomUUID } from 'node:crypto';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/** What a merge moved, per table: the ids of the rows whose returnee became the survivor. */
export type MovedRows = Record<string, string[]>;

/**
 * The merge journal: one row per merge of `mergedId` into `survivorId`. It records exactly which
 * child rows moved (so an unmerge moves back those and no others), the survivor's values the
 * chosen fields replaced, and both records' versions right after the merge (an unmerge is refused
 * once either changed since). Ids only, no relation: the journal outlives nothing it points at,
 * and a relation would make it one of the "child rows" a merge moves (child-tables.ts).
 */
@Entity({ tableName: 'returnee_merge' })
export class ReturneeMerge {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid', index: true })
  survivorId: string;

  @Property({ type: 'uuid', index: true })
  mergedId: string;

  @Property({ type: 'uuid' })
  staffId: string;

  @Property({ type: 'uuid' })
  agencyId: string;

  @Property({ type: 'timestamptz' })
  mergedAt: Date = new Date();

  @Property({ type: 'integer' })
  survivorVersion: number;

  @Property({ type: 'integer' })
  mergedVersion: number;

  /** Field → the survivor's value before the merge replaced it with the merged record's. */
  @Property({ type: 'jsonb' })
  survivorPrevious: Record<string, unknown>;

  @Property({ type: 'jsonb' })
  moved: MovedRows;

  @Property({ type: 'timestamptz', nullable: true })
  undoneAt?: Date;

  @Property({ type: 'uuid', nullable: true })
  undoneBy?: string;

  constructor(init: {
    survivorId: string;
    mergedId: string;
    staffId: string;
    agencyId: string;
    survivorVersion: number;
    mergedVersion: number;
    survivorPrevious: Record<string, unknown>;
    moved: MovedRows;
  }) {
    this.survivorId = init.survivorId;
    this.mergedId = init.mergedId;
    this.staffId = init.staffId;
    this.agencyId = init.agencyId;
    this.survivorVersion = init.survivorVersion;
    this.mergedVersion = init.mergedVersion;
    this.survivorPrevious = init.survivorPrevious;
    this.moved = init.moved;
  }
}

/**
 * A supervisor's decision that two records are NOT the same person: the pair is no longer listed
 * by potentialDuplicates. Stored with the smaller id first, so a pair has one row.
 */
@Entity({ tableName: 'duplicate_decision' })
export class DuplicateDecision {
  @PrimaryKey({ type: 'uuid' })
  lowId: string;

  @PrimaryKey({ type: 'uuid' })
  highId: string;

  @Property({ type: 'text' })
  decision: string = 'NOT_DUPLICATE';

  @Property({ type: 'uuid' })
  staffId: string;

  @Property({ type: 'uuid' })
  agencyId: string;

  @Property({ type: 'timestamptz' })
  decidedAt: Date = new Date();

  /** The supervisor's note (why these are two people); shown to no one else through the API. */
  @Property({ type: 'text', nullable: true })
  note?: string | null;

  constructor(init: { lowId: string; highId: string; staffId: string; agencyId: string; note?: string | null }) {
    this.lowId = init.lowId;
    this.highId = init.highId;
    this.staffId = init.staffId;
    this.agencyId = init.agencyId;
    this.note = init.note ?? null;
  }
}
