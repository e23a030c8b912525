import { ALL_RETURNEE_FIELDS } from '../access/sections';
import type { Agency } from '../agency/agency.entity';
import type { AgencyType } from '../agency/agency.types';
import type { HealthAssessment } from '../health/health-assessment.entity';
import type { HealthAssessmentType } from '../health/health.types';
import type { CivilDocument } from '../documents/civil-document.entity';
import type { CivilDocumentType, DocumentStatusType } from '../documents/documents.types';
import type { EducationProgressNote } from '../education/education-progress-note.entity';
import type { EducationProgressNoteType } from '../education/education.types';
import type { SupportSession } from '../psychosocial/support-session.entity';
import type { SupportSessionType } from '../psychosocial/psychosocial.types';
import type { SocialSupportMeasure } from '../social-support/social-support-measure.entity';
import type { SocialSupportMeasureType } from '../social-support/social-support.types';
import type { Returnee } from './returnee.entity';
import type { ReturneeView } from './returnee.types';
import { CIVIL_DOCUMENT_TYPES } from './section-enums';

/**
 * Which entity properties must be loaded to produce a view field. Most map one to one;
 * derived fields name what they derive from; collections are populated, not selected.
 */
const SOURCE_COLUMNS: Record<string, string[]> = {
  isMinor: ['dateOfBirth'],
  household: ['guardianReturneeId'],
  healthAssessments: [],
  educationProgressNotes: [],
  civilDocuments: [],
  documentStatuses: [],
  socialSupport: [],
  supportSessions: [],
  redactedFields: [],
};
/**
 * Relations to populate per view field (select-in: one query per collection for a whole page).
 * documentStatuses derives from the civil documents, so it loads them, without their agency.
 */
const POPULATED: Record<string, string> = {
  healthAssessments: 'healthAssessments',
  registeringAgency: 'registeringAgency',
  educationProgressNotes: 'educationProgressNotes.agency',
  civilDocuments: 'civilDocuments.agency',
  documentStatuses: 'civilDocuments',
  socialSupport: 'socialSupport.agency',
  supportSessions: 'supportSessions.agency',
};

export function columnsFor(fields: Iterable<string>): string[] {
  const out = new Set<string>(['id', 'caseNumber', 'version']);
  for (const f of fields) for (const c of SOURCE_COLUMNS[f] ?? [f]) out.add(c);
  return [...out];
}

export function populateFor(fields: Iterable<string>): string[] {
  return [...new Set([...fields].filter((f) => f in POPULATED).map((f) => POPULATED[f]))];
}

export function agencyView(a: Agency): AgencyType {
  return { id: a.id, code: a.code, name: a.name, sector: a.sector, country: a.country, createdAt: a.createdAt };
}

export function healthAssessmentView(h: HealthAssessment): HealthAssessmentType {
  return {
    id: h.id, assessedOn: h.assessedOn, findings: h.findings, conditions: h.conditions, treatmentPlan: h.treatmentPlan ?? null,
    vaccination: h.vaccination ?? null, disability: h.disability ?? null, mentalHealthNotes: h.mentalHealthNotes ?? null,
    followUpNeeded: h.followUpNeeded, fitForSchool: h.fitForSchool ?? null, accommodationsNeeded: h.accommodationsNeeded ?? null,
    agency: agencyView(h.agency.getEntity()), createdAt: h.createdAt,
  };
}

export function educationProgressNoteView(n: EducationProgressNote): EducationProgressNoteType {
  return { id: n.id, notedOn: n.notedOn, note: n.note, agency: agencyView(n.agency.getEntity()), recordedAt: n.recordedAt };
}

export function civilDocumentView(d: CivilDocument): CivilDocumentType {
  return {
    id: d.id, type: d.type, status: d.status, number: d.number ?? null, issuedOn: d.issuedOn ?? null, issuingAuthority: d.issuingAuthority ?? null,
    appliedOn: d.appliedOn ?? null, notes: d.notes ?? null, agency: agencyView(d.agency.getEntity()), recordedAt: d.recordedAt,
  };
}

/** Every document type, MISSING when nothing was recorded: status and date only, never numbers. */
export function documentStatusesOf(current: readonly CivilDocument[]): DocumentStatusType[] {
  return CIVIL_DOCUMENT_TYPES.map((type) => {
    const d = current.find((c) => c.type === type);
    return { type, status: d?.status ?? 'MISSING', lastChangedAt: d?.recordedAt ?? null };
  });
}

export function socialSupportView(m: SocialSupportMeasure): SocialSupportMeasureType {
  return {
    id: m.id, kind: m.kind, description: m.description, startedOn: m.startedOn, endedOn: m.endedOn ?? null, provider: m.provider ?? null,
    decidingAuthority: m.decidingAuthority ?? null, guardianName: m.guardianName ?? null, agency: agencyView(m.agency.getEntity()), recordedAt: m.recordedAt,
  };
}

export function supportSessionView(s: SupportSession): SupportSessionType {
  return {
    id: s.id, kind: s.kind, startedOn: s.startedOn, endedOn: s.endedOn ?? null, place: s.place ?? null, notes: s.notes ?? null,
    riskNotes: s.riskNotes ?? null, agency: agencyView(s.agency.getEntity()), recordedAt: s.recordedAt,
  };
}

export function isMinorOn(dateOfBirth: string, today = new Date()): boolean {
  const [y, m, d] = dateOfBirth.split('-').map(Number);
  const eighteenth = Date.UTC(y + 18, m - 1, d);
  return today.getTime() < eighteenth;
}

/**
 * Builds what the caller may see: fields in `shown` carry values, every other field is null,
 * and `redactedFields` lists what the policy withholds.
 */
export function returneeView(r: Returnee, shown: Set<string>, readable: Set<string>): ReturneeView {
  const view: Record<string, unknown> = {
    id: r.id,
    caseNumber: r.caseNumber,
    version: r.version,
    redactedFields: ALL_RETURNEE_FIELDS.filter((f) => !readable.has(f)),
  };
  for (const field of ALL_RETURNEE_FIELDS) {
    if (field in view) continue;
    view[field] = shown.has(field) ? valueOf(r, field) : null;
  }
  return view as unknown as ReturneeView;
}

function valueOf(r: Returnee, field: string): unknown {
  switch (field) {
    case 'isMinor':
      return isMinorOn(r.dateOfBirth);
    case 'registeringAgency':
      return agencyView(r.registeringAgency.getEntity());
    case 'healthAssessments':
      return r.healthAssessments.getItems().map(healthAssessmentView);
    case 'educationProgressNotes':
      return r.educationProgressNotes.getItems().map(educationProgressNoteView);
    case 'civilDocuments':
      return r.civilDocuments.getItems().map(civilDocumentView);
    case 'documentStatuses':
      return documentStatusesOf(r.civilDocuments.getItems());
    case 'socialSupport':
      return r.socialSupport.getItems().map(socialSupportView);
    case 'supportSessions':
      return r.supportSessions.getItems().map(supportSessionView);
    default:
      return (r as unknown as Record<string, unknown>)[field] ?? null;
  }
}
