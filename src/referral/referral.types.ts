import { IsBoolean, IsIn, IsOptional, IsUUID, Length } from 'class-validator';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { enumObject } from '../access/policy';
import { AgencyType } from '../agency/agency.types';
import { PageInfo } from '../common/paging';
import { REFERRAL_STATUSES, type ReferralStatus } from './referral.entity';

export const ReferralStatusEnum = enumObject(REFERRAL_STATUSES);
registerEnumType(ReferralStatusEnum, { name: 'ReferralStatus' });
export const REFERRAL_DIRECTIONS = ['INCOMING', 'OUTGOING', 'ANY'] as const;
export type ReferralDirection = (typeof REFERRAL_DIRECTIONS)[number];
export const ReferralDirectionEnum = enumObject(REFERRAL_DIRECTIONS);
registerEnumType(ReferralDirectionEnum, { name: 'ReferralDirection', description: 'Relative to your agency' });

@ObjectType('ReturneeRef', { description: 'A returnee named without its contents' })
export class ReturneeRefType {
  @Field(() => ID) id!: string;
  @Field(() => String) caseNumber!: string;
}

@ObjectType('Referral')
export class ReferralType {
  @Field(() => ID) id!: string;
  @Field(() => ReturneeRefType) returnee!: ReturneeRefType;
  @Field(() => AgencyType) fromAgency!: AgencyType;
  @Field(() => AgencyType) toAgency!: AgencyType;
  @Field(() => String) service!: string;
  @Field(() => String) reason!: string;
  @Field(() => Boolean) crossBorder!: boolean;
  @Field(() => ReferralStatusEnum) status!: ReferralStatus;
  @Field(() => DateTimeISOResolver) createdAt!: Date;
  @Field(() => DateTimeISOResolver, { nullable: true }) decidedAt?: Date | null;
  @Field(() => String, { nullable: true }) decisionNote?: string | null;
  @Field(() => DateTimeISOResolver, { nullable: true }) closedAt?: Date | null;
}

@ObjectType()
export class ReferralEdge {
  @Field(() => String) cursor!: string;
  @Field(() => ReferralType) node!: ReferralType;
}

@ObjectType()
export class ReferralConnection {
  @Field(() => [ReferralEdge]) edges!: ReferralEdge[];
  @Field(() => [ReferralType]) nodes!: ReferralType[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => String, { nullable: true }) endCursor?: string | null;
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => Int) totalCount!: number;
}

@InputType()
export class ReferReturneeInput {
  @Field(() => ID) @IsUUID('all', { message: 'returneeId must be a UUID' }) returneeId!: string;
  @Field(() => ID) @IsUUID('all', { message: 'toAgencyId must be a UUID' }) toAgencyId!: string;
  @Field(() => String, { description: 'The service asked for, e.g. "health screening", "school placement"' })
  @Length(3, 200)
  service!: string;
  @Field(() => String) @Length(5, 2000) reason!: string;
  @Field(() => Boolean, { defaultValue: false, description: 'Must be true to refer to an agency in another country' })
  @IsOptional()
  @IsBoolean()
  crossBorder!: boolean;
}

@InputType()
export class DecideReferralInput {
  @Field(() => ID) @IsUUID('all', { message: 'id must be a UUID' }) id!: string;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(0, 1000) note?: string;
}

@InputType()
export class ReferralFilter {
  @Field(() => ReferralDirectionEnum, { defaultValue: 'ANY' }) @IsIn([...REFERRAL_DIRECTIONS]) direction!: ReferralDirection;
  @Field(() => ReferralStatusEnum, { nullable: true }) @IsOptional() @IsIn([...REFERRAL_STATUSES]) status?: ReferralStatus;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID('all') returneeId?: string;
}
