import { ArrayMaxSize, IsIn, IsOptional, Length, Min, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ReturneeView } from '../returnee/returnee.types';

export enum MergeSource {
  SURVIVOR = 'SURVIVOR',
  MERGED = 'MERGED',
}
registerEnumType(MergeSource, {
  name: 'MergeSource',
  description: 'Which record a field of the merged person takes its value from',
  valuesConfig: {
    SURVIVOR: { description: "The survivor's value (what every field not chosen keeps)" },
    MERGED: { description: "The merged record's value" },
  },
});

@InputType({ description: 'One field of the surviving record and where its value comes from; only fields your sector may write' })
export class MergeFieldChoice {
  @Field(() => String, { description: 'A scalar field of the record, e.g. dateOfBirth' }) @Length(1, 64) field!: string;
  @Field(() => MergeSource, { description: 'The record whose value the survivor keeps' })
  @IsIn(Object.values(MergeSource))
  from!: MergeSource;
}

@InputType({ description: 'The versions you read of both records; another version is CONFLICT and nothing is written' })
export class MergeExpectedVersions {
  @Field(() => Int, { description: 'The survivor’s version you read' }) @Min(0) survivor!: number;
  @Field(() => Int, { description: 'The merged record’s version you read' }) @Min(0) merged!: number;
}

@InputType({ description: 'Merge mergedId into survivorId (docs/matching.md)' })
export class MergeReturneesInput {
  @Field(() => ID, { description: 'The record that stays (in your update scope)' }) survivorId!: string;
  @Field(() => ID, { description: 'The record merged into it, then NOT_FOUND (in your update scope)' }) mergedId!: string;
  @Field(() => MergeExpectedVersions, { description: 'Both versions you read' }) @ValidateNested() expectedVersions!: MergeExpectedVersions;
  @Field(() => [MergeFieldChoice], { nullable: true, description: 'Fields not named keep the survivor’s value' })
  @IsOptional()
  @ArrayMaxSize(64)
  @ValidateNested({ each: true })
  fieldChoices?: MergeFieldChoice[];
}

@ObjectType('MergeKeptRows', { description: 'Rows that stayed with the merged record, of kinds you may see (counts only)' })
export class MergeKeptRowsType {
  @Field(() => String, {
    description: 'Consent (never carried: docs/matching.md), CaseAccess or CivilDocument (the survivor had its counterpart)',
  })
  kind!: string;
  @Field(() => Int, { description: 'How many rows of this kind stayed' }) count!: number;
}

@ObjectType('MergeReturneesPayload', { description: 'What a merge did, as you may learn it' })
export class MergeReturneesPayload {
  @Field(() => ID, { description: 'The merge, for unmergeReturnees' }) mergeId!: string;
  @Field(() => ReturneeView, { description: 'The surviving record as you may read it' }) survivor!: ReturneeView;
  @Field(() => [String], { description: 'Fields that took the merged record’s value' }) fieldsTaken!: string[];
  @Field(() => [String], { description: 'Fields you may not read on one of the records: kept from the survivor' })
  keptUnreadable!: string[];
  @Field(() => [MergeKeptRowsType], { description: 'Rows that stayed with the merged record, of kinds you may see' })
  keptWithMergedRecord!: MergeKeptRowsType[];
}

@ObjectType('UnmergeReturneesPayload', { description: 'Both records after an unmerge' })
export class UnmergeReturneesPayload {
  @Field(() => ReturneeView, { description: 'The survivor, with the values it had before the merge' }) survivor!: ReturneeView;
  @Field(() => ReturneeView, { description: 'The merged record, back with the rows that had moved' }) restored!: ReturneeView;
}
