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
  @Field(() => String) @Length(1, 64) field!: string;
  @Field(() => MergeSource) @IsIn(Object.values(MergeSource)) from!: MergeSource;
}

@InputType({ description: 'The versions you read of both records; another version is CONFLICT and nothing is written' })
export class MergeExpectedVersions {
  @Field(() => Int) @Min(0) survivor!: number;
  @Field(() => Int) @Min(0) merged!: number;
}

@InputType({ description: 'Merge mergedId into survivorId (docs/matching.md)' })
export class MergeReturneesInput {
  @Field(() => ID) survivorId!: string;
  @Field(() => ID) mergedId!: string;
  @Field(() => MergeExpectedVersions) @ValidateNested() expectedVersions!: MergeExpectedVersions;
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
  @Field(() => Int) count!: number;
}

@ObjectType('MergeReturneesPayload')
export class MergeReturneesPayload {
  @Field(() => ID, { description: 'The merge, for unmergeReturnees' }) mergeId!: string;
  @Field(() => ReturneeView, { description: 'The surviving record as you may read it' }) survivor!: ReturneeView;
  @Field(() => [String], { description: 'Fields that took the merged record’s value' }) fieldsTaken!: string[];
  @Field(() => [String], { description: 'Fields you may not read on one of the records: kept from the survivor' })
  keptUnreadable!: string[];
  @Field(() => [MergeKeptRowsType]) keptWithMergedRecord!: MergeKeptRowsType[];
}

@ObjectType('UnmergeReturneesPayload')
export class UnmergeReturneesPayload {
  @Field(() => ReturneeView, { description: 'The survivor, with the values it had before the merge' }) survivor!: ReturneeView;
  @Field(() => ReturneeView, { description: 'The merged record, back with the rows that had moved' }) restored!: ReturneeView;
}
