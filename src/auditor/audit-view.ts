import type { Operation } from '../request/operation';
import { Section, sectionsOfField } from '../access/sections';
import { Agency } from '../agency/agency.entity';
import type { AgencyType } from '../agency/agency.types';
import { StaffMember } from '../staff/staff.entity';
import type { AuditAction, AuditOutcome } from '../trail/audit-event.entity';
import type { DisclosureBasis } from '../trail/audit-basis';
import { ROW_TABLES } from '../sections/registry';
import { caseNumbersInScope } from './audit-scope';
import type { AuditEventType, AuditStaffRef, DisclosureBasisType, ReturneeRef } from './audit.types';

/** An audit_event row as the auditor queries read it (timestamps as ISO text with microseconds). */
export interface EventRow {
  id: string;
  occurred_at: string;
  request_id: string;
  staff_id: string | null;
  agency_id: string | null;
  action: AuditAction;
  entity_type: string;
  entity_id: string | null;
  returnee_id: string | null;
  fields: string[];
  denied_fields: string[];
  purpose: string | null;
  operation: string | null;
  outcome: AuditOutcome;
  reason: string | null;
  correlation_id: string | null;
  basis: DisclosureBasis[] | null;
  chain_position: string | null;
}

/** The field of the record each kind of section row belongs to (src/sections/; other kinds carry no section). */
const ENTITY_SECTION_FIELD: ReadonlyMap<string, string> = new Map(ROW_TABLES.map((t) => [t.entityType, t.field]));

/** The sections an event touched: from field names on a Returnee, from the record kind otherwise. */
export function sectionsOf(entityType: string, fields: readonly string[]): Section[] {
  const names = entityType === 'Returnee' ? fields : [ENTITY_SECTION_FIELD.get(entityType)].filter((f) => f !== undefined);
  const out = new Set<Section>();
  for (const f of names) for (const s of sectionsOfField(f)) out.add(s);
  // REFERENCE (id, case number) is implied by touching a record at all; name it only alone.
  if (out.size > 1) out.delete(Section.REFERENCE);
  return [...out];
}

export interface References {
  staff: Map<string, AuditStaffRef>;
  agencies: Map<string, AgencyType>;
  caseNumbers: Map<string, string>;
}

function agencyView(a: Agency): AgencyType {
  return { id: a.id, code: a.code, name: a.name, sector: a.sector, country: a.country, createdAt: a.createdAt };
}

/** Staff, agencies and case numbers named by `rows`, in three queries whatever their number. */
export async function loadReferences(
  op: Operation,
  rows: { staff_id: string | null; agency_id: string | null; returnee_id: string | null }[],
): Promise<References> {
  const ids = (key: 'staff_id' | 'agency_id' | 'returnee_id') => [
    ...new Set(rows.map((r) => r[key]).filter((v): v is string => v !== null)),
  ];
  const staffIds = ids('staff_id');
  const agencyIds = ids('agency_id');
  const [staff, agencies, caseNumbers] = await Promise.all([
    staffIds.length ? op.em.find(StaffMember, { id: { $in: staffIds } }, { fields: ['id', 'username', 'displayName'] }) : [],
    agencyIds.length ? op.em.find(Agency, { id: { $in: agencyIds } }) : [],
    caseNumbersInScope(op, ids('returnee_id')),
  ]);
  return {
    staff: new Map(staff.map((s) => [s.id, { id: s.id, username: s.username, displayName: s.displayName }])),
    agencies: new Map(agencies.map((a) => [a.id, agencyView(a)])),
    caseNumbers,
  };
}

export function staffRef(refs: References, id: string | null): AuditStaffRef | null {
  if (id === null) return null;
  return refs.staff.get(id) ?? { id, username: null, displayName: null };
}

/**
 * READ events of the records whose case numbers an auditor is shown (those in scope), when the
 * client selected them: an auditor learning a case number reads that record's reference like
 * anyone else. One per record, however many events or entries name it.
 */
export function caseNumberReads(refs: Pick<References, 'caseNumbers'>, returneeIds: Iterable<string | null>, shown: boolean) {
  if (!shown) return [];
  const ids = [...new Set(returneeIds)].filter((id): id is string => id !== null && refs.caseNumbers.has(id));
  return ids.map((id) => ({
    action: 'READ' as const,
    entityType: 'Returnee',
    entityId: id,
    returneeId: id,
    fields: ['caseNumber'],
    outcome: 'SUCCESS' as const,
  }));
}

export function returneeRef(refs: References, id: string | null): ReturneeRef | null {
  return id === null ? null : { id, caseNumber: refs.caseNumbers.get(id) ?? null };
}

export function eventView(row: EventRow, refs: References): AuditEventType {
  return {
    id: row.id,
    occurredAt: new Date(row.occurred_at),
    requestId: row.request_id,
    correlationId: row.correlation_id,
    action: row.action,
    outcome: row.outcome,
    reason: row.reason,
    entityType: row.entity_type,
    entityId: row.entity_id,
    returnee: returneeRef(refs, row.returnee_id),
    staff: staffRef(refs, row.staff_id),
    agency: row.agency_id === null ? null : (refs.agencies.get(row.agency_id) ?? null),
    fields: row.fields,
    deniedFields: row.denied_fields,
    sections: sectionsOf(row.entity_type, row.fields.length > 0 ? row.fields : row.denied_fields),
    purpose: row.purpose,
    operation: row.operation,
    basis: (row.basis ?? []).map(basisView),
    chainPosition: row.chain_position,
  };
}

export function basisView(b: DisclosureBasis): DisclosureBasisType {
  return {
    section: (b.section as Section | undefined) ?? null,
    kind: b.kind,
    ref: b.ref ?? null,
    version: b.version ?? null,
    legalBasis: b.legalBasis ?? null,
    consentRef: b.consentRef ?? null,
  };
}
