import { randomUUID } from 'node:crypto';
import { ManyToOne, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Agency } from '../agency/agency.entity';
import { StaffMember } from '../staff/staff.entity';
import { Returnee } from './returnee.entity';

/** Who a section row belongs to and who recorded it: what every section write stamps (section-write.ts `recordedBy`). */
export interface SectionRowOwner {
  returnee: Ref<Returnee>;
  agency: Ref<Agency>;
  recordedBy: Ref<StaffMember>;
}

/**
 * The columns every row of a record's sections carries (health assessments, education notes,
 * civil documents, support measures, sessions): its record, the agency and staff member who
 * recorded it. Not an entity of its own: each section keeps its table, these columns are
 * declared once. The index on `returnee_id` is the section's choice (health indexes it with
 * the assessment date), so it is declared on each entity.
 */
export abstract class SectionRow {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Returnee, { ref: true })
  returnee: Ref<Returnee>;

  @ManyToOne(() => Agency, { ref: true })
  agency: Ref<Agency>;

  @ManyToOne(() => StaffMember, { ref: true })
  recordedBy: Ref<StaffMember>;

  protected constructor(owner: SectionRowOwner) {
    this.returnee = owner.returnee;
    this.agency = owner.agency;
    this.recordedBy = owner.recordedBy;
  }
}

/**
 * A section row stamped `recorded_at`. Health assessments predate the convention and call the
 * same moment `created_at`; renaming that column would be a migration, not this refactor.
 */
export abstract class RecordedSectionRow extends SectionRow {
  @Property({ type: 'timestamptz' })
  recordedAt: Date = new Date();
}
