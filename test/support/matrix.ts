import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  buildSchema,
  getNamedType,
  getNullableType,
  isLeafType,
  isListType,
  isObjectType,
  type GraphQLInputObjectType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import type { Client } from 'pg';
import { POLICIES } from '../../policies';
import { SECTORS, type Role, type Sector, type SectorPolicy } from '../../src/access/policy';
import { DERIVED_FIELDS, fieldsOfSections, Section, SECTION_FIELDS } from '../../src/access/sections';
import { ROW_TABLES } from '../../src/sections/registry';
import { expectedBasis, type RecordState } from './matrix-basis';

/**
 * The policy matrix, generated from the policy files (policies/*.policy.ts via POLICIES) and
 * the section field lists (SECTION_FIELDS): every expectation below is computed from those two,
 * so editing a policy file changes what test/policy-matrix.test.ts expects, never its code.
 *
 * What is written by hand here is only the API's shape: which mutation is a section's write
 * path (DESIGN.md §5 names them) and how to read its stored value back with SQL.
 */

// ---------------------------------------------------------------------------------------------
// The API
// ---------------------------------------------------------------------------------------------

/**
 * The checked-in SDL (kept current by test/contract.test.ts): the input types, which the cases
 * need when jest collects them (synchronously). Read selections use the schema the hub serves.
 */
const sdl = buildSchema(readFileSync(path.join(__dirname, '../../schema/schema.graphql'), 'utf8'));

/** `field`, or `field { leaf leaf … }` for an object or list field (the scalar and enum leaves of its type). */
export function selectionOf(schema: GraphQLSchema, field: string): string {
  const returnee = schema.getType('Returnee');
  if (!isObjectType(returnee)) throw new Error('the schema has no Returnee type');
  const def = returnee.getFields()[field];
  if (!def) throw new Error(`SECTION_FIELDS names ${field}, which Returnee in the hub's schema does not have`);
  const named = getNamedType(def.type);
  if (isLeafType(named)) return field;
  const leaves = Object.values((named as GraphQLObjectType).getFields())
    .filter((f) => f.args.length === 0 && isLeafType(getNamedType(f.type)))
    .map((f) => f.name);
  return `${field} { ${leaves.join(' ')} }`;
}

/** A query asking for every field of one section of one record. */
export function sectionReadQuery(schema: GraphQLSchema, section: Section): string {
  return `query MatrixRead($id: ID!) { returnee(id: $id) { id redactedFields ${SECTION_FIELDS[section].map((f) => selectionOf(schema, f)).join(' ')} } }`;
}

/** Fields every registration carries (RegisterReturneeInput: "givenName, familyName, sex and dateOfBirth are required"). */
export const REQUIRED_ON_REGISTRATION = ['givenName', 'familyName', 'sex', 'dateOfBirth'] as const;

/**
 * The representative field of `section` in `inputType`: its first field that the input accepts
 * as free text (String or [String]), is not derived by the hub and is not a required name field
 * (names are validated as letters only; a marker value must pass validation untouched).
 */
export function representativeField(inputType: string, section: Section): { field: string; list: boolean } {
  const input = sdl.getType(inputType) as GraphQLInputObjectType;
  const fields = input.getFields();
  for (const field of SECTION_FIELDS[section]) {
    const def = fields[field];
    if (!def || DERIVED_FIELDS.has(field) || (REQUIRED_ON_REGISTRATION as readonly string[]).includes(field)) continue;
    if (getNamedType(def.type).name !== 'String') continue;
    return { field, list: isListType(getNullableType(def.type)) };
  }
  throw new Error(`${inputType} has no free-text field of section ${section}`);
}

const snake = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

// ---------------------------------------------------------------------------------------------
// What the policy says
// ---------------------------------------------------------------------------------------------

/** The sections of DESIGN.md §3 (REFERENCE is not one: it is what anyone who sees a record sees). */
export const MATRIX_SECTIONS: readonly Section[] = Object.values(Section).filter((s) => s !== Section.REFERENCE);
export const MATRIX_SECTORS: readonly Sector[] = SECTORS;

/** The consent the read fixtures carry (test/support/factories.ts giveConsent's defaults, spelled out). */
export const FULL_CONSENT = { sectors: ['HEALTH', 'EDUCATION', 'SOCIAL', 'NGO'] as Sector[], sections: [...MATRIX_SECTIONS] as string[] };

/** The staff member each sector's cases run as: a caseworker where the policy has them, else its first role that does anything. */
export function matrixRole(policy: SectorPolicy): Role {
  const roles = [...policy.writeRoles, ...policy.readRoles, ...policy.auditRoles, ...policy.adminRoles];
  if (roles.length === 0) throw new Error(`the ${policy.sector} policy grants no role anything`);
  return roles.includes('CASEWORKER') ? 'CASEWORKER' : roles[0];
}

/** May this role read returnee records at all (else every read is FORBIDDEN)? */
export function readsRecords(policy: SectorPolicy, role: Role): boolean {
  return policy.recordScope !== 'none' && policy.readRoles.includes(role);
}

/**
 * Is a record registered by another agency of the same country, to which the sector's agency
 * holds case access, in its scope? (`case`: through the access; `country`: same country.)
 */
export function fixtureInScope(policy: SectorPolicy): boolean {
  return policy.recordScope !== 'none';
}

export { expectedBasis, type RecordState };

/** The sections this sector's role sees on a record in scope (REFERENCE included). */
export function visibleSections(policy: SectorPolicy, role: Role, record: RecordState): Set<Section> {
  const out = new Set<Section>();
  if (!readsRecords(policy, role) || !fixtureInScope(policy)) return out;
  out.add(Section.REFERENCE);
  for (const section of Object.keys(policy.sections) as Section[]) if (expectedBasis(policy, record, section, role)) out.add(section);
  return out;
}

/** Fields this sector's role may write: those of the sections its policy grants `write`, less derived ones. */
export function writableFields(policy: SectorPolicy, role: Role): Set<string> {
  if (!policy.writeRoles.includes(role)) return new Set();
  const own = (Object.entries(policy.sections) as [Section, 'read' | 'write'][]).filter(([, a]) => a === 'write').map(([s]) => s);
  return new Set(fieldsOfSections(own).filter((f) => !DERIVED_FIELDS.has(f)));
}

// ---------------------------------------------------------------------------------------------
// Write paths: the operation that creates or updates each section
// ---------------------------------------------------------------------------------------------

/** The record a write acts on, made fresh for each case. */
export interface WriteTarget {
  returneeId: string | null;
  version: number;
  /** A unique value the write stores, to find it again. */
  marker: string;
  /** A unique letters-only family name (registrations). */
  familyName: string;
}

export interface WritePath {
  /** The GraphQL mutation. */
  mutation: string;
  /**
   * The record to act on: `filled` has every section filled (updates change a value that is
   * there), `blank` only the registration data (creates add the section's first value), `none`
   * for registrations, which make their own.
   */
  target: 'filled' | 'blank' | 'none';
  /** The Returnee fields the operation writes: the unit of authorization. */
  fields: string[];
  /** Sections besides the cell's own whose fields the operation necessarily writes. */
  alsoWrites: Section[];
  registers: boolean;
  request(t: WriteTarget): { query: string; variables: Record<string, unknown> };
  /** The stored value of the section (SQL), before and after. */
  probe(db: Client, t: WriteTarget): Promise<unknown>;
  /** What the probe must read after a successful write. */
  expected(before: unknown, t: WriteTarget): unknown;
  /** Audit events a successful write leaves (besides possibly a READ of the payload). */
  events: { action: 'CREATE' | 'UPDATE'; entityType: string }[];
}

const PAYLOAD = '{ returnee { id } }';

async function column(db: Client, returneeId: string | null, field: string): Promise<unknown> {
  return (await db.query(`select ${snake(field)} as v from returnee where id = $1`, [returneeId])).rows[0]?.v;
}

async function values(db: Client, sql: string, params: unknown[]): Promise<unknown[]> {
  return (await db.query(sql, params)).rows.map((r) => r.v).sort();
}

const appended = (before: unknown, value: unknown) => [...(before as unknown[]), value].sort();

function updateReturneePath(section: Section): WritePath {
  const { field, list } = representativeField('UpdateReturneeInput', section);
  return {
    mutation: 'updateReturnee',
    target: 'filled',
    fields: [field],
    alsoWrites: [],
    registers: false,
    request: (t) => ({
      query: `mutation MatrixUpdate($id: ID!, $v: Int!, $input: UpdateReturneeInput!) { updateReturnee(id: $id, expectedVersion: $v, input: $input) ${PAYLOAD} }`,
      variables: { id: t.returneeId, v: t.version, input: { [field]: list ? [t.marker] : t.marker } },
    }),
    probe: (db, t) => column(db, t.returneeId, field),
    expected: (_, t) => (list ? [t.marker] : t.marker),
    events: [{ action: 'UPDATE', entityType: 'Returnee' }],
  };
}

function registerReturneePath(section: Section): WritePath {
  const { field, list } = representativeField('RegisterReturneeInput', section);
  return {
    mutation: 'registerReturnee',
    target: 'none',
    fields: [...REQUIRED_ON_REGISTRATION, field],
    alsoWrites: [Section.IDENTITY],
    registers: true,
    request: (t) => ({
      query: `mutation MatrixRegister($input: RegisterReturneeInput!) { registerReturnee(input: $input) ${PAYLOAD} }`,
      variables: {
        input: {
          givenName: 'Madina',
          familyName: t.familyName,
          sex: 'FEMALE',
          dateOfBirth: '1996-07-21',
          [field]: list ? [t.marker] : t.marker,
        },
      },
    }),
    probe: (db, t) => values(db, `select ${snake(field)} as v from returnee where family_name = $1`, [t.familyName]),
    expected: (_, t) => [list ? [t.marker] : t.marker],
    events: [{ action: 'CREATE', entityType: 'Returnee' }],
  };
}

function updateEducationPath(section: Section, target: 'filled' | 'blank'): WritePath {
  const { field, list } = representativeField('UpdateEducationInput', section);
  return {
    mutation: 'updateEducation',
    target,
    fields: [field],
    alsoWrites: [],
    registers: false,
    request: (t) => ({
      query: `mutation MatrixEducation($id: ID!, $v: Int!, $input: UpdateEducationInput!) { updateEducation(returneeId: $id, expectedVersion: $v, input: $input) ${PAYLOAD} }`,
      variables: { id: t.returneeId, v: t.version, input: { [field]: list ? [t.marker] : t.marker } },
    }),
    probe: (db, t) => column(db, t.returneeId, field),
    expected: (_, t) => (list ? [t.marker] : t.marker),
    events: [{ action: 'UPDATE', entityType: 'Returnee' }],
  };
}

function progressNotePath(): WritePath {
  return {
    mutation: 'updateEducation',
    target: 'blank',
    fields: ['educationProgressNotes'],
    alsoWrites: [],
    registers: false,
    request: (t) => ({
      query: `mutation MatrixNote($id: ID!, $v: Int!, $input: UpdateEducationInput!) { updateEducation(returneeId: $id, expectedVersion: $v, input: $input) ${PAYLOAD} }`,
      variables: { id: t.returneeId, v: t.version, input: { progressNote: { notedOn: '2024-05-02', note: t.marker } } },
    }),
    probe: (db, t) => values(db, 'select note as v from education_progress_note where returnee_id = $1', [t.returneeId]),
    expected: (before, t) => appended(before, t.marker),
    events: [{ action: 'CREATE', entityType: 'EducationProgressNote' }],
  };
}

/**
 * Appending a row to a section kept in rows of its own, as its declaration says (src/sections/,
 * `write`): the mutation with the declared example input, the marker in the declared free-text
 * column, read back from the section's table. An examination (HEALTH) also writes the
 * HEALTH_FLAGS the hub derives from the newest one (`alsoWrites`).
 */
function rowWritePath(section: Section, target: 'filled' | 'blank'): WritePath | undefined {
  const table = ROW_TABLES.find((t) => t.section === section && t.write);
  if (!table?.write) return undefined;
  const { mutation, input, example, marker } = table.write;
  const also = (table.write.alsoWrites ?? []) as Section[];
  return {
    mutation,
    target,
    fields: fieldsOfSections([section, ...also]),
    alsoWrites: also,
    registers: false,
    request: (t) => ({
      query: `mutation MatrixRow($id: ID!, $input: ${input}!) { ${mutation}(returneeId: $id, input: $input) ${PAYLOAD} }`,
      variables: { id: t.returneeId, input: { ...example, [marker]: t.marker } },
    }),
    probe: (db, t) => values(db, `select ${snake(marker)} as v from ${table.table} where returnee_id = $1`, [t.returneeId]),
    expected: (before, t) => appended(before, t.marker),
    events: [{ action: 'CREATE', entityType: table.entityType }],
  };
}

/**
 * A civil document. DOCUMENTS: its number (a new type on a blank record, a new number for the
 * passport of a filled one); DOCUMENTS_STATUS: its status only (a first application for a
 * birth certificate, or the passport's renewal ISSUED → APPLIED). The statuses are derived
 * from the documents, so both write `civilDocuments`.
 */
function civilDocumentPath(section: typeof Section.DOCUMENTS | typeof Section.DOCUMENTS_STATUS, target: 'filled' | 'blank'): WritePath {
  const status = section === Section.DOCUMENTS_STATUS;
  const type = target === 'filled' ? 'PASSPORT' : status ? 'BIRTH_CERTIFICATE' : 'ID_CARD';
  return {
    mutation: 'recordCivilDocument',
    target,
    fields: [...SECTION_FIELDS.DOCUMENTS],
    alsoWrites: status ? [Section.DOCUMENTS] : [],
    registers: false,
    request: (t) => ({
      query: `mutation MatrixDocument($id: ID!, $input: RecordCivilDocumentInput!) { recordCivilDocument(returneeId: $id, input: $input) ${PAYLOAD} }`,
      variables: {
        id: t.returneeId,
        input: status
          ? { type, status: 'APPLIED', appliedOn: '2024-05-02' }
          : { type, status: 'ISSUED', number: t.marker, issuedOn: '2024-05-02' },
      },
    }),
    probe: (db, t) =>
      values(
        db,
        `select ${status ? 'status' : 'number'} as v from civil_document where returnee_id = $1 and type = $2 and superseded_at is null`,
        [t.returneeId, type],
      ),
    expected: (_, t) => [status ? 'APPLIED' : t.marker],
    events: [{ action: 'CREATE', entityType: 'CivilDocument' }],
  };
}

/** The engagement status travels with a session: PSYCHOSOCIAL_SUMMARY, written together with PSYCHOSOCIAL. */
function engagementPath(target: 'filled' | 'blank'): WritePath {
  // Fixtures: a filled record is ENGAGED, a blank one has no status yet.
  const next = target === 'filled' ? 'IRREGULAR' : 'ENGAGED';
  return {
    mutation: 'recordSupportSession',
    target,
    fields: [...SECTION_FIELDS.PSYCHOSOCIAL, ...SECTION_FIELDS.PSYCHOSOCIAL_SUMMARY],
    alsoWrites: [Section.PSYCHOSOCIAL],
    registers: false,
    request: (t) => ({
      query: `mutation MatrixEngagement($id: ID!, $input: RecordSupportSessionInput!) { recordSupportSession(returneeId: $id, input: $input) ${PAYLOAD} }`,
      variables: { id: t.returneeId, input: { kind: 'GROUP_SESSION', startedOn: '2024-05-02', notes: t.marker, engagementStatus: next } },
    }),
    probe: (db, t) => column(db, t.returneeId, 'engagementStatus'),
    expected: () => next,
    events: [
      { action: 'UPDATE', entityType: 'Returnee' },
      { action: 'CREATE', entityType: 'SupportSession' },
    ],
  };
}

/**
 * The write path of each (section, action) cell. `update` changes a value a filled record
 * already has; `create` brings a new value into being:
 *
 * | section              | create                                              | update                                   |
 * |----------------------|-----------------------------------------------------|------------------------------------------|
 * | IDENTITY             | registerReturnee + patronymic                       | updateReturnee patronymic                |
 * | CONTACT              | registerReturnee + region                           | updateReturnee region                    |
 * | HEALTH_FLAGS         | registerReturnee + accommodationsNeeded             | updateReturnee accommodationsNeeded      |
 * | HEALTH               | recordHealthAssessment, first one                   | recordHealthAssessment, a newer one      |
 * | EDUCATION            | updateEducation progressNote (a new note row)       | updateEducation languages                |
 * | EDUCATION_SUMMARY    | updateEducation school, first value (closest path:  | updateEducation school, changed          |
 * |                      |   a summary has no rows of its own)                 |                                          |
 * | DOCUMENTS            | recordCivilDocument ID_CARD with number, first one  | recordCivilDocument PASSPORT, new number |
 * | DOCUMENTS_STATUS     | recordCivilDocument BIRTH_CERTIFICATE APPLIED, no   | recordCivilDocument PASSPORT ISSUED →    |
 * |                      |   number (closest path: statuses follow documents)  |   APPLIED, no number                     |
 * | SOCIAL_SUPPORT       | recordSocialSupport, first measure                  | recordSocialSupport, another measure     |
 * | PSYCHOSOCIAL         | recordSupportSession, first session                 | recordSupportSession, another session    |
 * | PSYCHOSOCIAL_SUMMARY | recordSupportSession + engagementStatus, first      | recordSupportSession + engagementStatus, |
 * |                      |   value (closest path: the summary has no rows)     |   changed                                |
 *
 * The representative fields (patronymic, region, …) are not named here: representativeField()
 * picks them from SECTION_FIELDS and the input types of the SDL. The row sections' writes
 * (HEALTH, SOCIAL_SUPPORT, PSYCHOSOCIAL) come from their declarations (src/sections/, `write`).
 * Append-only sections (HEALTH, DOCUMENTS, SOCIAL_SUPPORT, PSYCHOSOCIAL) are never updated in
 * place: their update adds to a section that already has rows (a document: a new version).
 */
export function writePath(section: Section, action: 'create' | 'update'): WritePath {
  const target = action === 'create' ? 'blank' : 'filled';
  switch (section) {
    case Section.IDENTITY:
    case Section.CONTACT:
    case Section.HEALTH_FLAGS:
      return action === 'create' ? registerReturneePath(section) : updateReturneePath(section);
    case Section.EDUCATION:
      return action === 'create' ? progressNotePath() : updateEducationPath(section, 'filled');
    case Section.EDUCATION_SUMMARY:
      return updateEducationPath(section, target);
    case Section.DOCUMENTS:
    case Section.DOCUMENTS_STATUS:
      return civilDocumentPath(section, target);
    case Section.PSYCHOSOCIAL_SUMMARY:
      return engagementPath(target);
    default: {
      // A section kept in rows: its declaration says how to append one (HEALTH, SOCIAL_SUPPORT, PSYCHOSOCIAL).
      const path = rowWritePath(section, target);
      if (!path) throw new Error(`no write path for section ${section}: declare its rows' \`write\` in src/sections/`);
      return path;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The generated cases
// ---------------------------------------------------------------------------------------------

export const READ_RECORDS = {
  consented: { label: 'with consent', minor: false, consent: FULL_CONSENT },
  adult: { label: 'no consent, adult', minor: false, consent: null },
  minor: { label: 'no consent, minor', minor: true, consent: null },
  agreed: { label: 'with consent and an agreement', minor: false, consent: FULL_CONSENT, agreement: 'active' },
  lapsed: { label: 'with consent, agreement expired', minor: false, consent: FULL_CONSENT, agreement: 'expired' },
  glass: { label: 'no consent, break-glass window open', minor: false, consent: null, window: 'open' },
  glassEnded: { label: 'no consent, break-glass window expired', minor: false, consent: null, window: 'expired' },
} as const satisfies Record<string, RecordState & { label: string }>;
export type ReadRecordKey = keyof typeof READ_RECORDS;

export interface ReadCase {
  name: string;
  sector: Sector;
  section: Section;
  record: ReadRecordKey;
  /** null: the read is refused (FORBIDDEN) */
  visible: string[] | null;
  hidden: string[];
}

export interface WriteCase {
  name: string;
  sector: Sector;
  section: Section;
  action: 'create' | 'update';
  path: WritePath;
  allowed: boolean;
  /** When refused: FORBIDDEN, or NOT_FOUND when the sector writes the fields but the record is out of its scope. */
  refusal: 'FORBIDDEN' | 'NOT_FOUND';
  /** Fields the DENY event must name (empty when the refusal is to register at all). */
  deniedFields: string[];
}

export function readCases(sector: Sector): ReadCase[] {
  const policy = POLICIES[sector];
  const role = matrixRole(policy);
  return MATRIX_SECTIONS.flatMap((section) =>
    (Object.keys(READ_RECORDS) as ReadRecordKey[]).map((record) => {
      const fields = SECTION_FIELDS[section];
      if (!readsRecords(policy, role)) {
        return {
          name: `${sector} × ${section} × read (${READ_RECORDS[record].label}) → refused`,
          sector,
          section,
          record,
          visible: null,
          hidden: [...fields],
        };
      }
      const readable = new Set(fieldsOfSections(visibleSections(policy, role, READ_RECORDS[record])));
      const visible = fields.filter((f) => readable.has(f));
      const hidden = fields.filter((f) => !readable.has(f));
      const outcome = hidden.length === 0 ? 'visible' : visible.length === 0 ? 'redacted' : `redacted except ${visible.join(', ')}`;
      return {
        name: `${sector} × ${section} × read (${READ_RECORDS[record].label}) → ${outcome}`,
        sector,
        section,
        record,
        visible,
        hidden,
      };
    }),
  );
}

export function writeCases(sector: Sector): WriteCase[] {
  const policy = POLICIES[sector];
  const role = matrixRole(policy);
  const writable = writableFields(policy, role);
  const ownsSection = (s: Section) => policy.sections[s] === 'write' && policy.writeRoles.includes(role);
  const mayRegister = policy.registersReturnees && policy.writeRoles.includes(role);
  return MATRIX_SECTIONS.flatMap((section) =>
    (['create', 'update'] as const).map((action) => {
      const path = writePath(section, action);
      const unwritable = path.fields.filter((f) => !writable.has(f));
      const writes = [section, ...path.alsoWrites].every(ownsSection) && unwritable.length === 0 && (!path.registers || mayRegister);
      const inScope = path.registers || fixtureInScope(policy);
      const allowed = writes && inScope;
      const deniedFields = path.registers && !mayRegister ? [] : unwritable;
      return {
        name: `${sector} × ${section} × ${action} → ${allowed ? 'allowed' : 'refused'}`,
        sector,
        section,
        action,
        path,
        allowed,
        refusal: writes ? 'NOT_FOUND' : 'FORBIDDEN',
        deniedFields,
      } satisfies WriteCase;
    }),
  );
}
