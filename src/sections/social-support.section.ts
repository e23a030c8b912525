import { declareSection } from './declaration';

/** Benefits, employment, retraining, housing and guardianship decisions (append-only). */
export const SOCIAL_SUPPORT = declareSection({
  name: 'SOCIAL_SUPPORT',
  fields: ['socialSupport'],
  rows: {
    socialSupport: {
      entityType: 'SocialSupportMeasure',
      table: 'social_support_measure',
      columns: {
        kind: 'text',
        description: 'text',
        startedOn: 'date',
        endedOn: 'date',
        provider: 'text',
        decidingAuthority: 'text',
        guardianName: 'text',
      },
      stamp: 'recordedAt',
      orderBy: 's.started_on desc, s.recorded_at desc, s.id',
      write: {
        mutation: 'recordSocialSupport',
        input: 'RecordSocialSupportInput',
        example: { kind: 'RETRAINING', startedOn: '2024-05-02' },
        marker: 'description',
      },
    },
  },
});
