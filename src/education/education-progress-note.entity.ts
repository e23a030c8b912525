import { Entity, Index, Property } from '@mikro-orm/core';
import { RecordedSectionRow, type SectionRowOwner } from '../returnee/section-row';

/**
 * A teacher's or education officer's note on a child's progress (EDUCATION section).
 * Append-only: a later observation is a new note, so the sequence shows the progress.
 */
@Index({ properties: ['returnee'] })
@Entity({ tableName: 'education_progress_note' })
export class EducationProgressNote extends RecordedSectionRow {
  @Property({ type: 'date' })
  notedOn: string;

  @Property({ type: 'text' })
  note: string;

  constructor(init: SectionRowOwner & { notedOn: string; note: string }) {
    super(init);
    this.notedOn = init.notedOn;
    this.note = init.note;
  }
}
