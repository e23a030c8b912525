import { randomUUID } from 'node:crypto';
import { Entity, Index, ManyToOne, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import type { Sector } from '../access/policy';
import { Agency } from '../agency/agency.entity';
import { StaffMember } from '../staff/staff.entity';

/** A supervisor of one side who signed the agreement (recorded by an ADMIN or an AUDITOR). */
export interface Signatory {
  staffId: string;
  agencyId: string;
  signedOn: string;
}

/**
 * A data-sharing agreement (memorandum) between an agency that holds records (`holder`: the
 * records it registered) and a recipient: one agency, or every agency of a sector in a country.
 * It names its purposes, the sections it covers, its validity and its document. The row holds
 * the terms in force (its current `version`); every version, the first included, is kept in
 * `sharing_agreement_version`. Policies say which sections need one (policies/*.policy.ts,
 * `agreements`); the read rules ask for an active one in SQL (access/active-agreement.ts), so an
 * expiry or a suspension cuts the sharing on the next request. Rows are never deleted.
 */
@Entity({ tableName: 'sharing_agreement' })
@Index({ properties: ['holder', 'suspendedAt'] })
export class SharingAgreement {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Agency, { ref: true })
  holder: Ref<Agency>;

  @ManyToOne(() => Agency, { ref: true, nullable: true })
  recipientAgency?: Ref<Agency>;

  @Property({ type: 'string', length: 32, nullable: true })
  recipientSector?: Sector;

  @Property({ type: 'string', length: 2, nullable: true })
  recipientCountry?: string;

  @Property({ type: 'int' })
  version = 1;

  @Property({ type: 'text[]' })
  purposes: string[];

  @Property({ type: 'text[]' })
  sections: string[];

  @Property({ type: 'date' })
  validFrom: string;

  @Property({ type: 'date', nullable: true })
  validUntil?: string;

  @Property({ type: 'string', length: 200 })
  documentRef: string;

  @Property({ type: 'jsonb' })
  signatories: Signatory[];

  @ManyToOne(() => StaffMember, { ref: true })
  recordedBy: Ref<StaffMember>;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz' })
  updatedAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  suspendedAt?: Date;

  @Property({ type: 'string', length: 500, nullable: true })
  suspensionReason?: string;

  constructor(init: {
    holder: Ref<Agency>;
    recipientAgency?: Ref<Agency>;
    recipientSector?: Sector;
    recipientCountry?: string;
    purposes: string[];
    sections: string[];
    validFrom: string;
    validUntil?: string;
    documentRef: string;
    signatories: Signatory[];
    recordedBy: Ref<StaffMember>;
  }) {
    this.holder = init.holder;
    this.recipientAgency = init.recipientAgency;
    this.recipientSector = init.recipientSector;
    this.recipientCountry = init.recipientCountry;
    this.purposes = init.purposes;
    this.sections = init.sections;
    this.validFrom = init.validFrom;
    this.validUntil = init.validUntil;
    this.documentRef = init.documentRef;
    this.signatories = init.signatories;
    this.recordedBy = init.recordedBy;
  }
}

/** One version of an agreement's terms as recorded, never changed: amendments add a version. */
@Entity({ tableName: 'sharing_agreement_version' })
export class SharingAgreementVersion {
  @PrimaryKey({ type: 'uuid' })
  agreementId: string;

  @PrimaryKey({ type: 'int' })
  version: number;

  /** The terms of this version: purposes, sections, validity, document, signatories. */
  @Property({ type: 'jsonb' })
  terms: Record<string, unknown>;

  @Property({ type: 'uuid' })
  recordedBy: string;

  @Property({ type: 'timestamptz' })
  recordedAt: Date = new Date();

  constructor(agreementId: string, version: number, terms: Record<string, unknown>, recordedBy: string) {
    this.agreementId = agreementId;
    this.version = version;
    this.terms = terms;
    this.recordedBy = recordedBy;
  }
}
