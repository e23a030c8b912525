import { IsBoolean, IsIn, IsOptional, IsUUID, Length } from 'class-validator';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { enumObject } from '../access/policy';
import { AgencyType } from '../agency/agency.types';
import { PageInfo } from '../common/paging';
import { REFERRAL_STATUSES, type ReferralStatus } from './referral.entity';

export const ReferralStatusEnum = enumObject(REFERRAL_STATUSES);
registerEnumType(ReferralStatusEnum, {
  name: 'ReferralStatus',
  description: 'Where a referral stands',
  valuesConfig: {
    PENDING: { description: 'Sent; the receiving agency has not decided. Shows the record reference only, no case access' },
    ACCEPTED: { description: 'Accepted by a supervisor of the receiving agency, which now has case access to the record' },
    DECLINED: { description: 'Declined by the receiving agency, with a note; no access was given' },
    CLOSED: { description: 'An accepted referral was closed; the access it gave, and any derived from it, ended' },
  },
});
export const REFERRAL_DIRECTIONS = ['INCOMING', 'OUTGOING', 'ANY'] as const;
export type ReferralDirection = (typeof REFERRAL_DIRECTIONS)[number];
export const ReferralDirectionEnum = enumObject(REFERRAL_DIRECTIONS);
registerEnumType(ReferralDirectionEnum, {
  name: 'ReferralDirection',
  description: 'Which referrals, relative to your agency',
  valuesConfig: {
    INCOMING: { description: 'Sent to your agency' },
    OUTGOING: { description: 'Sent by your agency' },
    ANY: { description: 'Both' },
  },
});

@ObjectType('ReturneeRef', { description: 'A returnee named without its contents' })
export class ReturneeRefType {
  @Field(() => ID, { description: 'The record id (UUID)' }) id!: string;
  @Field(() => String, { description: 'Its case number: what a referral shows of the record, even before it is accepted' })
  caseNumber!: string;
}

@ObjectType('Referral', {
  description:
    'A request from one agency to another to provide a service to a returnee. Visible to the staff of both agencies; accepting it gives the receiving agency case access to the record.',
})
export class ReferralType {
  @Field(() => ID, { description: 'Hub identifier of the referral (what accept, decline and close take)' }) id!: string;
  @Field(() => ReturneeRefType, {
    description: 'The record referred, as id and case number only (read it with returnee(id) for what your sector may see)',
  })
  returnee!: ReturneeRefType;
  @Field(() => AgencyType, { description: 'The agency that referred' }) fromAgency!: AgencyType;
  @Field(() => AgencyType, { description: 'The agency asked to provide the service' }) toAgency!: AgencyType;
  @Field(() => String, { description: 'The service asked for, e.g. health screening, school placement' }) service!: string;
  @Field(() => String, { description: 'Why the referring agency asks for it' }) reason!: string;
  @Field(() => Boolean, { description: 'True: the agencies are in different countries (explicitly allowed when referred)' })
  crossBorder!: boolean;
  @Field(() => ReferralStatusEnum, { description: 'Where it stands' }) status!: ReferralStatus;
  @Field(() => DateTimeISOResolver, { description: 'When it was sent (UTC)' }) createdAt!: Date;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'When it was accepted or declined (UTC); null while PENDING' })
  decidedAt?: Date | null;
  @Field(() => String, { nullable: true, description: 'The note given on accepting, declining or closing (the latest); null when none' })
  decisionNote?: string | null;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'When it was closed (UTC); null unless CLOSED' }) closedAt?: Date | null;
}

@ObjectType({ description: 'One referral of a referrals page and its position' })
export class ReferralEdge {
  @Field(() => String, { description: 'Opaque cursor of this position: pass it as after to continue after this referral' }) cursor!: string;
  @Field(() => ReferralType, { description: 'The referral, audited as read like one in nodes' }) node!: ReferralType;
}

@ObjectType({
  description:
    'A page of referrals from or to your agency, newest first (Relay cursor connection); every referral returned is audited as read',
})
export class ReferralConnection {
  @Field(() => [ReferralEdge], { description: 'The referrals of this page with their cursors, newest first' }) edges!: ReferralEdge[];
  @Field(() => [ReferralType], { description: 'The same referrals as edges, without cursors' }) nodes!: ReferralType[];
  @Field(() => PageInfo, { description: 'Where this page stands' }) pageInfo!: PageInfo;
  @Field(() => String, { nullable: true, description: 'Same as pageInfo.endCursor (kept for clients built before pageInfo)' }) endCursor?:
    string | null;
  @Field(() => Boolean, { description: 'Same as pageInfo.hasNextPage (kept for clients built before pageInfo)' }) hasNextPage!: boolean;
  @Field(() => Int, { description: 'Referrals from or to your agency matching the filter, on every page' }) totalCount!: number;
}

@InputType({
  description: "A referral of a record your agency sees to another agency. Needs an active consent covering the receiving agency's sector.",
})
export class ReferReturneeInput {
  @Field(() => ID, { description: 'The record to refer; out of your scope is NOT_FOUND' })
  @IsUUID('all', { message: 'returneeId must be a UUID' })
  returneeId!: string;
  @Field(() => ID, { description: 'The agency asked to provide the service' })
  @IsUUID('all', { message: 'toAgencyId must be a UUID' })
  toAgencyId!: string;
  @Field(() => String, { description: 'The service asked for, e.g. "health screening", "school placement"' })
  @Length(3, 200)
  service!: string;
  @Field(() => String, { description: 'Why, 5-2000 characters; the receiving agency reads it' }) @Length(5, 2000) reason!: string;
  @Field(() => Boolean, { defaultValue: false, description: 'Must be true to refer to an agency in another country' })
  @IsOptional()
  @IsBoolean()
  crossBorder!: boolean;
}

@InputType({ description: 'A decision on a referral: accept, decline or close' })
export class DecideReferralInput {
  @Field(() => ID, { description: 'The referral' }) @IsUUID('all', { message: 'id must be a UUID' }) id!: string;
  @Field(() => String, {
    nullable: true,
    description: 'Why, at most 1000 characters; required to decline; kept on the referral (decisionNote) and shown to both agencies',
  })
  @IsOptional()
  @Length(0, 1000)
  note?: string;
}

@InputType({ description: 'All given conditions must hold' })
export class ReferralFilter {
  @Field(() => ReferralDirectionEnum, { defaultValue: 'ANY', description: 'Incoming, outgoing or both (the default)' })
  @IsIn([...REFERRAL_DIRECTIONS])
  direction!: ReferralDirection;
  @Field(() => ReferralStatusEnum, { nullable: true, description: 'Only referrals in this status' })
  @IsOptional()
  @IsIn([...REFERRAL_STATUSES])
  status?: ReferralStatus;
  @Field(() => ID, { nullable: true, description: 'Only referrals of this record' }) @IsOptional() @IsUUID('all') returneeId?: string;
}
