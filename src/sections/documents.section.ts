import { declareSection } from './declaration';

/**
 * Civil documents with their numbers. A new version of a document supersedes the old one, which
 * stays stored but is no longer shown.
 */
export const DOCUMENTS = declareSection({
  name: 'DOCUMENTS',
  fields: ['civilDocuments'],
  rows: {
    civilDocuments: {
      entityType: 'CivilDocument',
      table: 'civil_document',
      columns: {
        type: 'text',
        status: 'text',
        number: 'text',
        issuedOn: 'date',
        issuingAuthority: 'text',
        appliedOn: 'date',
        notes: 'text',
      },
      internal: { supersededAt: 'timestamptz' },
      stamp: 'recordedAt',
      orderBy: 's.type, s.id',
      shown: 's.superseded_at is null',
    },
  },
});

/** One status per document type, derived from the current documents: never their numbers. */
export const DOCUMENTS_STATUS = declareSection({ name: 'DOCUMENTS_STATUS', fields: ['documentStatuses'], derived: ['documentStatuses'] });
