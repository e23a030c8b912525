/**
 * The shape of a section declaration (docs/adding-a-section.md). A section is the unit a policy
 * grants: a named set of `Returnee` fields. Its declaration says, as plain data, everything the
 * hub derives from it: the fields and which of them the hub sets itself (access/sections.ts),
 * for a field kept in rows of its own the table, columns and order (the page statement, the
 * view, the seed's bulk writer, the audit view's entity type, what a merge moves), and how the
 * policy matrix writes it (test/support/matrix.ts).
 *
 * Pure data: this folder imports nothing outside itself, so the policy compiler (src/access)
 * may read it while the feature modules stay above both (eslint.config.mjs, boundary `sections`).
 */

/** A column's SQL type, as the migration created it and `jsonb_to_recordset` reads it. */
export type ColumnType = 'uuid' | 'text' | 'text[]' | 'date' | 'boolean' | 'int' | 'timestamptz';

/**
 * A field kept as rows of its own table (one row per examination, note, document, measure,
 * session). Every such row carries its returnee, the recording agency and staff member
 * (src/returnee/section-row.ts); the declaration lists only the row's own columns.
 */
export interface RowTable {
  /** The entity class: the audit event's entityType and the merge's name for the row. */
  entityType: string;
  table: string;
  /**
   * The row's own columns as GraphQL field (= entity property) → SQL type, in the order the
   * GraphQL type lists them; the column is the snake_case of the field.
   */
  columns: Readonly<Record<string, ColumnType>>;
  /** Columns stored but never shown (e.g. `supersededAt`), written by the seed after the stamp. */
  internal?: Readonly<Record<string, ColumnType>>;
  /**
   * When the row was written. `recordedAt` (RecordedSectionRow); health assessments predate the
   * convention and call it `createdAt`, with the owner columns before their own in the seed.
   */
  stamp: 'recordedAt' | 'createdAt';
  /** The order the record shows the rows in, over the row alias `s`. */
  orderBy: string;
  /** A condition over `s` naming the rows shown (e.g. only current versions), or none. */
  shown?: string;
}

/**
 * How the policy matrix (test/support/matrix.ts) appends a row to this field: the mutation, its
 * input type, an input that passes validation, and the free-text column that carries the
 * test's marker value (read back from the table to prove the write landed).
 */
export interface RowWrite {
  mutation: string;
  input: string;
  example: Readonly<Record<string, unknown>>;
  marker: string;
  /** Sections besides this one whose fields the mutation necessarily writes (an examination sets HEALTH_FLAGS). */
  alsoWrites?: readonly string[];
}

export interface SectionDeclaration<N extends string = string> {
  name: N;
  /** The `Returnee` fields of the section, in the order of the GraphQL type. */
  fields: readonly string[];
  /** Fields the hub derives or sets itself: readable, never written through an input. */
  derived?: readonly string[];
  /** Fields kept in rows of their own table. */
  rows?: Readonly<Record<string, RowTable & { write?: RowWrite }>>;
}

/** Declares a section, keeping its name as a literal type (the `Section` union is built from them). */
export function declareSection<const N extends string>(declaration: SectionDeclaration<N>): SectionDeclaration<N> {
  return declaration;
}
