import { ArrayMaxSize, IsIn, IsOptional, IsUUID } from 'class-validator';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { Section } from '../access/sections';
import { AgencyType } from '../agency/agency.types';
import { AuditActionEnum, AuditOutcomeEnum } from '../graphql/scalars';
import { PageInfo } from '../returnee/returnee.types';
import { AUDIT_ACTIONS, AUDIT_OUTCOMES, type AuditAction, type AuditOutcome } from './audit-event.entity';

@ObjectType('AuditedReturnee', { description: 'A returnee as the audit tools show one: its id and case number, never its contents' })
export class ReturneeRef {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true, description: 'Null when the record is outside your scope (another country)' })
  caseNumber!: string | null;
}

@ObjectType('AuditStaffRef', { description: 'Who acted' })
export class AuditStaffRef {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) username!: string | null;
  @Field(() => String, { nullable: true }) displayName!: string | null;
}

@ObjectType('AuditEvent', { description: 'One record touched by one operation: field names, never values' })
export class AuditEventType {
  @Field(() => ID) id!: string;
  @Field(() => DateTimeISOResolver) occurredAt!: Date;
  @Field(() => ID) requestId!: string;
  @Field(() => AuditActionEnum) action!: AuditAction;
  @Field(() => AuditOutcomeEnum) outcome!: AuditOutcome;
  @Field(() => String, { nullable: true, description: 'Error code of a non-success outcome' }) reason!: string | null;
  @Field(() => String) entityType!: string;
  @Field(() => String, { nullable: true }) entityId!: string | null;
  @Field(() => ReturneeRef, { nullable: true }) returnee!: ReturneeRef | null;
  @Field(() => AuditStaffRef, { nullable: true, description: 'Null for the hub itself (bootstrap, CLI)' }) staff!: AuditStaffRef | null;
  @Field(() => AgencyType, { nullable: true }) agency!: AgencyType | null;
  @Field(() => [String], { description: 'Fields read or changed' }) fields!: string[];
  @Field(() => [String], { description: 'Fields asked for but withheld by policy' }) deniedFields!: string[];
  @Field(() => [Section], { description: 'Sections of the record the fields belong to' }) sections!: Section[];
  @Field(() => String, { nullable: true, description: 'Purpose of use the client declared' }) purpose!: string | null;
  @Field(() => String, { nullable: true, description: 'GraphQL root field or CLI command' }) operation!: string | null;
  @Field(() => String, { nullable: true, description: 'Place in the hash chain (a 64-bit integer); null until sealed, within about a second' })
  chainPosition!: string | null;
}

@ObjectType()
export class AuditEventEdge {
  @Field(() => String) cursor!: string;
  @Field(() => AuditEventType) node!: AuditEventType;
}

@ObjectType()
export class AuditEventConnection {
  @Field(() => [AuditEventEdge]) edges!: AuditEventEdge[];
  @Field(() => [AuditEventType]) nodes!: AuditEventType[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int, { description: 'Events you may see that match the filter' }) totalCount!: number;
}

@InputType({ description: 'All given conditions must hold. Time range: from inclusive, to exclusive.' })
export class AuditEventFilter {
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID('all', { message: 'returneeId must be a UUID' }) returneeId?: string;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID('all', { message: 'staffId must be a UUID' }) staffId?: string;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID('all', { message: 'agencyId must be a UUID' }) agencyId?: string;
  @Field(() => [AuditActionEnum], { nullable: true }) @IsOptional() @ArrayMaxSize(5) @IsIn([...AUDIT_ACTIONS], { each: true }) actions?: AuditAction[];
  @Field(() => [AuditOutcomeEnum], { nullable: true }) @IsOptional() @ArrayMaxSize(AUDIT_OUTCOMES.length) @IsIn([...AUDIT_OUTCOMES], { each: true }) outcomes?: AuditOutcome[];
  @Field(() => DateTimeISOResolver, { nullable: true }) @IsOptional() from?: Date;
  @Field(() => DateTimeISOResolver, { nullable: true }) @IsOptional() to?: Date;
}

@ObjectType('DisclosureEntry', { description: 'What one person (or the hub itself) did, for one purpose, and how often' })
export class DisclosureEntry {
  @Field(() => AuditStaffRef, { nullable: true }) staff!: AuditStaffRef | null;
  @Field(() => AuditActionEnum) action!: AuditAction;
  @Field(() => AuditOutcomeEnum) outcome!: AuditOutcome;
  @Field(() => String, { nullable: true }) purpose!: string | null;
  @Field(() => [Section], { description: 'Sections of the record read, changed or asked for' }) sections!: Section[];
  @Field(() => [String], { description: 'Kinds of record touched, e.g. Returnee, HealthAssessment' }) records!: string[];
  @Field(() => [String], { description: 'Field names (never values)' }) fields!: string[];
  @Field(() => Int) times!: number;
  @Field(() => DateTimeISOResolver) firstAt!: Date;
  @Field(() => DateTimeISOResolver) lastAt!: Date;
}

@ObjectType('DisclosureByAgency')
export class DisclosureByAgency {
  @Field(() => AgencyType, { nullable: true, description: 'Null for the hub itself' }) agency!: AgencyType | null;
  @Field(() => [Section], { description: 'Sections its staff read' }) sectionsRead!: Section[];
  @Field(() => [Section], { description: 'Sections its staff created or changed' }) sectionsChanged!: Section[];
  @Field(() => DateTimeISOResolver) firstAt!: Date;
  @Field(() => DateTimeISOResolver) lastAt!: Date;
  @Field(() => [DisclosureEntry], { description: 'Most recent first' }) entries!: DisclosureEntry[];
}

@ObjectType('DisclosureReport', { description: 'Which agencies and staff read or changed which sections of one person, when and why' })
export class DisclosureReport {
  @Field(() => ReturneeRef) returnee!: ReturneeRef;
  @Field(() => DateTimeISOResolver) generatedAt!: Date;
  @Field(() => DateTimeISOResolver, { nullable: true }) from!: Date | null;
  @Field(() => DateTimeISOResolver, { nullable: true }) to!: Date | null;
  @Field(() => Int) eventCount!: number;
  @Field(() => [DisclosureByAgency], { description: 'Most recent first' }) agencies!: DisclosureByAgency[];
}

@ObjectType('AuditProblem')
export class AuditProblemType {
  @Field(() => String, { description: 'HASH_MISMATCH, EVENT_MISSING, POSITION_GAP, CHAIN_TRUNCATED, NOT_CHAINED, CHECKPOINT_*, TRUNCATED_AFTER_CHECKPOINT' }) kind!: string;
  @Field(() => ID, { nullable: true }) eventId!: string | null;
  @Field(() => String, { nullable: true, description: 'Chain position (a 64-bit integer, as a string)' }) position!: string | null;
  @Field(() => ID, { nullable: true }) checkpointId!: string | null;
  @Field(() => String) detail!: string;
}

@ObjectType('AuditCheckpoint', { description: 'A signed head of the chain' })
export class AuditCheckpointType {
  @Field(() => ID) id!: string;
  @Field(() => String) position!: string;
  @Field(() => String, { description: 'SHA-256, hex' }) hash!: string;
  @Field(() => DateTimeISOResolver) signedAt!: Date;
  @Field(() => String) keyId!: string;
  @Field(() => Boolean) signatureValid!: boolean;
  @Field(() => Boolean, { description: "Signed by this hub's key or one listed in HUB_AUDIT_TRUSTED_KEYS" }) trustedKey!: boolean;
  @Field(() => Boolean, { description: 'The chain still passes through this hash' }) chainMatches!: boolean;
  @Field(() => String, { description: 'Where this copy was read: database (audit_checkpoint), file (HUB_AUDIT_CHECKPOINT_FILE) or directory (HUB_AUDIT_CHECKPOINT_SINK)' })
  source!: string;
}

@ObjectType('AuditIntegrity')
export class AuditIntegrityType {
  @Field(() => Boolean) verified!: boolean;
  @Field(() => Int) eventsChecked!: number;
  @Field(() => String, { description: 'Position of the last sealed event' }) headPosition!: string;
  @Field(() => String, { description: 'SHA-256 of the chain head, hex' }) headHash!: string;
  @Field(() => Int, { description: 'Events still waiting to be sealed (normal for about a second)' }) pendingEvents!: number;
  @Field(() => AuditProblemType, { nullable: true }) firstBadEvent!: AuditProblemType | null;
  @Field(() => [AuditProblemType], { description: 'The first problems found, in chain order' }) problems!: AuditProblemType[];
  @Field(() => Int) problemCount!: number;
  @Field(() => AuditCheckpointType, { nullable: true }) latestCheckpoint!: AuditCheckpointType | null;
  @Field(() => AuditCheckpointType, {
    nullable: true,
    description: 'The checkpoint with the highest position kept outside the database (null when none is configured or kept yet); '
      + 'a trail whose head is behind it, or that no longer passes through it, was cut or rewritten (TRUNCATED_AFTER_CHECKPOINT, CHECKPOINT_MISMATCH)',
  })
  latestExternalCheckpoint!: AuditCheckpointType | null;
  @Field(() => DateTimeISOResolver) checkedAt!: Date;
  @Field(() => Int) durationMs!: number;
}
