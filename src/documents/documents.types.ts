import { IsDateString, IsIn, IsOptional, Length, Matches } from 'class-validator';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { DateTimeISOResolver, LocalDateResolver } from 'graphql-scalars';
import { AgencyType } from '../agency/agency.types';
import { CivilDocumentStatusEnum, CivilDocumentTypeEnum } from '../graphql/scalars';
import { CIVIL_DOCUMENT_STATUSES, CIVIL_DOCUMENT_TYPES, type CivilDocumentKind, type CivilDocumentState } from '../returnee/section-enums';

@ObjectType('CivilDocument', {
  simpleResolvers: true,
  description: 'The current version of one civil document (DOCUMENTS section); earlier versions are kept as history.',
})
export class CivilDocumentType {
  @Field(() => ID, { description: 'Id of this version' }) id!: string;
  @Field(() => CivilDocumentTypeEnum, { description: 'Which document' }) type!: CivilDocumentKind;
  @Field(() => CivilDocumentStatusEnum, { description: 'Where it stands' }) status!: CivilDocumentState;
  @Field(() => String, { nullable: true, description: 'Document number as printed (ISSUED only)' }) number?: string | null;
  @Field(() => LocalDateResolver, { nullable: true, description: 'Day of issue (YYYY-MM-DD), ISSUED only' }) issuedOn?: string | null;
  @Field(() => String, { nullable: true, description: 'The authority that issued it, ISSUED only' }) issuingAuthority?: string | null;
  @Field(() => LocalDateResolver, { nullable: true, description: 'Day the application was made (YYYY-MM-DD)' }) appliedOn?: string | null;
  @Field(() => String, { nullable: true, description: 'Notes on the case, e.g. what the registry office asked for, free text' }) notes?:
    string | null;
  @Field(() => AgencyType, { description: 'The agency that recorded this version' }) agency!: AgencyType;
  @Field(() => DateTimeISOResolver, { description: 'When this version was recorded (UTC)' }) recordedAt!: Date;
}

@ObjectType('DocumentStatus', {
  simpleResolvers: true,
  description: 'Where one document type stands (DOCUMENTS_STATUS section): never its number.',
})
export class DocumentStatusType {
  @Field(() => CivilDocumentTypeEnum, { description: 'Which document' }) type!: CivilDocumentKind;
  @Field(() => CivilDocumentStatusEnum, { description: 'MISSING when nothing was recorded for this type' }) status!: CivilDocumentState;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'When this document was last recorded; null if never' })
  lastChangedAt?: Date | null;
}

const NUMBER = /^[\p{L}\p{N}][\p{L}\p{N} ./№-]{0,63}$/u;

@InputType({
  description:
    'Records the document of this type. If one exists it becomes a new version: fields not sent are kept from the ' +
    'previous version where the new status allows them (null clears one). A MISSING document has no number, dates or authority; ' +
    'an APPLIED one no number or issue date.',
})
export class RecordCivilDocumentInput {
  @Field(() => CivilDocumentTypeEnum, { description: 'Which document' }) @IsIn([...CIVIL_DOCUMENT_TYPES]) type!: CivilDocumentKind;
  @Field(() => CivilDocumentStatusEnum, { description: 'Where it stands now' })
  @IsIn([...CIVIL_DOCUMENT_STATUSES])
  status!: CivilDocumentState;
  @Field(() => String, { nullable: true, description: 'Only for ISSUED documents' })
  @IsOptional()
  @Matches(NUMBER, { message: 'number must be 1-64 letters, digits, spaces, dots, slashes, dashes or №' })
  number?: string | null;
  @Field(() => LocalDateResolver, { nullable: true, description: 'Day of issue, YYYY-MM-DD; ISSUED only' })
  @IsOptional()
  @IsDateString({ strict: true })
  issuedOn?: string | null;
  @Field(() => String, { nullable: true, description: 'The authority that issued it, 1-200 characters; ISSUED only' })
  @IsOptional()
  @Length(1, 200)
  issuingAuthority?: string | null;
  @Field(() => LocalDateResolver, { nullable: true, description: 'Day of the application, YYYY-MM-DD; APPLIED or ISSUED' })
  @IsOptional()
  @IsDateString({ strict: true })
  appliedOn?: string | null;
  @Field(() => String, { nullable: true, description: 'Notes on the case, 1-2000 characters' }) @IsOptional() @Length(1, 2000) notes?:
    string | null;
}
