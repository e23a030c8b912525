import { IsIn, IsISO31661Alpha2, IsOptional, Length, Matches } from 'class-validator';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { SECTORS, type Sector } from '../access/policy';
import { SectorEnum } from '../graphql/scalars';

@ObjectType('Agency', { description: 'An agency whose staff use the hub. Directory data, visible to every signed-in user.' })
export class AgencyType {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'Stable code, e.g. kz-aqtobe-health' }) code!: string;
  @Field(() => String) name!: string;
  @Field(() => SectorEnum) sector!: Sector;
  @Field(() => String, { description: 'ISO 3166-1 alpha-2 country code' }) country!: string;
  @Field(() => DateTimeISOResolver) createdAt!: Date;
}

@InputType()
export class CreateAgencyInput {
  @Field(() => String, { description: 'Lower-case letters, digits and dashes, 3-64 characters' })
  @Matches(/^[a-z0-9][a-z0-9-]{2,63}$/, { message: 'code must be 3-64 lower-case letters, digits or dashes' })
  code!: string;

  @Field(() => String) @Length(2, 200) name!: string;

  @Field(() => SectorEnum) @IsIn([...SECTORS]) sector!: Sector;

  @Field(() => String) @IsISO31661Alpha2({ message: 'country must be an ISO 3166-1 alpha-2 code such as KZ' }) country!: string;
}

@InputType()
export class AgencyFilter {
  @Field(() => String, { nullable: true }) @IsOptional() @IsISO31661Alpha2() country?: string;
  @Field(() => SectorEnum, { nullable: true }) @IsOptional() @IsIn([...SECTORS]) sector?: Sector;
}
