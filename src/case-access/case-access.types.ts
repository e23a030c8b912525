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
}

@InputType()
export class GrantCaseAccessInput {
  @Field(() => ID) @IsUUID('all', { message: 'returneeId must be a UUID' }) returneeId!: string;
  @Field(() => ID) @IsUUID('all', { message: 'agencyId must be a UUID' }) agencyId!: string;
  @Field(() => String, { description: 'Why the agency needs the record (kept with the access and audited)' }) @Length(5, 1000) reason!: string;
  @Field(() => Boolean, { defaultValue: false, description: 'Must be true to share with an agency in another country' })
  @IsOptional() @IsBoolean() crossBorder!: boolean;
}
