import { IsBoolean, IsOptional, IsUUID, Length } from 'class-validator';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { AgencyType } from '../agency/agency.types';
import { CaseAccessBasisEnum } from '../graphql/scalars';
import type { CaseAccessBasis } from './case-access.entity';

@ObjectType('CaseAccess', { description: 'Why an agency other than the registering one may see a record' })
export class CaseAccessType {
  @Field(() => ID, { description: 'Hub identifier of the access (what revokeCaseAccess takes)' }) id!: string;
  @Field(() => ID, { description: 'The record it opens' }) returneeId!: string;
  @Field(() => AgencyType, { description: 'The agency that sees the record through it' }) agency!: AgencyType;
  @Field(() => CaseAccessBasisEnum, { description: 'Where it comes from: a grant or an accepted referral' }) basis!: CaseAccessBasis;
  @Field(() => Boolean, { description: 'True: the agency is in another country than the record (explicitly allowed when given)' })
  crossBorder!: boolean;
  @Field(() => String, { description: 'Why it was given, as the granting supervisor or the referral said' }) reason!: string;
  @Field(() => DateTimeISOResolver, { description: 'When it was given (UTC)' }) grantedAt!: Date;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'When it ended (UTC); null while active' }) revokedAt?: Date | null;
  @Field(() => ID, { nullable: true, description: 'The access this one derives from and ends with; null: given by the registering agency' })
  derivedFromId?: string | null;
  @Field(() => ID, { nullable: true, description: 'The accepted referral it comes from (basis REFERRAL)' }) referralId?: string | null;
  @Field(() => String, { nullable: true, description: "Why it ended: the revoker's reason, or the source it ended with" })
  revocationReason?: string | null;
  @Field(() => Boolean, { description: 'Not ended: the agency sees the record through it' }) active!: boolean;
}

@InputType({ description: 'Share a record your agency sees with another agency; the new access ends with yours' })
export class GrantCaseAccessInput {
  @Field(() => ID, { description: 'The record to share; out of your scope is NOT_FOUND' })
  @IsUUID('all', { message: 'returneeId must be a UUID' })
  returneeId!: string;
  @Field(() => ID, { description: 'The agency to share it with' }) @IsUUID('all', { message: 'agencyId must be a UUID' }) agencyId!: string;
  @Field(() => String, { description: 'Why the agency needs the record, 5-1000 characters (kept with the access and audited)' })
  @Length(5, 1000)
  reason!: string;
  @Field(() => Boolean, { defaultValue: false, description: 'Must be true to share with an agency in another country' })
  @IsOptional()
  @IsBoolean()
  crossBorder!: boolean;
}

@InputType({ description: 'End an access, and every access derived from it' })
export class RevokeCaseAccessInput {
  @Field(() => ID, { description: 'The CaseAccess to end (see the caseAccesses query)' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
  @Field(() => String, { description: 'Why it ends, 5-1000 characters (kept with the access and audited)' })
  @Length(5, 1000)
  reason!: string;
}
