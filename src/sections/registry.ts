import type { ColumnType, RowTable, RowWrite, SectionDeclaration } from './declaration';
import { DOCUMENTS, DOCUMENTS_STATUS } from './documents.section';
import { EDUCATION, EDUCATION_SUMMARY } from './education.section';
import { HEALTH, HEALTH_FLAGS } from './health.section';
import { PSYCHOSOCIAL, PSYCHOSOCIAL_SUMMARY } from './psychosocial.section';
import { CONTACT, IDENTITY, REFERENCE } from './record.section';
import { SOCIAL_SUPPORT } from './social-support.section';

/**
 * Every section, in the order the record lists them (the `Section` enum of the SDL, the fields of
 * `Returnee`, `redactedFields`, the policy matrix). Adding a section: declare it in a file of this
 * folder and add it here (docs/adding-a-section.md); everything below derives from this list.
 */
export const SECTION_DECLARATIONS = [
  REFERENCE,
  IDENTITY,
  CONTACT,
  HEALTH,
  HEALTH_FLAGS,
  EDUCATION,
  EDUCATION_SUMMARY,
  DOCUMENTS,
  DOCUMENTS_STATUS,
  SOCIAL_SUPPORT,
  PSYCHOSOCIAL,
  PSYCHOSOCIAL_SUMMARY,
] as const;

export type SectionName = (typeof SECTION_DECLARATIONS)[number]['name'];

/** A field kept in rows of its own table, with the `Returnee` field and the section it belongs to. */
export interface SectionRowTable extends RowTable {
  field: string;
  section: SectionName;
  write?: RowWrite;
}

/** The same list, typed as declarations (optional parts read without narrowing). */
export const SECTIONS: readonly SectionDeclaration<SectionName>[] = SECTION_DECLARATIONS;

/** Every field kept in rows of its own table, in section order. */
export const ROW_TABLES: readonly SectionRowTable[] = SECTIONS.flatMap((d) =>
  Object.entries(d.rows ?? {}).map(([field, table]) => ({ ...table, field, section: d.name })),
);

/** The row table of a `Returnee` field, if it has one. */
export function rowTableOf(field: string): SectionRowTable | undefined {
  return ROW_TABLES.find((t) => t.field === field);
}

/** The column of a field: `startedOn` → `started_on`. */
export const snakeCase = (field: string): string => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** What the record shows of a row: its id, its own columns, the recording agency and the stamp (GraphQL field → column). */
export function shownColumns(t: RowTable): Record<string, string> {
  const own = Object.keys(t.columns).map((f) => [f, snakeCase(f)]);
  return Object.fromEntries([['id', 'id'], ...own, ['agency', 'agency_id'], [t.stamp, snakeCase(t.stamp)]]);
}

/** Every stored column of a row (column, SQL type, entity property), in the order the seed writes them. */
export function storedColumns(t: RowTable): { name: string; type: ColumnType; field?: string }[] {
  const col = (field: string, type: ColumnType) => ({ name: snakeCase(field), type, field });
  const own = Object.entries(t.columns).map(([f, type]) => col(f, type));
  const owner = [
    { name: 'agency_id', type: 'uuid' as const, field: 'agency' },
    { name: 'recorded_by_id', type: 'uuid' as const, field: 'recordedBy' },
  ];
  const stamp = { name: snakeCase(t.stamp), type: 'timestamptz' as const };
  const internal = Object.entries(t.internal ?? {}).map(([f, type]) => col(f, type));
  const head = [
    { name: 'id', type: 'uuid' as const },
    { name: 'returnee_id', type: 'uuid' as const, field: 'returnee' },
  ];
  return t.stamp === 'createdAt' ? [...head, ...owner, ...own, stamp, ...internal] : [...head, ...own, ...owner, stamp, ...internal];
}
