import { declareSection } from './declaration';

/** Counselling sessions and rehabilitation-centre stays (append-only); the engagement status is shared more widely. */
export const PSYCHOSOCIAL = declareSection({
  name: 'PSYCHOSOCIAL',
  fields: ['supportSessions'],
  rows: {
    supportSessions: {
      entityType: 'SupportSession',
      table: 'support_session',
      columns: { kind: 'text', startedOn: 'date', endedOn: 'date', place: 'text', notes: 'text', riskNotes: 'text' },
      stamp: 'recordedAt',
      orderBy: 's.started_on desc, s.recorded_at desc, s.id',
      write: {
        mutation: 'recordSupportSession',
        input: 'RecordSupportSessionInput',
        example: { kind: 'COUNSELLING', startedOn: '2024-05-02' },
        marker: 'notes',
      },
    },
  },
});

export const PSYCHOSOCIAL_SUMMARY = declareSection({ name: 'PSYCHOSOCIAL_SUMMARY', fields: ['engagementStatus'] });
