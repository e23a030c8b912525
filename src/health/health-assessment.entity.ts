import { randomUUID } from 'node:crypto';
import { Entity, Index, ManyToOne, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Agency } from '../agency/agency.entity';
import { Returnee } from '../returnee/returnee.entity';
import { StaffMember } from '../staff/staff.entity';

/** One examination (HEALTH section). Append-only: a correction is a new assessment. */
@Entity({ tableName: 'health_assessment' })
@Index({ properties: ['returnee', 'assessedOn'] })
export class HealthAssessment {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Returnee, { ref: true })
  returnee: Ref<Returnee>;

  @ManyToOne(() => Agency, { ref: true })
  agency: Ref<Agency>;

  @ManyToOne(() => StaffMember, { ref: true })
  recordedBy: Ref<StaffMember>;

  @Property({ type: 'date' })
  assessedOn: string;

  @Property({ type: 'text' })
  findings: string;

  @Property({ type: 'text[]' })
  conditions: string[] = [];

  @Property({ type: 'text', nullable: true })
  treatmentPlan?: string;

  @Property({ type: 'string', length: 200, nullable: true })
  vaccination?: string;

  @Property({ type: 'string', length: 500, nullable: true })
  disability?: string;

  @Property({ type: 'text', nullable: true })
  mentalHealthNotes?: string;

  @Property({ type: 'boolean' })
  followUpNeeded: boolean = false;

  @Property({ type: 'boolean', nullable: true })
  fitForSchool?: boolean;

  @Property({ type: 'string', length: 500, nullable: true })
  accommodationsNeeded?: string;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  constructor(returnee: Ref<Returnee>, agency: Ref<Agency>, recordedBy: Ref<StaffMember>, assessedOn: string, findings: string) {
    this.returnee = returnee;
    this.agency = agency;
    this.recordedBy = recordedBy;
    this.assessedOn = assessedOn;
    this.findings = findings;
  }
}
