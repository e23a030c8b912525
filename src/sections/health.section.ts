import { declareSection } from './declaration';

/** Examinations (append-only), and the flags the hub copies from the newest one. */
export const HEALTH = declareSection({
  name: 'HEALTH',
  fields: ['healthAssessments'],
  rows: {
    healthAssessments: {
      entityType: 'HealthAssessment',
      table: 'health_assessment',
      columns: {
        assessedOn: 'date',
        findings: 'text',
        conditions: 'text[]',
        treatmentPlan: 'text',
        vaccination: 'text',
        disability: 'text',
        mentalHealthNotes: 'text',
        followUpNeeded: 'boolean',
        fitForSchool: 'boolean',
        accommodationsNeeded: 'text',
      },
      stamp: 'createdAt',
      orderBy: 's.assessed_on desc, s.created_at desc, s.id',
      write: {
        mutation: 'recordHealthAssessment',
        input: 'RecordHealthAssessmentInput',
        example: { assessedOn: '2024-05-02', followUpNeeded: false, fitForSchool: true },
        marker: 'findings',
        alsoWrites: ['HEALTH_FLAGS'],
      },
    },
  },
});

export const HEALTH_FLAGS = declareSection({ name: 'HEALTH_FLAGS', fields: ['followUpNeeded', 'fitForSchool', 'accommodationsNeeded'] });
