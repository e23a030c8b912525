import { Entity, Index, Property, type Ref } from '@mikro-orm/core';
import type { Agency } from '../agency/agency.entity';
import type { Returnee } from '../returnee/returnee.entity';
import { SectionRow } from '../returnee/section-row';
import type { StaffMember } from '../staff/staff.entity';

/** One examination (HEALTH section). Append-only: a correction is a new assessment. */
@Entity({ tableName: 'health_assessment' })
@Index({ properties: ['returnee', 'assessedOn'] })
export class HealthAssessment extends SectionRow {
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
    super({ returnee, agency, recordedBy });
    this.assessedOn = assessedOn;
    this.findings = findings;
  }
}
