import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeISOResolver, LocalDateResolver } from 'graphql-scalars';
import { Section } from '../access/sections';
import type { Sector } from '../access/policy';
import { BasisKindEnum, SectorEnum } from '../graphql/scalars';
import type { BasisKind } from '../trail/audit-basis';

export const STATEMENT_ACCESS = ['SAW', 'CHANGED'] as const;
export type StatementAccess = (typeof STATEMENT_ACCESS)[number];
export const StatementAccessEnum = { SAW: 'SAW', CHANGED: 'CHANGED' } as const;
registerEnumType(StatementAccessEnum, {
  name: 'StatementAccess',
  description: 'What an agency did with the record, in the words of the person’s statement',
  valuesConfig: {
    SAW: { description: 'Read (saw) the sections or information named' },
    CHANGED: { description: 'Recorded or changed them (its own sector’s work)' },
  },
});

/** What a statement entry names besides sections: information about the record that is not a section of it. */
export const STATEMENT_TOPICS = ['CONSENTS', 'SHARING', 'AUDIT_TRAIL', 'REQUESTS', 'HISTORY', 'NOTIFICATIONS', 'OTHER'] as const;
export type StatementTopic = (typeof STATEMENT_TOPICS)[number];
export const StatementTopicEnum = Object.fromEntries(STATEMENT_TOPICS.map((t) => [t, t])) as { [K in StatementTopic]: K };
registerEnumType(StatementTopicEnum, {
  name: 'StatementTopic',
  description: 'Information about a person’s record that is not one of its sections',
  valuesConfig: {
    CONSENTS: { description: 'The consents the person (or guardian) gave' },
    SHARING: { description: 'Referrals and case access: whom the record is shared with' },
    AUDIT_TRAIL: { description: 'The audit trail about the person: disclosure reports and earlier statements' },
    REQUESTS: { description: 'The person’s data-subject requests' },
    HISTORY: { description: 'The history of changes to the record' },
    NOTIFICATIONS: { description: 'Notices (webhooks) that told an agency’s own system something changed in the record' },
    OTHER: { description: 'Anything else about the record (merges)' },
  },
});

@ObjectType('StatementAgency', { description: 'An agency as the person’s statement names it: no staff, no internal codes' })
export class StatementAgencyType {
  @Field(() => String, { description: 'The agency’s name' }) name!: string;
  @Field(() => SectorEnum, { description: 'Its sector' }) sector!: Sector;
  @Field(() => String, { description: 'Its country (ISO 3166-1 alpha-2)' }) country!: string;
  @Field(() => Boolean, { description: 'True for the agency that registered the person (its own reads are listed too)' })
  registeringAgency!: boolean;
}

@ObjectType('StatementBasis', { description: 'Why a disclosure was lawful, as recorded when it happened' })
export class StatementBasisType {
  @Field(() => BasisKindEnum, { nullable: true, description: 'Null for events recorded before the hub stored a basis' })
  kind!: BasisKind | null;
  @Field(() => ID, { nullable: true, description: 'The consent, agreement or break-glass opening' }) ref!: string | null;
  @Field(() => Int, { nullable: true, description: 'The agreement’s version' }) version!: number | null;
  @Field(() => String, { nullable: true, description: 'The policy’s named legal basis (LEGAL_DUTY)' }) legalBasis!: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      'BREAK_GLASS only: the review outcome (JUSTIFIED, NOT_JUSTIFIED), null while not reviewed. Pending: joined once break-glass reviews exist (src/statement/break-glass-review.ts)',
  })
  breakGlassReview!: string | null;
}

@ObjectType('DisclosureStatementEntry', {
  description: 'One agency, one day (UTC), one purpose, one basis: what it saw or changed and how often',
})
export class DisclosureStatementEntryType {
  @Field(() => LocalDateResolver, { description: 'The day (UTC)' }) day!: string;
  @Field(() => StatementAgencyType, { nullable: true, description: 'Null for the hub itself (imports, maintenance)' })
  agency!: StatementAgencyType | null;
  @Field(() => StatementAccessEnum, { description: 'Saw, or recorded/changed' }) access!: StatementAccess;
  @Field(() => [Section], { description: 'Sections of the record' }) sections!: Section[];
  @Field(() => [StatementTopicEnum], { description: 'Other information about the record' }) topics!: StatementTopic[];
  @Field(() => String, { nullable: true, description: 'The purpose the agency’s software declared (X-Purpose-Of-Use)' })
  purpose!: string | null;
  @Field(() => StatementBasisType, { description: 'On what basis' }) basis!: StatementBasisType;
  @Field(() => Int, { description: 'How many times that day' }) times!: number;
  @Field(() => String, { description: 'The entry as one plain-language sentence in the statement’s language' }) sentence!: string;
}

@ObjectType('DisclosureStatement', {
  description:
    'The person’s own statement of who saw their record: agencies (never staff), sections, days, purposes and bases. ' +
    'Printable page and PDF: GET /statement/{returneeId}?lang=… and /statement/{returneeId}.pdf (docs/statement.md)',
})
export class DisclosureStatementType {
  @Field(() => ID, { description: 'The person’s record' }) returneeId!: string;
  @Field(() => String, { description: 'The record’s case number' }) caseNumber!: string;
  @Field(() => String, { description: 'The language the texts are in (en, ru; planned ones fall back)' }) language!: string;
  @Field(() => DateTimeISOResolver, { description: 'When it was produced' }) generatedAt!: Date;
  @Field(() => StatementAgencyType, { description: 'The agency that produced it (the registering agency)' })
  producedBy!: StatementAgencyType;
  @Field(() => Int, { description: 'How many audit events it covers' }) eventCount!: number;
  @Field(() => Boolean, { description: 'True when only the most recent groups are listed (ask for a shorter period)' })
  truncated!: boolean;
  @Field(() => [DisclosureStatementEntryType], { description: 'Most recent first' }) entries!: DisclosureStatementEntryType[];
  @Field(() => String, { description: 'Title in the statement’s language' }) title!: string;
  @Field(() => [String], { description: 'The explanatory paragraphs in the statement’s language' }) paragraphs!: string[];
}
