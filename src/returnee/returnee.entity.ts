import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Agency } from '../agency/agency.entity';
import {
  ENGAGEMENT_STATUSES,
  ENROLMENT_STATUSES,
  LITERACY_LEVELS,
  type EngagementStatus,
  type EnrolmentStatus,
  type LiteracyLevel,
} from './section-enums';

export const SEXES = ['FEMALE', 'MALE'] as const;
export type Sex = (typeof SEXES)[number];
export const RETURNEE_STATUSES = ['IN_REHABILITATION', 'RESETTLED', 'IN_CARE', 'TRANSFERRED', 'CLOSED'] as const;
export type ReturneeStatus = (typeof RETURNEE_STATUSES)[number];

/**
 * The shared record. Columns are grouped by section (see `src/access/sections.ts`); each
 * section's repeated data (assessments, documents, sessions) lives in its own table keyed by
 * `returnee_id`, so new sections add tables and columns without rewriting this one.
 * `version` is the optimistic-concurrency token clients send back on update.
 */
@Entity({ tableName: 'returnee' })
@Index({ properties: ['country', 'caseNumber'] })
// The registering-agency branch of a page (returnee-select.ts): its first rows in case-number order.
@Index({ properties: ['registeringAgency', 'caseNumber', 'id'] })
export class Returnee {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ version: true, type: 'integer' })
  version!: number;

  @ManyToOne(() => Agency, { ref: true, index: true })
  registeringAgency: Ref<Agency>;

  /** Jurisdiction of the record: the registering agency's country. Row scope compares it. */
  @Property({ type: 'character', length: 2 })
  country: string;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  // IDENTITY
  @Property({ type: 'string', length: 32, unique: true })
  caseNumber: string;

  @Property({ type: 'string', length: 100 })
  givenName: string;

  @Property({ type: 'string', length: 100 })
  familyName: string;

  @Property({ type: 'string', length: 100, nullable: true })
  patronymic?: string;

  /** Other spellings: Cyrillic/Latin forms and transliterations, searched like the name. */
  @Property({ type: 'text[]' })
  otherNames: string[] = [];

  @Enum({ items: () => [...SEXES], type: 'string' })
  sex: Sex;

  @Property({ type: 'date' })
  dateOfBirth: string;

  @Property({ type: 'boolean' })
  dateOfBirthEstimated: boolean = false;

  @Property({ type: 'string', length: 200, nullable: true })
  placeOfBirth?: string;

  @Property({ type: 'character', length: 2, nullable: true })
  citizenship?: string;

  @Property({ type: 'date', nullable: true })
  returnedOn?: string;

  /** Country the person returned from (ISO alpha-2, e.g. SY, IQ). */
  @Property({ type: 'character', length: 2, nullable: true })
  returnedFrom?: string;

  @Enum({ items: () => [...RETURNEE_STATUSES], type: 'string' })
  status: ReturneeStatus = 'IN_REHABILITATION';

  // CONTACT
  @Property({ type: 'string', length: 100, nullable: true })
  region?: string;

  @Property({ type: 'string', length: 100, nullable: true })
  district?: string;

  @Property({ type: 'string', length: 300, nullable: true })
  address?: string;

  @Property({ type: 'string', length: 32, nullable: true })
  phone?: string;

  /** A minor's guardian when the guardian is a returnee too (e.g. the mother). */
  @Property({ type: 'uuid', nullable: true, index: true })
  guardianReturneeId?: string;

  /** A guardian who is not a returnee: a relative appointed by an authority. */
  @Property({ type: 'string', length: 200, nullable: true })
  guardianName?: string;

  @Property({ type: 'string', length: 100, nullable: true })
  guardianRelation?: string;

  // HEALTH_FLAGS (derived from the latest assessment, editable by health staff)
  @Property({ type: 'boolean', nullable: true })
  followUpNeeded?: boolean;

  @Property({ type: 'boolean', nullable: true })
  fitForSchool?: boolean;

  @Property({ type: 'string', length: 500, nullable: true })
  accommodationsNeeded?: string;

  // EDUCATION (null until the education sector has assessed the child)
  @Enum({ items: () => [...LITERACY_LEVELS], type: 'string', nullable: true })
  literacyLevel?: LiteracyLevel | null;

  @Property({ type: 'text[]', nullable: true })
  languages?: string[] | null;

  @Property({ type: 'text[]', nullable: true })
  specialClasses?: string[] | null;

  // EDUCATION_SUMMARY
  @Enum({ items: () => [...ENROLMENT_STATUSES], type: 'string', nullable: true })
  enrolmentStatus?: EnrolmentStatus | null;

  @Property({ type: 'string', length: 200, nullable: true })
  school?: string | null;

  @Property({ type: 'string', length: 20, nullable: true })
  grade?: string | null;

  // PSYCHOSOCIAL_SUMMARY
  @Enum({ items: () => [...ENGAGEMENT_STATUSES], type: 'string', nullable: true })
  engagementStatus?: EngagementStatus | null;

  /**
   * Set when a supervisor merged this record into another (src/merge/): every row scope requires
   * it null (access/ability.ts), so a merged record is out of everyone's scope, like a missing id.
   */
  @Property({ type: 'uuid', nullable: true, index: true })
  mergedIntoId?: string | null;

  constructor(init: {
    registeringAgency: Ref<Agency>;
    country: string;
    caseNumber: string;
    givenName: string;
    familyName: string;
    sex: Sex;
    dateOfBirth: string;
  }) {
    this.registeringAgency = init.registeringAgency;
    this.country = init.country;
    this.caseNumber = init.caseNumber;
    this.givenName = init.givenName;
    this.familyName = init.familyName;
    this.sex = init.sex;
    this.dateOfBirth = init.dateOfBirth;
  }
}
