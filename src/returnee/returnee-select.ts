import { conditionSql, inline, type Sql } from '../access/condition-sql';
import type { SectionWitness } from '../access/basis';
import type { ReadProjection } from '../access/projection';

/**
 * One SQL statement for a page (or one record) of returnees as one caller may see them:
 *
 *   select <reference columns>, <one boolean per consent-gated field group>,
 *          <each requested field: its column, or CASE WHEN <its group holds> THEN column END>,
 *          <each requested section: CASE WHEN … THEN (json_agg of its rows, newest first) END>
 *   from (select r.*, <group conditions> from (<rows in scope, filtered, sorted, limited>) r offset 0) r
 *
 * Every condition is SQL from the caller's CASL rules (access/condition-sql.ts): the row scope
 * in the innermost WHERE, each field group's condition once per row of the page (`offset 0`
 * keeps PostgreSQL from copying it into every CASE). A value the caller may not see never
 * leaves the database, and the statement count does not grow with the page: one statement
 * instead of one per field group and one per section, and no ORM entities to hydrate (see
 * docs/bench.md for what that changed).
 */

const AGENCY = (a: string) =>
  `json_build_object('id', ${a}.id, 'code', ${a}.code, 'name', ${a}.name, 'sector', ${a}.sector, 'country', ${a}.country, 'createdAt', ${a}.created_at)`;

interface SectionSpec {
  table: string;
  /** GraphQL field → column of the section's table (`agency`: the agency that recorded it). */
  columns: Record<string, string>;
  orderBy: string;
  extraWhere?: string;
}

/**
 * A section's rows as a JSON array in the shape of its GraphQL type, ordered as the UI shows
 * it, with only the keys the client selected (all when `keys` is undefined): the agency is
 * joined only when asked for.
 */
function sectionSql(spec: SectionSpec, keys?: ReadonlySet<string>): string {
  const picked = Object.entries(spec.columns).filter(([key]) => !keys || keys.has(key));
  const object = picked.map(([key, column]) => `'${key}', ${key === 'agency' ? AGENCY('a') : `s.${column}`}`).join(', ');
  const join = picked.some(([key]) => key === 'agency') ? ' join agency a on a.id = s.agency_id' : '';
  return (
    `(select coalesce(json_agg(json_build_object(${object}) order by ${spec.orderBy}), '[]'::json) from ${spec.table} s${join}` +
    ` where s.returnee_id = r.id${spec.extraWhere ?? ''})`
  );
}

const SECTIONS: Readonly<Record<string, SectionSpec>> = {
  healthAssessments: {
    table: 'health_assessment',
    columns: {
      id: 'id',
      assessedOn: 'assessed_on',
      findings: 'findings',
      conditions: 'conditions',
      treatmentPlan: 'treatment_plan',
      vaccination: 'vaccination',
      disability: 'disability',
      mentalHealthNotes: 'mental_health_notes',
      followUpNeeded: 'follow_up_needed',
      fitForSchool: 'fit_for_school',
      accommodationsNeeded: 'accommodations_needed',
      agency: 'agency_id',
      createdAt: 'created_at',
    },
    orderBy: 's.assessed_on desc, s.created_at desc, s.id',
  },
  educationProgressNotes: {
    table: 'education_progress_note',
    columns: { id: 'id', notedOn: 'noted_on', note: 'note', agency: 'agency_id', recordedAt: 'recorded_at' },
    orderBy: 's.noted_on desc, s.recorded_at desc, s.id',
  },
  civilDocuments: {
    table: 'civil_document',
    columns: {
      id: 'id',
      type: 'type',
      status: 'status',
      number: 'number',
      issuedOn: 'issued_on',
      issuingAuthority: 'issuing_authority',
      appliedOn: 'applied_on',
      notes: 'notes',
      agency: 'agency_id',
      recordedAt: 'recorded_at',
    },
    orderBy: 's.type, s.id',
    extraWhere: ' and s.superseded_at is null',
  },
  socialSupport: {
    table: 'social_support_measure',
    columns: {
      id: 'id',
      kind: 'kind',
      description: 'description',
      startedOn: 'started_on',
      endedOn: 'ended_on',
      provider: 'provider',
      decidingAuthority: 'deciding_authority',
      guardianName: 'guardian_name',
      agency: 'agency_id',
      recordedAt: 'recorded_at',
    },
    orderBy: 's.started_on desc, s.recorded_at desc, s.id',
  },
  supportSessions: {
    table: 'support_session',
    columns: {
      id: 'id',
      kind: 'kind',
      startedOn: 'started_on',
      endedOn: 'ended_on',
      place: 'place',
      notes: 'notes',
      riskNotes: 'risk_notes',
      agency: 'agency_id',
      recordedAt: 'recorded_at',
    },
    orderBy: 's.started_on desc, s.recorded_at desc, s.id',
  },
};

/**
 * The SQL of each readable field that is not simply its own column (sections: SECTIONS).
 * `documentStatuses` derives from the current civil documents (status and date, never numbers);
 * `isMinor` is computed from the column named here (returnee.view.ts); `household` needs the
 * caller's scope (householdSql).
 */
const FIELD_SQL: Readonly<Record<string, string>> = {
  // text[] as JSON: the driver parses JSON natively, PostgreSQL's array text form in JavaScript.
  otherNames: 'to_json(r.other_names)',
  languages: 'to_json(r.languages)',
  specialClasses: 'to_json(r.special_classes)',
  isMinor: 'r.date_of_birth',
  registeringAgency: `(select ${AGENCY('a')} from agency a where a.id = r.registering_agency_id)`,
  documentStatuses:
    `(select coalesce(json_agg(json_build_object('type', d.type, 'status', d.status, 'recordedAt', d.recorded_at)), '[]'::json)` +
    ' from civil_document d where d.returnee_id = r.id and d.superseded_at is null)',
};

const PROPERTY = /^[a-z][a-zA-Z0-9]*$/;

/** The column of a plain field (`familyName` → `r.family_name`); field names come from the schema, checked anyway. */
export function columnOf(field: string): string {
  if (!PROPERTY.test(field)) throw new Error(`returnee-select: unexpected field "${field}"`);
  return `r.${field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;
}

/**
 * Family links as a unit: the record's guardian and wards that are in the caller's own row scope
 * (the scope compiled again over the member `m`), named by id and case number only; their
 * contents come from reading them.
 */
function householdSql(p: ReadProjection, params: unknown[]): string {
  return (
    `(select coalesce(json_agg(json_build_object('id', m.id, 'caseNumber', m.case_number, 'relation', rel.relation)` +
    " order by m.case_number, rel.relation), '[]'::json) from returnee m" +
    " cross join lateral (values ('GUARDIAN', m.id = r.guardian_returnee_id), ('WARD', m.guardian_returnee_id = r.id)) rel(relation, holds)" +
    ` where (m.id = r.guardian_returnee_id or m.guardian_returnee_id = r.id) and rel.holds and ${conditionSql(p.scopeTemplate, 'm', params)})`
  );
}

function fieldSql(p: ReadProjection, field: string, keys: ReadonlySet<string> | undefined, params: unknown[]): string {
  if (field in SECTIONS) return sectionSql(SECTIONS[field], keys);
  if (field === 'household') return householdSql(p, params);
  return FIELD_SQL[field] ?? columnOf(field);
}

export interface SelectSpec {
  projection: ReadProjection;
  /** Requested fields the policy may permit (not id, caseNumber, version, redactedFields, __typename). */
  fields: string[];
  /** Evaluate every field group (for redactedFields), not only those of requested fields. */
  allGroups: boolean;
  /** The keys selected inside a section field (all when undefined). */
  subfields?: (field: string) => ReadonlySet<string> | undefined;
  /** Over the returnee row `r`: scope, filters, cursor. */
  where: Sql;
  /** `r.<column> asc|desc` terms; also returned as column `sort_key` (the first term's column). */
  orderBy?: { column: string; direction: 'asc' | 'desc' };
  limit?: number;
  /**
   * The basis of each shared section shown (access/basis.ts): per field group, the sections it
   * discloses and the SQL naming the basis on a row where the group holds.
   */
  witnesses?: (group: number) => readonly SectionWitness[];
  /** Ask the basis of every evaluated group, shown or not (history discloses fields it does not select). */
  witnessAll?: boolean;
}

/** How to read the answer: which group index gates which field, and the column alias of each field. */
export interface SelectPlan {
  sql: Sql;
  /** Index into projection.groups of each evaluated group, in the order of columns g0, g1, … */
  groups: number[];
  /** Column alias per requested field (f0, f1, …). */
  fieldColumns: Map<string, string>;
  /** Per evaluated group (as in `groups`): the column alias of each shown section's basis. */
  basisColumns: Map<number, { section: string; column: string }[]>;
}

export function buildSelect(spec: SelectSpec): SelectPlan {
  const { projection: p } = spec;
  const groupOf = new Map<string, number>();
  p.groups.forEach((g, i) => g.fields.forEach((f) => groupOf.set(f, i)));

  const groups = p.groups.map((_, i) => i).filter((i) => spec.allGroups || spec.fields.some((f) => groupOf.get(f) === i));
  const groupParams: unknown[] = [];
  const groupColumns = groups.map((gi, k) => `${inline(p.groups[gi].sql, groupParams)} as g${k}`);
  const outputParams: unknown[] = [];

  const fieldColumns = new Map<string, string>();
  const outputs = ['r.id', 'r.case_number', 'r.version'];
  if (spec.orderBy) outputs.push(`${spec.orderBy.column} as sort_key`);
  groups.forEach((_, k) => outputs.push(`r.g${k}`));
  spec.fields.forEach((field, i) => {
    const gi = groupOf.get(field);
    if (gi === undefined && !p.base.has(field)) return; // not readable at all: stays null, listed as denied
    const alias = `f${i}`;
    fieldColumns.set(field, alias);
    const value = fieldSql(p, field, spec.subfields?.(field), outputParams);
    outputs.push(gi === undefined ? `${value} as ${alias}` : `case when r.g${groups.indexOf(gi)} then ${value} end as ${alias}`);
  });
  // Why each shared section shown is disclosed, where its group holds: one column per section.
  const basisColumns = new Map<number, { section: string; column: string }[]>();
  groups.forEach((gi, k) => {
    if (!spec.witnesses || !(spec.witnessAll || spec.fields.some((f) => groupOf.get(f) === gi))) return;
    const columns = spec.witnesses(gi).map((w, i) => {
      const column = `b${k}_${i}`;
      outputs.push(`case when r.g${k} then ${inline(w.sql, outputParams)} end as ${column}`);
      return { section: w.section, column };
    });
    basisColumns.set(k, columns);
  });

  const order = spec.orderBy ? ` order by ${spec.orderBy.column} ${spec.orderBy.direction}, r.id ${spec.orderBy.direction}` : '';
  const limit = spec.limit !== undefined ? ' limit ?' : '';
  const rows = `select r.* from returnee r where ${spec.where.text}${order}${limit}`;
  const gated = `select r.*${groupColumns.map((c) => `, ${c}`).join('')} from (${rows}) r offset 0`;
  return {
    sql: {
      text: `select ${outputs.join(', ')} from (${gated}) r${order}`,
      params: [...outputParams, ...groupParams, ...spec.where.params, ...(spec.limit !== undefined ? [spec.limit] : [])],
    },
    groups,
    fieldColumns,
    basisColumns,
  };
}
