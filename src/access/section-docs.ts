import { POLICIES } from '../../policies';
import type { Sector } from './policy';
import { Section, sectionsOfField } from './sections';

/**
 * The "who may see it" part of the schema's descriptions, derived from the section declaration
 * (sections.ts) and the sector policies (policies/), so the SDL an integrator reads states the
 * policies in force and cannot drift from them (STYLE rule 11). The policies are source files,
 * reviewed and deployed with the code, so the emitted schema is the deployment's own.
 */
const SECTORS = Object.keys(POLICIES) as Sector[];

function list(sectors: Sector[]): string {
  return sectors.length === 0 ? 'no sector' : sectors.join(', ');
}

/** One sentence: which sectors write a section, which read it under consent, and the minors' exception. */
export function sectionAudience(section: Section): string {
  if (section === Section.REFERENCE) {
    return 'REFERENCE: shown to every agency that sees the record at all, and to auditors of its country.';
  }
  const writers = SECTORS.filter((s) => POLICIES[s].sections[section] === 'write');
  const readers = SECTORS.filter((s) => POLICIES[s].sections[section] === 'read');
  const minors = readers.filter((s) => POLICIES[s].minorsWithoutConsent?.sections.includes(section));
  let text = `${section} section: written by ${list(writers)}`;
  text +=
    readers.length > 0 ? `; read by ${list(readers)} only while a consent of the returnee covers them` : '; shared with no other sector';
  if (minors.length > 0) text += ` (${list(minors)}: also for a minor without consent, on the legal basis its policy names)`;
  const roles = [...new Set([...writers, ...readers].flatMap((s) => POLICIES[s].readRoles))];
  return `${text}. Within those sectors, staff with role ${roles.join(' or ')} read it.`;
}

/**
 * The description of a `Returnee` field: what it means, then its section's audience, then what a
 * caller who may not read it gets back.
 */
export function returneeFieldDoc(field: string, what: string): string {
  const sections = sectionsOfField(field);
  const section = sections.includes(Section.REFERENCE) ? Section.REFERENCE : sections[0];
  if (!section) throw new Error(`section-docs: ${field} is in no section`);
  if (section === Section.REFERENCE) return `${what} ${sectionAudience(section)}`;
  return `${what} ${sectionAudience(section)} Null, and listed in redactedFields, when you may not read it on this record.`;
}

/** The description of a returnee input field: what it sets, and which sectors may send it. */
export function returneeInputDoc(field: string, what: string): string {
  const section = sectionsOfField(field).find((s) => s !== Section.REFERENCE);
  if (!section) throw new Error(`section-docs: ${field} is in no writable section`);
  const writers = SECTORS.filter((s) => POLICIES[s].sections[section] === 'write');
  return `${what} ${section} section: only ${list(writers)} may send it; a write with a field your sector may not write is refused whole (FORBIDDEN, naming the fields).`;
}
