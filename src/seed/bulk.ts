import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { ROW_TABLES, storedColumns } from '../sections/registry';

/**
 * Multi-row inserts for the seed. A chunk of rows travels as one JSON parameter and is
 * expanded by `jsonb_to_recordset`, so one statement inserts thousands of rows (the audit
 * recorder does the same). That is roughly ten times faster than one INSERT per row and
 * keeps a million-returnee seed in minutes rather than hours.
 *
 * Row objects use the table's snake_case column names. `field` is the entity property a
 * column sets; the audit event of a created row names those fields (never their values).
 */
export interface Column {
  name: string;
  type: string;
  field?: string;
}

export interface TableSpec {
  table: string;
  entityType: string;
  columns: readonly Column[];
}

export type Row = Record<string, unknown>;

const c = (name: string, type: string, field?: string): Column => ({ name, type, field });

export const AGENCY: TableSpec = {
  table: 'agency',
  entityType: 'Agency',
  columns: [
    c('id', 'uuid'),
    c('code', 'text', 'code'),
    c('name', 'text', 'name'),
    c('sector', 'text', 'sector'),
    c('country', 'text', 'country'),
    c('created_at', 'timestamptz'),
  ],
};

export const STAFF: TableSpec = {
  table: 'staff_member',
  entityType: 'StaffMember',
  columns: [
    c('id', 'uuid'),
    c('username', 'text', 'username'),
    c('display_name', 'text', 'displayName'),
    c('agency_id', 'uuid', 'agency'),
    c('roles', 'text[]', 'roles'),
    c('active', 'boolean', 'active'),
    c('created_at', 'timestamptz'),
  ],
};

export const RETURNEE: TableSpec = {
  table: 'returnee',
  entityType: 'Returnee',
  columns: [
    c('id', 'uuid'),
    c('version', 'int'),
    c('registering_agency_id', 'uuid', 'registeringAgency'),
    c('country', 'text', 'country'),
    c('created_at', 'timestamptz'),
    c('updated_at', 'timestamptz'),
    c('case_number', 'text', 'caseNumber'),
    c('given_name', 'text', 'givenName'),
    c('family_name', 'text', 'familyName'),
    c('patronymic', 'text', 'patronymic'),
    c('other_names', 'text[]', 'otherNames'),
    c('sex', 'text', 'sex'),
    c('date_of_birth', 'date', 'dateOfBirth'),
    c('date_of_birth_estimated', 'boolean', 'dateOfBirthEstimated'),
    c('place_of_birth', 'text', 'placeOfBirth'),
    c('citizenship', 'text', 'citizenship'),
    c('returned_on', 'date', 'returnedOn'),
    c('returned_from', 'text', 'returnedFrom'),
    c('status', 'text', 'status'),
    c('region', 'text', 'region'),
    c('district', 'text', 'district'),
    c('address', 'text', 'address'),
    c('phone', 'text', 'phone'),
    c('guardian_returnee_id', 'uuid', 'guardianReturneeId'),
    c('guardian_name', 'text', 'guardianName'),
    c('guardian_relation', 'text', 'guardianRelation'),
    c('follow_up_needed', 'boolean', 'followUpNeeded'),
    c('fit_for_school', 'boolean', 'fitForSchool'),
    c('accommodations_needed', 'text', 'accommodationsNeeded'),
    c('literacy_level', 'text', 'literacyLevel'),
    c('languages', 'text[]', 'languages'),
    c('special_classes', 'text[]', 'specialClasses'),
    c('enrolment_status', 'text', 'enrolmentStatus'),
    c('school', 'text', 'school'),
    c('grade', 'text', 'grade'),
    c('engagement_status', 'text', 'engagementStatus'),
  ],
};

export const CASE_ACCESS: TableSpec = {
  table: 'case_access',
  entityType: 'CaseAccess',
  columns: [
    c('id', 'uuid'),
    c('returnee_id', 'uuid', 'returnee'),
    c('agency_id', 'uuid', 'agency'),
    c('basis', 'text', 'basis'),
    c('cross_border', 'boolean', 'crossBorder'),
    c('reason', 'text', 'reason'),
    c('granted_by_id', 'uuid', 'grantedBy'),
    c('granted_at', 'timestamptz', 'grantedAt'),
    c('referral_id', 'uuid', 'referralId'),
  ],
};

export const REFERRAL: TableSpec = {
  table: 'referral',
  entityType: 'Referral',
  columns: [
    c('id', 'uuid'),
    c('returnee_id', 'uuid', 'returnee'),
    c('from_agency_id', 'uuid', 'fromAgency'),
    c('to_agency_id', 'uuid', 'toAgency'),
    c('service', 'text', 'service'),
    c('reason', 'text', 'reason'),
    c('cross_border', 'boolean', 'crossBorder'),
    c('status', 'text', 'status'),
    c('created_by_id', 'uuid', 'createdBy'),
    c('created_at', 'timestamptz', 'createdAt'),
    c('decided_by_id', 'uuid', 'decidedBy'),
    c('decided_at', 'timestamptz', 'decidedAt'),
    c('decision_note', 'text', 'decisionNote'),
    c('closed_at', 'timestamptz', 'closedAt'),
  ],
};

export const CONSENT: TableSpec = {
  table: 'consent',
  entityType: 'Consent',
  columns: [
    c('id', 'uuid'),
    c('returnee_id', 'uuid', 'returnee'),
    c('given_by', 'text', 'givenBy'),
    c('guardian_returnee_id', 'uuid', 'guardianReturneeId'),
    c('guardian_name', 'text', 'guardianName'),
    c('sectors', 'text[]', 'sectors'),
    c('sections', 'text[]', 'sections'),
    c('purpose', 'text', 'purpose'),
    c('valid_from', 'date', 'validFrom'),
    c('valid_until', 'date', 'validUntil'),
    c('agency_id', 'uuid', 'agency'),
    c('recorded_by_id', 'uuid', 'recordedBy'),
    c('recorded_at', 'timestamptz', 'recordedAt'),
    c('revoked_at', 'timestamptz', 'revokedAt'),
    c('revoked_by_id', 'uuid', 'revokedBy'),
    c('revocation_reason', 'text', 'revocationReason'),
  ],
};

/**
 * The tables of the sections' rows, by `Returnee` field (healthAssessments, supportSessions, …),
 * from the section declarations (src/sections/): a new section's rows need no spec here.
 */
export const SECTION_TABLES: Readonly<Record<string, TableSpec>> = Object.fromEntries(
  ROW_TABLES.map((t) => [t.field, { table: t.table, entityType: t.entityType, columns: storedColumns(t) }]),
);

const sqlCache = new Map<TableSpec, string>();

function insertSql(spec: TableSpec): string {
  let sql = sqlCache.get(spec);
  if (sql === undefined) {
    const names = spec.columns.map((col) => `"${col.name}"`).join(', ');
    const types = spec.columns.map((col) => `"${col.name}" ${col.type}`).join(', ');
    sql = `insert into "${spec.table}" (${names}) select ${names} from jsonb_to_recordset(?::jsonb) as x(${types})`;
    sqlCache.set(spec, sql);
  }
  return sql;
}

/**
 * Inserts `rows` in one statement inside the transaction of `tx`. The JSON goes to the server
 * as a bind parameter through knex: `Connection.execute` would first inline it as an escaped
 * literal, which for a multi-megabyte chunk costs more time (mostly garbage collection) than
 * the insert itself.
 */
export async function bulkInsert(tx: EntityManager, spec: TableSpec, rows: readonly Row[]): Promise<void> {
  if (rows.length === 0) return;
  const query = tx
    .getConnection()
    .getKnex()
    .raw(insertSql(spec), [JSON.stringify(rows)]);
  const trx = tx.getTransactionContext<Knex.Transaction>();
  await (trx ? query.transacting(trx) : query);
}

/** Entity fields a created row sets (columns with a value), for its audit event. */
export function fieldsSet(spec: TableSpec, row: Row): string[] {
  const out: string[] = [];
  for (const col of spec.columns) {
    if (col.field !== undefined && row[col.name] !== null && row[col.name] !== undefined) out.push(col.field);
  }
  return out;
}
