import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * History: before an update overwrites fields, their previous values are kept here, so no
 * update loses data. `version` is the version the update replaced.
 */
@Entity({ tableName: 'returnee_revision' })
@Index({ properties: ['returneeId', 'version'] })
export class ReturneeRevision {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'uuid' })
  returneeId: string;

  @Property({ type: 'integer' })
  version: number;

  @Property({ type: 'text[]' })
  fields: string[];

  /** Field name -> value before the update. */
  @Property({ type: 'jsonb' })
  previous: Record<string, unknown>;

  @Property({ type: 'uuid' })
  staffId: string;

  @Property({ type: 'uuid' })
  agencyId: string;

  @Property({ type: 'timestamptz' })
  changedAt: Date = new Date();

  constructor(init: { returneeId: string; version: number; previous: Record<string, unknown>; staffId: string; agencyId: string }) {
    this.returneeId = init.returneeId;
    this.version = init.version;
    this.previous = init.previous;
    this.fields = Object.keys(init.previous);
    this.staffId = init.staffId;
    this.agencyId = init.agencyId;
  }
}
