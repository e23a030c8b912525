import { declareSection } from './declaration';

/** Literacy, languages, classes and progress notes (append-only rows); the summary is shared more widely. */
export const EDUCATION = declareSection({
  name: 'EDUCATION',
  fields: ['literacyLevel', 'languages', 'specialClasses', 'educationProgressNotes'],
  rows: {
    educationProgressNotes: {
      entityType: 'EducationProgressNote',
      table: 'education_progress_note',
      columns: { notedOn: 'date', note: 'text' },
      stamp: 'recordedAt',
      orderBy: 's.noted_on desc, s.recorded_at desc, s.id',
    },
  },
});

export const EDUCATION_SUMMARY = declareSection({ name: 'EDUCATION_SUMMARY', fields: ['enrolmentStatus', 'school', 'grade'] });
