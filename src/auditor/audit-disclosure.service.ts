import type { Operation } from '../request/operation';
import type { Section } from '../access/sections';
import { badInput } from '../errors';
import type { AuditAction, AuditOutcome } from '../trail/audit-event.entity';
import { returneeInScopeOrThrow } from './audit-scope';
import { ISO_US } from '../trail/audit-canonical';
import { loadReferences, sectionsOf, staffRef, type References } from './audit-view';
import type { DisclosureBasis } from '../trail/audit-basis';
import { foldByBasis, unionBases } from './audit-disclosure-basis';
import type { DisclosureByAgency, DisclosureEntry, DisclosureReport } from './audit.types';
import { uuidOrThrow } from '../common/ids';

/** One row per distinct (who, what, why): the database does the counting. */
interface GroupRow {
  agency_id: string | null;
  staff_id: string | null;
  returnee_id: string | null;
  action: AuditAction;
  outcome: AuditOutcome;
  purpose: string | null;
  entity_type: string;
  fields: string[];
  denied_fields: string[];
  basis: DisclosureBasis[] | null;
  n: number;
  first_at: string;
  last_at: string;
}

const CHANGES: ReadonlySet<AuditAction> = new Set(['CREATE', 'UPDATE', 'DELETE']);
const MAX_GROUPS = 20_000;

const union = <T>(...lists: (readonly T[])[]): T[] => [...new Set(lists.flat())];
const later = (a: Date, b: Date) => (a > b ? a : b);
const earlier = (a: Date, b: Date) => (a < b ? a : b);

function addTo(entry: DisclosureEntry, g: GroupRow): void {
  const sections = sectionsOf(g.entity_type, g.outcome === 'SUCCESS' ? g.fields : [...g.fields, ...g.denied_fields]);
  entry.sections = union(entry.sections, sections);
  entry.records = union(entry.records, [g.entity_type]);
  entry.fields = union(entry.fields, g.fields, g.denied_fields);
  entry.times += g.n;
  if (g.action === 'READ' && g.outcome === 'SUCCESS') unionBases(entry.bases, g.basis);
  entry.firstAt = earlier(entry.firstAt, new Date(g.first_at));
  entry.lastAt = later(entry.lastAt, new Date(g.last_at));
}

/** Folds the groups into agency -> (staff, action, outcome, purpose) entries, most recent first. */
function fold(groups: GroupRow[], refs: References): DisclosureByAgency[] {
  const agencies = new Map<string, DisclosureByAgency & { byKey: Map<string, DisclosureEntry> }>();
  for (const g of groups) {
    const akey = g.agency_id ?? '';
    let agency = agencies.get(akey);
    if (!agency) {
      agency = {
        agency: g.agency_id ? (refs.agencies.get(g.agency_id) ?? null) : null,
        sectionsRead: [],
        sectionsChanged: [],
        firstAt: new Date(g.first_at),
        lastAt: new Date(g.last_at),
        entries: [],
        byKey: new Map(),
      };
      agencies.set(akey, agency);
    }
    const key = JSON.stringify([g.staff_id, g.action, g.outcome, g.purpose]);
    let entry = agency.byKey.get(key);
    if (!entry) {
      entry = {
        staff: staffRef(refs, g.staff_id),
        action: g.action,
        outcome: g.outcome,
        purpose: g.purpose,
        sections: [],
        records: [],
        fields: [],
        times: 0,
        firstAt: new Date(g.first_at),
        lastAt: new Date(g.last_at),
        bases: [],
      };
      agency.byKey.set(key, entry);
      agency.entries.push(entry);
    }
    addTo(entry, g);
    if (g.outcome === 'SUCCESS') {
      const sections: Section[] = sectionsOf(g.entity_type, g.fields);
      if (g.action === 'READ') agency.sectionsRead = union(agency.sectionsRead, sections);
      if (CHANGES.has(g.action)) agency.sectionsChanged = union(agency.sectionsChanged, sections);
    }
    agency.firstAt = earlier(agency.firstAt, entry.firstAt);
    agency.lastAt = later(agency.lastAt, entry.lastAt);
  }
  const byRecent = <T extends { lastAt: Date }>(a: T, b: T) => b.lastAt.getTime() - a.lastAt.getTime();
  return [...agencies.values()].map(({ byKey: _unused, ...a }) => ({ ...a, entries: a.entries.sort(byRecent) })).sort(byRecent);
}

/**
 * `disclosureReport(returneeId)`: every agency and person that read, changed or tried to
 * reach this person's record, what sections, how often, when and for what declared purpose;
 * the auditor's own reviews included, since they are disclosures too. Authorizes first; a
 * returnee outside the auditor's scope answers NOT_FOUND; the report is itself recorded.
 */
export async function disclosureReportOrThrow(
  op: Operation,
  requestedId: string,
  from?: Date,
  to?: Date,
  caseNumberShown = true,
): Promise<DisclosureReport> {
  const returneeId = uuidOrThrow(requestedId, 'returneeId'); // before any id reaches the audit trail
  await op.authorizeOrThrow('read', 'AuditEvent', {
    entityType: 'AuditEvent',
    returneeId,
    message: 'Only auditors may produce disclosure reports',
  });
  if (from && to && from >= to) throw badInput('from must be before to', { fields: ['from', 'to'] });
  const returnee = await returneeInScopeOrThrow(op, returneeId);
  const { rows } = (await op.em
    .getConnection()
    .getKnex()
    .raw(
      `select agency_id, staff_id, null::uuid as returnee_id, action, outcome, purpose, entity_type, fields, denied_fields, basis, count(*)::int as n,
       to_char(min(occurred_at) at time zone 'UTC', ${ISO_US}) as first_at, to_char(max(occurred_at) at time zone 'UTC', ${ISO_US}) as last_at
     from audit_event
     where returnee_id = ? and occurred_at >= coalesce(?::timestamptz, '-infinity') and occurred_at < coalesce(?::timestamptz, 'infinity')
     group by agency_id, staff_id, action, outcome, purpose, entity_type, fields, denied_fields, basis
     order by max(occurred_at) desc limit ?`,
      [returnee.id, from?.toISOString() ?? null, to?.toISOString() ?? null, MAX_GROUPS],
    )) as { rows: GroupRow[] };
  const refs = await loadReferences(op, rows);
  await op.recordDurably([
    { action: 'READ', entityType: 'AuditEvent', returneeId: returnee.id, fields: ['disclosureReport'], outcome: 'SUCCESS' },
    // The report names the record by its case number: a read of it, like any other.
    ...(caseNumberShown
      ? [
          {
            action: 'READ' as const,
            entityType: 'Returnee',
            entityId: returnee.id,
            returneeId: returnee.id,
            fields: ['caseNumber'],
            outcome: 'SUCCESS' as const,
          },
        ]
      : []),
  ]);
  return {
    returnee,
    generatedAt: new Date(),
    from: from ?? null,
    to: to ?? null,
    eventCount: rows.reduce((n, g) => n + g.n, 0),
    agencies: fold(rows, refs),
    byBasis: foldByBasis(rows, refs),
  };
}
