import { IsDateString, IsIn, IsOptional, Length } from 'class-validator';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { DateTimeISOResolver, LocalDateResolver } from 'graphql-scalars';
import { AgencyType } from '../agency/agency.types';
import { EngagementStatusEnum, SupportSessionKindEnum } from '../graphql/scalars';
import { ENGAGEMENT_STATUSES, SUPPORT_SESSION_KINDS, type EngagementStatus, type SupportSessionKind } from '../returnee/section-enums';

@ObjectType('SupportSession', {
  simpleResolvers: true,
  description:
    'Counselling, a group session, a rehabilitation-centre stay, religious counselling or family mediation (PSYCHOSOCIAL section). Append-only.',
})
export class SupportSessionType {
  @Field(() => ID, { description: 'Hub identifier of the session or stay' }) id!: string;
  @Field(() => SupportSessionKindEnum, { description: 'What kind of support' }) kind!: SupportSessionKind;
  @Field(() => LocalDateResolver, { description: 'Day of the session, or first day of a stay (YYYY-MM-DD)' }) startedOn!: string;
  @Field(() => LocalDateResolver, { nullable: true, description: 'Null while a stay is ongoing' }) endedOn?: string | null;
  @Field(() => String, { nullable: true, description: 'Centre or place, e.g. Aqtobe rehabilitation centre' }) place?: string | null;
  @Field(() => String, { nullable: true, description: "The counsellor's notes, free text" }) notes?: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      'Risks the counsellor noted (e.g. self-harm, family pressure), free text; PSYCHOSOCIAL section only, never summarised elsewhere',
  })
  riskNotes?: string | null;
  @Field(() => AgencyType, { description: 'The agency that recorded it' }) agency!: AgencyType;
  @Field(() => DateTimeISOResolver, { description: 'When it was recorded (UTC)' }) recordedAt!: Date;
}

@InputType({
  description: "A REHABILITATION_CENTRE_STAY needs its place. engagementStatus, when sent, becomes the record's PSYCHOSOCIAL_SUMMARY.",
})
export class RecordSupportSessionInput {
  @Field(() => SupportSessionKindEnum, { description: 'What kind of support' }) @IsIn([...SUPPORT_SESSION_KINDS]) kind!: SupportSessionKind;
  @Field(() => LocalDateResolver, { description: 'Day of the session, or first day of a stay, YYYY-MM-DD, not in the future' })
  @IsDateString({ strict: true })
  startedOn!: string;
  @Field(() => LocalDateResolver, {
    nullable: true,
    description: 'Last day of a stay, YYYY-MM-DD, not before startedOn nor in the future; omit while ongoing',
  })
  @IsOptional()
  @IsDateString({ strict: true })
  endedOn?: string | null;
  @Field(() => String, { nullable: true, description: 'Centre or place, 1-200 characters; required for REHABILITATION_CENTRE_STAY' })
  @IsOptional()
  @Length(1, 200)
  place?: string | null;
  @Field(() => String, { nullable: true, description: "The counsellor's notes, 1-5000 characters" }) @IsOptional() @Length(1, 5000) notes?:
    string | null;
  @Field(() => String, { nullable: true, description: 'Risks noted, 1-5000 characters' }) @IsOptional() @Length(1, 5000) riskNotes?:
    string | null;
  @Field(() => EngagementStatusEnum, {
    nullable: true,
    description: "When sent, becomes the record's engagementStatus (PSYCHOSOCIAL_SUMMARY)",
  })
  @IsOptional()
  @IsIn([...ENGAGEMENT_STATUSES])
  engagementStatus?: EngagementStatus | null;
}
