import { SECTIONS, type SectionName } from '../sections/registry';

/**
 * The shared returnee record is split into sections; policies grant sections, never
 * single columns, so a data-protection officer reviews a matrix rather than a field list.
 * Each section names the GraphQL/entity fields of `Returnee` it covers. The sections are
 * declared once, in src/sections/ (docs/adding-a-section.md); this is what the policy
 * compiler reads of them.
 */
export type Section = SectionName;
export const Section = Object.freeze(Object.fromEntries(SECTIONS.map((d) => [d.name, d.name]))) as {
  readonly [S in SectionName]: S;
};

/** Fields per section, in declaration order. */
export const SECTION_FIELDS: Readonly<Record<Section, readonly string[]>> = Object.freeze(
  Object.fromEntries(SECTIONS.map((d) => [d.name, d.fields])) as Record<Section, readonly string[]>,
);

/**
 * Fields the hub derives or sets itself; readable, never written through an input.
 * `documentStatuses` follows the civil documents (recordCivilDocument needs `civilDocuments`).
 */
export const DERIVED_FIELDS: ReadonlySet<string> = new Set(SECTIONS.flatMap((d) => d.derived ?? []));

/** Every readable field of a returnee, in declaration order (used for redactedFields). */
export const ALL_RETURNEE_FIELDS: readonly string[] = [...new Set(Object.values(SECTION_FIELDS).flat())];

export function fieldsOfSections(sections: Iterable<Section>): string[] {
  const out = new Set<string>();
  for (const s of sections) for (const f of SECTION_FIELDS[s]) out.add(f);
  return [...out];
}

/** The section(s) a field belongs to (a field may appear in REFERENCE and IDENTITY). */
export function sectionsOfField(field: string): Section[] {
  return (Object.keys(SECTION_FIELDS) as Section[]).filter((s) => SECTION_FIELDS[s].includes(field));
}
