import { IsDateString, IsIn, IsOptional, Length } from 'class-validator';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { DateTimeISOResolver, LocalDateResolver } from 'graphql-scalars';
import { AgencyType } from '../agency/agency.types';
import { EngagementStatusEnum, SupportSessionKindEnum } from '../graphql/scalars';
import { ENGAGEMENT_STATUSES, SUPPORT_SESSION_KINDS, type EngagementStatus, type SupportSessionKind } from '../returnee/section-enums';

@ObjectType('SupportSession', {
  description:
    'Counselling, a group session, a rehabilitation-centre stay, religious counselling or family mediation (PSYCHOSOCIAL section). Append-only.',
})
export class SupportSessionType {
  @Field(() => ID) id!: string;
  @Field(() => SupportSessionKindEnum) kind!: SupportSessionKind;
  @Field(() => LocalDateResolver) startedOn!: string;
  @Field(() => LocalDateResolver, { nullable: true, description: 'Null while a stay is ongoing' }) endedOn?: string | null;
  @Field(() => String, { nullable: true, description: 'Centre or place, e.g. Aqtobe rehabilitation centre' }) place?: string | null;
  @Field(() => String, { nullable: true }) notes?: string | null;
  @Field(() => String, { nullable: true }) riskNotes?: string | null;
  @Field(() => AgencyType, { description: 'The agency that recorded it' }) agency!: AgencyType;
  @Field(() => DateTimeISOResolver) recordedAt!: Date;
}

@InputType({
  description: "A REHABILITATION_CENTRE_STAY needs its place. engagementStatus, when sent, becomes the record's PSYCHOSOCIAL_SUMMARY.",
})
export class RecordSupportSessionInput {
  @Field(() => SupportSessionKindEnum) @IsIn([...SUPPORT_SESSION_KINDS]) kind!: SupportSessionKind;
  @Field(() => LocalDateResolver) @IsDateString({ strict: true }) startedOn!: string;
  @Field(() => LocalDateResolver, { nullable: true }) @IsOptional() @IsDateString({ strict: true }) endedOn?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 200) place?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 5000) notes?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 5000) riskNotes?: string | null;
  @Field(() => EngagementStatusEnum, { nullable: true })
  @IsOptional()
  @IsIn([...ENGAGEMENT_STATUSES])
  engagementStatus?: EngagementStatus | null;
}
