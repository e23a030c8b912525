import { Entity, Index, Enum, Property, Unique } from '@mikro-orm/core';
import { RecordedSectionRow, type SectionRowOwner } from '../returnee/section-row';
import { CIVIL_DOCUMENT_STATUSES, CIVIL_DOCUMENT_TYPES, type CivilDocumentKind, type CivilDocumentState } from '../returnee/section-enums';

/**
 * One version of a returnee's passport, birth certificate or ID card (DOCUMENTS section).
 *
 * Versions are append-only: recording a document of a type the returnee already has inserts
 * a new version and stamps the previous one `superseded_at`; nothing else ever changes (a
 * trigger refuses any other UPDATE and every DELETE). So each earlier number, status and
 * date stays readable together with who recorded it and when. The current version of each
 * type is the one with `superseded_at` null; the partial unique index allows one per type,
 * which also turns two concurrent first recordings of a type into one winner.
 */
@Index({ properties: ['returnee'] })
@Entity({ tableName: 'civil_document' })
@Unique({
  name: 'civil_document_current_unique',
  expression:
    'create unique index "civil_document_current_unique" on "civil_document" ("returnee_id", "type") where "superseded_at" is null',
})
export class CivilDocument extends RecordedSectionRow {
  @Enum({ items: () => [...CIVIL_DOCUMENT_TYPES], type: 'string' })
  type: CivilDocumentKind;

  @Enum({ items: () => [...CIVIL_DOCUMENT_STATUSES], type: 'string' })
  status: CivilDocumentState;

  /** The document's number: DOCUMENTS only, never in DOCUMENTS_STATUS. */
  @Property({ type: 'string', length: 64, nullable: true })
  number?: string | null;

  @Property({ type: 'date', nullable: true })
  issuedOn?: string | null;

  @Property({ type: 'string', length: 200, nullable: true })
  issuingAuthority?: string | null;

  @Property({ type: 'date', nullable: true })
  appliedOn?: string | null;

  @Property({ type: 'text', nullable: true })
  notes?: string | null;

  /** Set once, when a newer version of the same type is recorded. */
  @Property({ type: 'timestamptz', nullable: true })
  supersededAt?: Date | null;

  constructor(init: SectionRowOwner & { type: CivilDocumentKind; status: CivilDocumentState }) {
    super(init);
    this.type = init.type;
    this.status = init.status;
  }
}
