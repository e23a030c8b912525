import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Agency } from '../agency/agency.entity';
import { Returnee } from '../returnee/returnee.entity';
import { StaffMember } from '../staff/staff.entity';

export const REFERRAL_STATUSES = ['PENDING', 'ACCEPTED', 'DECLINED', 'CLOSED'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

/**
 * One agency asks another to provide a service to a returnee. Accepting it gives the
 * receiving agency case access (basis REFERRAL); closing it ends that access.
 */
@Entity({ tableName: 'referral' })
@Index({ properties: ['toAgency', 'status', 'createdAt'] })
@Index({ properties: ['fromAgency', 'createdAt'] })
export class Referral {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Returnee, { ref: true, index: true })
  returnee: Ref<Returnee>;

  @ManyToOne(() => Agency, { ref: true })
  fromAgency: Ref<Agency>;

  @ManyToOne(() => Agency, { ref: true })
  toAgency: Ref<Agency>;

  @Property({ type: 'string', length: 200 })
  service: string;

  @Property({ type: 'text' })
  reason: string;

  @Property({ type: 'boolean' })
  crossBorder: boolean = false;

  @Enum({ items: () => [...REFERRAL_STATUSES], type: 'string' })
  status: ReferralStatus = 'PENDING';

  @ManyToOne(() => StaffMember, { ref: true })
  createdBy: Ref<StaffMember>;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @ManyToOne(() => StaffMember, { ref: true, nullable: true })
  decidedBy?: Ref<StaffMember>;

  @Property({ type: 'timestamptz', nullable: true })
  decidedAt?: Date;

  @Property({ type: 'string', length: 1000, nullable: true })
  decisionNote?: string;

  @Property({ type: 'timestamptz', nullable: true })
  closedAt?: Date;

  constructor(init: {
    returnee: Ref<Returnee>;
    fromAgency: Ref<Agency>;
    toAgency: Ref<Agency>;
    service: string;
    reason: string;
    createdBy: Ref<StaffMember>;
  }) {
    this.returnee = init.returnee;
    this.fromAgency = init.fromAgency;
    this.toAgency = init.toAgency;
    this.service = init.service;
    this.reason = init.reason;
    this.createdBy = init.createdBy;
  }
}
