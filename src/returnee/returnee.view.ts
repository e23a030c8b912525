import { ALL_RETURNEE_FIELDS } from '../access/sections';
import type { Agency } from '../agency/agency.entity';
import type { AgencyType } from '../agency/agency.types';
import type { HealthAssessment } from '../health/health-assessment.entity';
import type { HealthAssessmentType } from '../health/health.types';
import type { Returnee } from './returnee.entity';
import type { ReturneeView } from './returnee.types';

/**
 * Which entity properties must be loaded to produce a view field. Most map one to one;
 * derived fields name what they derive from; collections are populated, not selected.
 */
const SOURCE_COLUMNS: Record<string, string[]> = {
  isMinor: ['dateOfBirth'],
  healthAssessments: [],
  redactedFields: [],
};
const POPULATED = new Set(['healthAssessments', 'registeringAgency']);

export function columnsFor(fields: Iterable<string>): string[] {
  const out = new Set<string>(['id', 'caseNumber', 'version']);
  for (const f of fields) for (const c of SOURCE_COLUMNS[f] ?? [f]) out.add(c);
  return [...out];
}

export function populateFor(fields: Iterable<string>): ('healthAssessments' | 'registeringAgency')[] {
  return [...fields].filter((f) => POPULATED.has(f)) as ('healthAssessments' | 'registeringAgency')[];
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
    default:
      return (r as unknown as Record<string, unknown>)[field] ?? null;
  }
}
