import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, ManyToOne, Unique, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Agency } from '../agency/agency.entity';
import { Returnee } from '../returnee/returnee.entity';
import { StaffMember } from '../staff/staff.entity';

export const CASE_ACCESS_BASES = ['GRANT', 'REFERRAL'] as const;
export type CaseAccessBasis = (typeof CASE_ACCESS_BASES)[number];

/**
 * Why an agency other than the registering one may see a record. Access is active while
 * `revokedAt` is null; it never crosses a country border unless `crossBorder` was set
 * explicitly. The registering agency needs no row: it always sees its records.
 *
 * Access is a tree per record: each row names the access it derives from (`derivedFromId`:
 * the granting or referring agency's own active access; null when that agency is the
 * registering one). When an access ends, every access derived from it ends in the same
 * transaction, transitively (case-access-chain.ts). An agency may hold several active rows
 * for one record, one per source (a referral accepted, a grant by another agency): it sees the
 * record while any of them is active, and each ends with its own source.
 */
@Entity({ tableName: 'case_access' })
// The index the row-scope EXISTS uses ("an active access of my agency to this record").
@Index({
  name: 'case_access_active_index',
  expression: 'create index "case_access_active_index" on "case_access" ("agency_id", "returnee_id") where "revoked_at" is null',
})
// One active access per agency, record and source: a second grant from the same source is CONFLICT.
@Unique({
  name: 'case_access_source_unique',
  expression:
    'create unique index "case_access_source_unique" on "case_access" ("agency_id", "returnee_id", ' +
    'coalesce("derived_from_id", \'00000000-0000-0000-0000-000000000000\'::uuid), coalesce("referral_id", \'00000000-0000-0000-0000-000000000000\'::uuid)) ' +
    'where "revoked_at" is null',
})
// The cross-border branch of the row scope ("an active cross-border access of my agency"):
// without it that test read every active access of the agency to find the few cross-border ones.
@Index({
  name: 'case_access_cross_border_active_index',
  expression:
    'create index "case_access_cross_border_active_index" on "case_access" ("agency_id", "returnee_id") where "revoked_at" is null and "cross_border"',
})
export class CaseAccess {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Returnee, { ref: true, index: true })
  returnee: Ref<Returnee>;

  @ManyToOne(() => Agency, { ref: true })
  agency: Ref<Agency>;

  @Enum({ items: () => [...CASE_ACCESS_BASES], type: 'string' })
  basis: CaseAccessBasis;

  @Property({ type: 'boolean' })
  crossBorder: boolean = false;

  @Property({ type: 'text' })
  reason: string;

  /** The accepted referral this access comes from (basis REFERRAL). */
  @Property({ type: 'uuid', nullable: true, index: true })
  referralId?: string;

  /** The access this one derives from (ends it when it ends); null: given by the registering agency. */
  @Property({ type: 'uuid', nullable: true, index: true })
  derivedFromId?: string;

  @ManyToOne(() => StaffMember, { ref: true, nullable: true })
  grantedBy?: Ref<StaffMember>;

  @Property({ type: 'timestamptz' })
  grantedAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  revokedAt?: Date;

  /** Why it ended: the revoker's reason, the referral closed, or the source it derived from ended. */
  @Property({ type: 'text', nullable: true })
  revocationReason?: string;

  constructor(returnee: Ref<Returnee>, agency: Ref<Agency>, basis: CaseAccessBasis, reason: string) {
    this.returnee = returnee;
    this.agency = agency;
    this.basis = basis;
    this.reason = reason;
  }
}
