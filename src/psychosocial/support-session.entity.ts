import { Entity, Index, Enum, Property } from '@mikro-orm/core';
import { RecordedSectionRow, type SectionRowOwner } from '../returnee/section-row';
import { SUPPORT_SESSION_KINDS, type SupportSessionKind } from '../returnee/section-enums';

/**
 * A counselling or group session, a rehabilitation-centre stay (several weeks: hence a
 * start and an end), religious counselling or family mediation (PSYCHOSOCIAL section).
 * Append-only, like health assessments.
 */
@Index({ properties: ['returnee'] })
@Entity({ tableName: 'support_session' })
export class SupportSession extends RecordedSectionRow {
  @Enum({ items: () => [...SUPPORT_SESSION_KINDS], type: 'string' })
  kind: SupportSessionKind;

  @Property({ type: 'date' })
  startedOn: string;

  /** Null while a stay is ongoing; single sessions end the day they start. */
  @Property({ type: 'date', nullable: true })
  endedOn?: string | null;

  /** The centre or place, e.g. "Aqtobe rehabilitation centre". */
  @Property({ type: 'string', length: 200, nullable: true })
  place?: string | null;

  @Property({ type: 'text', nullable: true })
  notes?: string | null;

  @Property({ type: 'text', nullable: true })
  riskNotes?: string | null;

  constructor(init: SectionRowOwner & { kind: SupportSessionKind; startedOn: string }) {
    super(init);
    this.kind = init.kind;
    this.startedOn = init.startedOn;
  }
}
