import { randomUUID } from 'node:crypto';
import { Entity, Enum, ManyToOne, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Agency } from '../agency/agency.entity';
import { Returnee } from '../returnee/returnee.entity';
import { SOCIAL_SUPPORT_KINDS, type SocialSupportKind } from '../returnee/section-enums';
import { StaffMember } from '../staff/staff.entity';

/**
 * A benefit, job placement, retraining course, housing measure or guardianship decision
 * (SOCIAL_SUPPORT section). Append-only, like health assessments. `decidingAuthority` and
 * `guardianName` belong to guardianship decisions only.
 */
@Entity({ tableName: 'social_support_measure' })
export class SocialSupportMeasure {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Returnee, { ref: true, index: true })
  returnee: Ref<Returnee>;

  @Enum({ items: () => [...SOCIAL_SUPPORT_KINDS], type: 'string' })
  kind: SocialSupportKind;

  @Property({ type: 'text' })
  description: string;

  @Property({ type: 'date' })
  startedOn: string;

  @Property({ type: 'date', nullable: true })
  endedOn?: string | null;

  @Property({ type: 'string', length: 200, nullable: true })
  provider?: string | null;

  @Property({ type: 'string', length: 200, nullable: true })
  decidingAuthority?: string | null;

  @Property({ type: 'string', length: 200, nullable: true })
  guardianName?: string | null;

  @ManyToOne(() => Agency, { ref: true })
  agency: Ref<Agency>;

  @ManyToOne(() => StaffMember, { ref: true })
  recordedBy: Ref<StaffMember>;

  @Property({ type: 'timestamptz' })
  recordedAt: Date = new Date();

  constructor(init: {
    returnee: Ref<Returnee>;
    agency: Ref<Agency>;
    recordedBy: Ref<StaffMember>;
    kind: SocialSupportKind;
    description: string;
    startedOn: string;
  }) {
    this.returnee = init.returnee;
    this.agency = init.agency;
    this.recordedBy = init.recordedBy;
    this.kind = init.kind;
    this.description = init.description;
    this.startedOn = init.startedOn;
  }
}
