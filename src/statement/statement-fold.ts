import { Section } from '../access/sections';
import type { DisclosureBasis } from '../trail/audit-basis';
import { sectionsOf } from '../auditor/audit-view';
import type {
  DisclosureStatementEntryType,
  StatementAccess,
  StatementAgencyType,
  StatementBasisType,
  StatementTopic,
} from './statement.types';

/** One group of identical events of the person on one day (UTC), counted by the database. */
export interface StatementGroupRow {
  agency_id: string | null;
  action: 'READ' | 'CREATE' | 'UPDATE' | 'DELETE';
  entity_type: string;
  fields: string[];
  purpose: string | null;
  basis: DisclosureBasis[] | null;
  day: string;
  n: number;
}

/** Information about the record that is not a section of it, by the kind of record the event touched. */
const TOPIC_OF_ENTITY: Record<string, StatementTopic> = {
  Consent: 'CONSENTS',
  Referral: 'SHARING',
  CaseAccess: 'SHARING',
  AuditEvent: 'AUDIT_TRAIL',
  DisclosureStatement: 'AUDIT_TRAIL',
  DataSubjectRequest: 'REQUESTS',
  ReturneeRevision: 'HISTORY',
  WebhookDelivery: 'NOTIFICATIONS',
};

/** Sections in the order the hub declares them (access/sections.ts), not as the trail sorted them. */
const ORDER: readonly Section[] = Object.values(Section);

export type Entry = Omit<DisclosureStatementEntryType, 'sentence'>;
type Disclosure = { basis: StatementBasisType; sections: Section[]; topics: StatementTopic[] };

const basisIdentity = (b: StatementBasisType) => JSON.stringify([b.kind, b.ref, b.version, b.legalBasis]);

function basisOf(b: DisclosureBasis | undefined): StatementBasisType {
  return {
    kind: b?.kind ?? null,
    ref: b?.ref ?? null,
    version: b?.version ?? null,
    legalBasis: b?.legalBasis ?? null,
    breakGlassReview: null,
  };
}

/**
 * What one group disclosed, per basis. A READ names the basis of each section it showed (the
 * trail's `basis`, src/trail/audit-basis.ts): those sections are what was disclosed, the
 * record's reference (case number) only when nothing else was. A change is the agency's own
 * sector's work (a sector writes only its own sections), so OWN_SECTOR. An event of a record
 * that is not a section (consents, referrals, the trail) is one topic under the event's basis.
 * Events stored before the basis existed fall back to the sections their field names belong to.
 */
function disclosuresOf(g: StatementGroupRow): Disclosure[] {
  const topic = TOPIC_OF_ENTITY[g.entity_type];
  const bases = g.basis ?? [];
  const legacy = () => {
    const sections = topic ? [] : sectionsOf(g.entity_type, g.fields);
    return { sections, topics: topic ? [topic] : sections.length === 0 ? (['OTHER'] as StatementTopic[]) : [] };
  };
  if (g.action !== 'READ') return [{ basis: basisOf({ kind: 'OWN_SECTOR' }), ...legacy() }];
  const perSection = bases.filter((b) => b.section);
  if (topic || perSection.length === 0) {
    return [{ basis: basisOf(bases.find((b) => !b.section || b.section === 'REFERENCE') ?? bases[0]), ...legacy() }];
  }
  const shown = perSection.some((b) => b.section !== 'REFERENCE') ? perSection.filter((b) => b.section !== 'REFERENCE') : perSection;
  const out = new Map<string, Disclosure>();
  for (const b of shown) {
    const basis = basisOf(b);
    const key = basisIdentity(basis);
    let hit = out.get(key);
    if (!hit) out.set(key, (hit = { basis, sections: [], topics: [] }));
    if (!hit.sections.includes(b.section as Section)) hit.sections.push(b.section as Section);
  }
  return [...out.values()];
}

/**
 * Folds the groups into entries: one per agency, day, kind of access, purpose and basis, with
 * the sections and topics it covered and how many times. Most recent day first, then by agency.
 */
export function foldStatement(groups: readonly StatementGroupRow[], agencies: Map<string, StatementAgencyType>): Entry[] {
  const entries = new Map<string, Entry>();
  for (const g of groups) {
    const access: StatementAccess = g.action === 'READ' ? 'SAW' : 'CHANGED';
    for (const d of disclosuresOf(g)) {
      const key = JSON.stringify([g.day, g.agency_id, access, g.purpose, basisIdentity(d.basis)]);
      let e = entries.get(key);
      if (!e) {
        e = {
          day: g.day,
          agency: g.agency_id ? (agencies.get(g.agency_id) ?? null) : null,
          access,
          sections: [],
          topics: [],
          purpose: g.purpose,
          basis: d.basis,
          times: 0,
        };
        entries.set(key, e);
      }
      for (const s of d.sections) if (!e.sections.includes(s)) e.sections.push(s);
      for (const t of d.topics) if (!e.topics.includes(t)) e.topics.push(t);
      e.times += g.n;
    }
  }
  const name = (e: Entry) => e.agency?.name ?? '';
  for (const e of entries.values()) e.sections.sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b));
  return [...entries.values()].sort(
    (a, b) => b.day.localeCompare(a.day) || name(a).localeCompare(name(b)) || a.access.localeCompare(b.access),
  );
}
