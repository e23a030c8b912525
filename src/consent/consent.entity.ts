import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import type { Sector } from '../access/policy';
import { Agency } from '../agency/agency.entity';
import { Returnee } from '../returnee/returnee.entity';
import { StaffMember } from '../staff/staff.entity';

export const CONSENT_GIVERS = ['SELF', 'GUARDIAN'] as const;
export type ConsentGiver = (typeof CONSENT_GIVERS)[number];

/**
 * A returnee's (for a minor: the guardian on record's) agreement that the named sectors may
 * see the named sections of their record, for a purpose, for a period. Sharing a section with
 * a sector other than its owner needs one that is active: not revoked, within its dates, and
 * given by whom the person's status today requires (src/access/active-consent.ts).
 * Rows are never deleted; revocation sets `revokedAt` and applies from the next request.
 */
@Entity({ tableName: 'consent' })
@Index({ properties: ['returnee', 'revokedAt'] })
export class Consent {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Returnee, { ref: true })
  returnee: Ref<Returnee>;

  @Enum({ items: () => [...CONSENT_GIVERS], type: 'string' })
  givenBy: ConsentGiver;

  /** For GUARDIAN consent: who the guardian is (a returnee, or a named relative). */
  @Property({ type: 'uuid', nullable: true })
  guardianReturneeId?: string;

  @Property({ type: 'string', length: 200, nullable: true })
  guardianName?: string;

  @Property({ type: 'text[]' })
  sectors: Sector[];

  @Property({ type: 'text[]' })
  sections: string[];

  @Property({ type: 'string', length: 500 })
  purpose: string;

  @Property({ type: 'date' })
  validFrom: string;

  @Property({ type: 'date', nullable: true })
  validUntil?: string;

  @ManyToOne(() => Agency, { ref: true })
  agency: Ref<Agency>;

  @ManyToOne(() => StaffMember, { ref: true })
  recordedBy: Ref<StaffMember>;

  @Property({ type: 'timestamptz' })
  recordedAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  revokedAt?: Date;

  @ManyToOne(() => StaffMember, { ref: true, nullable: true })
  revokedBy?: Ref<StaffMember>;

  @Property({ type: 'string', length: 500, nullable: true })
  revocationReason?: string;

  constructor(init: {
    returnee: Ref<Returnee>;
    givenBy: ConsentGiver;
    sectors: Sector[];
    sections: string[];
    purpose: string;
    validFrom: string;
    agency: Ref<Agency>;
    recordedBy: Ref<StaffMember>;
  }) {
    this.returnee = init.returnee;
    this.givenBy = init.givenBy;
    this.sectors = init.sectors;
    this.sections = init.sections;
    this.purpose = init.purpose;
    this.validFrom = init.validFrom;
    this.agency = init.agency;
    this.recordedBy = init.recordedBy;
  }
}
