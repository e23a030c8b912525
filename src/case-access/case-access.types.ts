import { IsBoolean, IsOptional, IsUUID, Length } from 'class-validator';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { AgencyType } from '../agency/agency.types';
import { CaseAccessBasisEnum } from '../graphql/scalars';
import type { CaseAccessBasis } from './case-access.entity';

@ObjectType('CaseAccess', { description: 'Why an agency other than the registering one may see a record' })
export class CaseAccessType {
  @Field(() => ID) id!: string;
  @Field(() => ID) returneeId!: string;
  @Field(() => AgencyType) agency!: AgencyType;
  @Field(() => CaseAccessBasisEnum) basis!: CaseAccessBasis;
  @Field(() => Boolean) crossBorder!: boolean;
  @Field(() => String) reason!: string;
  @Field(() => DateTimeISOResolver) grantedAt!: Date;
  @Field(() => DateTimeISOResolver, { nullable: true }) revokedAt?: Date | null;
  @Field(() => ID, { nullable: true, description: 'The access this one derives from and ends with; null: given by the registering agency' })
  derivedFromId?: string | null;
  @Field(() => ID, { nullable: true, description: 'The accepted referral it comes from (basis REFERRAL)' }) referralId?: string | null;
  @Field(() => String, { nullable: true, description: "Why it ended: the revoker's reason, or the source it ended with" })
  revocationReason?: string | null;
  @Field(() => Boolean, { description: 'Not ended: the agency sees the record through it' }) active!: boolean;
}

@InputType()
export class GrantCaseAccessInput {
  @Field(() => ID) @IsUUID('all', { message: 'returneeId must be a UUID' }) returneeId!: string;
  @Field(() => ID) @IsUUID('all', { message: 'agencyId must be a UUID' }) agencyId!: string;
  @Field(() => String, { description: 'Why the agency needs the record (kept with the access and audited)' })
  @Length(5, 1000)
  reason!: string;
  @Field(() => Boolean, { defaultValue: false, description: 'Must be true to share with an agency in another country' })
  @IsOptional()
  @IsBoolean()
  crossBorder!: boolean;
}

@InputType()
export class RevokeCaseAccessInput {
  @Field(() => ID, { description: 'The CaseAccess to end (see the caseAccesses query)' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
  @Field(() => String, { description: 'Why it ends (kept with the access and audited)' }) @Length(5, 1000) reason!: string;
}
