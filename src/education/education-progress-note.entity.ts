import { randomUUID } from 'node:crypto';
import { Entity, ManyToOne, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Agency } from '../agency/agency.entity';
import { Returnee } from '../returnee/returnee.entity';
import { StaffMember } from '../staff/staff.entity';

/**
 * A teacher's or education officer's note on a child's progress (EDUCATION section).
 * Append-only: a later observation is a new note, so the sequence shows the progress.
 */
@Entity({ tableName: 'education_progress_note' })
export class EducationProgressNote {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Returnee, { ref: true, index: true })
  returnee: Ref<Returnee>;

  @ManyToOne(() => Agency, { ref: true })
  agency: Ref<Agency>;

  @ManyToOne(() => StaffMember, { ref: true })
  recordedBy: Ref<StaffMember>;

  @Property({ type: 'date' })
  notedOn: string;

  @Property({ type: 'text' })
  note: string;

  @Property({ type: 'timestamptz' })
  recordedAt: Date = new Date();

  constructor(init: { returnee: Ref<Returnee>; agency: Ref<Agency>; recordedBy: Ref<StaffMember>; notedOn: string; note: string }) {
    this.returnee = init.returnee;
    this.agency = init.agency;
    this.recordedBy = init.recordedBy;
    this.notedOn = init.notedOn;
    this.note = init.note;
  }
}
