import type { Section } from '../access/sections';
import type { DisclosureBasis } from '../trail/audit-basis';
import type { References } from './audit-view';
import { basisView } from './audit-view';
import type { DisclosureBasisType, DisclosureByBasis } from './audit.types';

/** A group of the disclosure report's query, as far as the basis goes. */
export interface BasisGroupRow {
  agency_id: string | null;
  action: string;
  outcome: string;
  basis: DisclosureBasis[] | null;
  n: number;
  first_at: string;
  last_at: string;
}

const identity = (b: DisclosureBasis) => JSON.stringify([b.kind, b.ref ?? null, b.version ?? null, b.legalBasis ?? null]);

/** Adds a group's bases to a list of them, once each (section included). */
export function unionBases(into: DisclosureBasisType[], basis: DisclosureBasis[] | null): DisclosureBasisType[] {
  const seen = new Set(into.map((b) => JSON.stringify(b)));
  for (const b of (basis ?? []).map(basisView)) {
    const key = JSON.stringify(b);
    if (!seen.has(key)) {
      seen.add(key);
      into.push(b);
    }
  }
  return into;
}

/**
 * The reads of the report grouped by basis: what each consent, agreement, legal duty or
 * break-glass let through (sections, agencies, how often, when). OWN_SECTOR is one group.
 * The counting was done by the database (groups of identical events); this only folds them.
 */
export function foldByBasis(groups: readonly BasisGroupRow[], refs: References): DisclosureByBasis[] {
  const out = new Map<string, DisclosureByBasis & { agencyIds: Set<string> }>();
  for (const g of groups) {
    if (g.action !== 'READ' || g.outcome !== 'SUCCESS') continue;
    for (const b of g.basis ?? []) {
      const key = identity(b);
      let entry = out.get(key);
      if (!entry) {
        entry = {
          kind: b.kind,
          ref: b.ref ?? null,
          version: b.version ?? null,
          legalBasis: b.legalBasis ?? null,
          sections: [],
          agencies: [],
          agencyIds: new Set(),
          times: 0,
          firstAt: new Date(g.first_at),
          lastAt: new Date(g.last_at),
        };
        out.set(key, entry);
      }
      if (b.section && !entry.sections.includes(b.section as Section)) entry.sections.push(b.section as Section);
      if (g.agency_id && !entry.agencyIds.has(g.agency_id)) {
        entry.agencyIds.add(g.agency_id);
        const agency = refs.agencies.get(g.agency_id);
        if (agency) entry.agencies.push(agency);
      }
      entry.times += g.n;
      if (new Date(g.first_at) < entry.firstAt) entry.firstAt = new Date(g.first_at);
      if (new Date(g.last_at) > entry.lastAt) entry.lastAt = new Date(g.last_at);
    }
  }
  return [...out.values()].map(({ agencyIds: _unused, ...e }) => e).sort((a, b) => b.lastAt.getTime() - a.lastAt.getTime());
}
