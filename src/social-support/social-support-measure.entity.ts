import { Entity, Index, Enum, Property } from '@mikro-orm/core';
import { RecordedSectionRow, type SectionRowOwner } from '../returnee/section-row';
import { SOCIAL_SUPPORT_KINDS, type SocialSupportKind } from '../returnee/section-enums';

/**
 * A benefit, job placement, retraining course, housing measure or guardianship decision
 * (SOCIAL_SUPPORT section). Append-only, like health assessments. `decidingAuthority` and
 * `guardianName` belong to guardianship decisions only.
 */
@Index({ properties: ['returnee'] })
@Entity({ tableName: 'social_support_measure' })
export class SocialSupportMeasure extends RecordedSectionRow {
  @Enum({ items: () => [...SOCIAL_SUPPORT_KINDS], type: 'string' })
  kind: SocialSupportKind;

  @Property({ type: 'text' })
  description: string;

  @Property({ type: 'date' })
  startedOn: string;

  @Property({ type: 'date', nullable: true })
  endedOn?: string | null;

  @Property({ type: 'string', length: 200, nullable: true })
  provider?: string | null;

  @Property({ type: 'string', length: 200, nullable: true })
  decidingAuthority?: string | null;

  @Property({ type: 'string', length: 200, nullable: true })
  guardianName?: string | null;

  constructor(init: SectionRowOwner & { kind: SocialSupportKind; description: string; startedOn: string }) {
    super(init);
    this.kind = init.kind;
    this.description = init.description;
    this.startedOn = init.startedOn;
  }
}
