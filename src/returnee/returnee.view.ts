import { ALL_RETURNEE_FIELDS } from '../access/sections';
import { isMinorOn } from '../common/calendar';
import type { DocumentStatusType } from '../documents/documents.types';
import type { ReturneeView } from './returnee.types';
import { CIVIL_DOCUMENT_TYPES } from './section-enums';
import { ROW_TABLES } from '../sections/registry';

/** Every document type, MISSING when nothing was recorded: status and date only, never numbers. */
export function documentStatusesOf(current: readonly { type: string; status: string; recordedAt: Date }[]): DocumentStatusType[] {
  return CIVIL_DOCUMENT_TYPES.map((type) => {
    const d = current.find((c) => c.type === type);
    return { type, status: (d?.status ?? 'MISSING') as DocumentStatusType['status'], lastChangedAt: d?.recordedAt ?? null };
  });
}

/** Fields of the view after the reference (id, caseNumber, version), in declaration order. */
export const VIEW_FIELDS: readonly string[] = ALL_RETURNEE_FIELDS.filter((f) => !['id', 'caseNumber', 'version'].includes(f));

/** Every field of the view null: each view starts as a copy of it (one object clone, instead of a keyed store per field). */
const NULL_FIELDS: Readonly<Record<string, null>> = Object.fromEntries(VIEW_FIELDS.map((f) => [f, null]));

/**
 * Builds what the caller may see from one row of the page's statement: each field whose
 * column is given carries its value, every other field is null, and `redactedFields` lists
 * what the policy withholds on this record.
 */
export function returneeView(
  reference: { id: string; caseNumber: string; version: number },
  redactedFields: string[],
  columns: readonly (string | undefined)[],
  row: Record<string, unknown>,
): ReturneeView {
  const view: Record<string, unknown> = {
    id: reference.id,
    caseNumber: reference.caseNumber,
    version: reference.version,
    redactedFields,
    revealedByBreakGlass: [], // break-glass: set by the read that knows the basis (returnee-read.service.ts)
    ...NULL_FIELDS,
  };
  for (let i = 0; i < VIEW_FIELDS.length; i++) {
    const column = columns[i];
    if (column !== undefined) view[VIEW_FIELDS[i]] = valueOf(VIEW_FIELDS[i], row[column]);
  }
  return view as unknown as ReturneeView;
}

/**
 * Timestamps inside the JSON that PostgreSQL built come as text: the GraphQL types want Dates.
 * In place: the objects were just parsed from this row and belong to no one else.
 */
const TIMESTAMPS = ['createdAt', 'recordedAt'];
const ROW_FIELDS: ReadonlySet<string> = new Set(ROW_TABLES.map((t) => t.field));

function withDates<T extends Record<string, unknown>>(item: T): T {
  const out = item as Record<string, unknown>;
  for (const key of TIMESTAMPS) if (typeof out[key] === 'string') out[key] = new Date(out[key] as string);
  if (out.agency) withDates(out.agency as Record<string, unknown>);
  return item;
}

/** A field's value from its column in the page's statement (returnee-select.ts). */
function valueOf(field: string, raw: unknown): unknown {
  if (raw === null || raw === undefined) return null;
  switch (field) {
    case 'isMinor':
      return isMinorOn(raw as string);
    case 'registeringAgency':
      return withDates(raw as Record<string, unknown>);
    case 'documentStatuses':
      return documentStatusesOf((raw as Record<string, unknown>[]).map(withDates) as { type: string; status: string; recordedAt: Date }[]);
    case 'createdAt':
    case 'updatedAt':
      return raw instanceof Date ? raw : new Date(raw as string);
    default:
      // A field kept in rows of its own (src/sections/): JSON built by the statement.
      return ROW_FIELDS.has(field) ? (raw as Record<string, unknown>[]).map(withDates) : raw;
  }
}
