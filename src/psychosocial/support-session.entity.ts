import { randomUUID } from 'node:crypto';
import { Entity, Enum, ManyToOne, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Agency } from '../agency/agency.entity';
import { Returnee } from '../returnee/returnee.entity';
import { SUPPORT_SESSION_KINDS, type SupportSessionKind } from '../returnee/section-enums';
import { StaffMember } from '../staff/staff.entity';

/**
 * A counselling or group session, a rehabilitation-centre stay (several weeks: hence a
 * start and an end), religious counselling or family mediation (PSYCHOSOCIAL section).
 * Append-only, like health assessments.
 */
@Entity({ tableName: 'support_session' })
export class SupportSession {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Returnee, { ref: true, index: true })
  returnee: Ref<Returnee>;

  @Enum({ items: () => [...SUPPORT_SESSION_KINDS], type: 'string' })
  kind: SupportSessionKind;

  @Property({ type: 'date' })
  startedOn: string;

  /** Null while a stay is ongoing; single sessions end the day they start. */
  @Property({ type: 'date', nullable: true })
  endedOn?: string | null;

  /** The centre or place, e.g. "Aqtobe rehabilitation centre". */
  @Property({ type: 'string', length: 200, nullable: true })
  place?: string | null;

  @Property({ type: 'text', nullable: true })
  notes?: string | null;

  @Property({ type: 'text', nullable: true })
  riskNotes?: string | null;

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
    kind: SupportSessionKind;
    startedOn: string;
  }) {
    this.returnee = init.returnee;
    this.agency = init.agency;
    this.recordedBy = init.recordedBy;
    this.kind = init.kind;
    this.startedOn = init.startedOn;
  }
}
