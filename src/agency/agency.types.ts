import { IsIn, IsISO31661Alpha2, IsOptional, Length, Matches } from 'class-validator';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { SECTORS, type Sector } from '../access/policy';
import { SectorEnum } from '../graphql/scalars';

@ObjectType('Agency', {
  simpleResolvers: true,
  description: 'An agency whose staff use the hub. Directory data, visible to every signed-in user.',
})
export class AgencyType {
  @Field(() => ID, { description: 'Hub identifier of the agency (UUID)' }) id!: string;
  @Field(() => String, { description: 'Stable code, e.g. kz-aqtobe-health' }) code!: string;
  @Field(() => String, { description: 'Display name, e.g. Aqtobe regional polyclinic' }) name!: string;
  @Field(() => SectorEnum, { description: 'The sector whose policy its staff work under' }) sector!: Sector;
  @Field(() => String, { description: 'ISO 3166-1 alpha-2 country code; access to records never crosses it unless marked cross-border' })
  country!: string;
  @Field(() => DateTimeISOResolver, { description: 'When the agency was onboarded (UTC)' }) createdAt!: Date;
}

@InputType({ description: 'A new agency (administrators only)' })
export class CreateAgencyInput {
  @Field(() => String, { description: 'Lower-case letters, digits and dashes, 3-64 characters' })
  @Matches(/^[a-z0-9][a-z0-9-]{2,63}$/, { message: 'code must be 3-64 lower-case letters, digits or dashes' })
  code!: string;

  @Field(() => String, { description: 'Display name, 2-200 characters' }) @Length(2, 200) name!: string;

  @Field(() => SectorEnum, { description: 'Its sector; decides what its staff may see and do' }) @IsIn([...SECTORS]) sector!: Sector;

  @Field(() => String, { description: 'ISO 3166-1 alpha-2 country code, e.g. KZ, KG, TJ, UZ' })
  @IsISO31661Alpha2({ message: 'country must be an ISO 3166-1 alpha-2 code such as KZ' })
  country!: string;
}

@InputType({ description: 'All given conditions must hold' })
export class AgencyFilter {
  @Field(() => String, { nullable: true, description: 'Only agencies of this country (ISO 3166-1 alpha-2)' })
  @IsOptional()
  @IsISO31661Alpha2()
  country?: string;
  @Field(() => SectorEnum, { nullable: true, description: 'Only agencies of this sector' })
  @IsOptional()
  @IsIn([...SECTORS])
  sector?: Sector;
}
