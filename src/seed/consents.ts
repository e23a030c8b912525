import { POLICIES } from '../../policies';
import { isMinorOn } from '../common/calendar';
import type { AgencyPlan } from './agencies';
import type { Row } from './bulk';
import { addDays, Prng } from './prng';

/**
 * Consents and referrals for seeded records. Every seeded case access came from a referral by
 * the registering agency, accepted by the receiving agency's supervisor; a few more referrals
 * are still pending or were declined. Most returnees (for minors: their guardian) consented to
 * share with the sectors working on their case exactly the sections those sectors' policies
 * read; some refused, and some consents were later revoked, so the demo shows redaction too.
 * A stream of its own keeps the rest of the demo data identical with or without this step.
 */
const REFERENCE_DATE = '2026-11-01';

export class ConsentGenerator {
  private readonly rng: Prng;
  private readonly ids: Prng;
  private readonly agencyInfo = new Map<string, { sector: string; supervisorId: string; country: string }>();

  constructor(seed: number, plan: AgencyPlan) {
    this.rng = new Prng(seed, 'consents');
    this.ids = new Prng(seed, 'consent-ids');
    for (const [country, byCountry] of Object.entries(plan.byCountry)) {
      for (const [sector, a] of Object.entries(byCountry)) this.agencyInfo.set(a.id, { sector, supervisorId: a.supervisorId, country });
    }
  }

  /** Mutates `caseAccesses` (links each to its referral) and returns the new rows. */
  generate(returnees: readonly Row[], caseAccesses: Row[]): { referrals: Row[]; consents: Row[] } {
    const byReturnee = new Map<string, Row[]>();
    for (const ca of caseAccesses) byReturnee.set(ca.returnee_id as string, [...(byReturnee.get(ca.returnee_id as string) ?? []), ca]);
    const referrals: Row[] = [];
    const consents: Row[] = [];
    for (const r of returnees) {
      const accesses = byReturnee.get(r.id as string) ?? [];
      for (const ca of accesses) referrals.push(this.acceptedReferral(r, ca));
      // Every seeded record has at least its health case access, made by the registrar's supervisor.
      const registrarSupervisor = accesses[0]?.granted_by_id as string | undefined;
      if (!registrarSupervisor) continue;
      if (this.rng.chance(0.04)) referrals.push(this.openReferral(r, registrarSupervisor, this.rng.chance(0.5) ? 'PENDING' : 'DECLINED'));
      const consent = this.consent(r, accesses, registrarSupervisor);
      if (consent) consents.push(consent);
    }
    return { referrals, consents };
  }

  private acceptedReferral(r: Row, ca: Row): Row {
    const id = this.ids.uuid();
    ca.referral_id = id;
    const grantedAt = ca.granted_at as string;
    return {
      id,
      returnee_id: r.id,
      from_agency_id: r.registering_agency_id,
      to_agency_id: ca.agency_id,
      service: serviceOf(ca.reason as string),
      reason: ca.reason,
      cross_border: false,
      status: 'ACCEPTED',
      created_by_id: ca.granted_by_id,
      created_at: grantedAt,
      decided_by_id: this.agencyInfo.get(ca.agency_id as string)?.supervisorId ?? null,
      decided_at: grantedAt,
      decision_note: 'Accepted',
      closed_at: null,
    };
  }

  private openReferral(r: Row, createdBy: string, status: 'PENDING' | 'DECLINED'): Row {
    const targets = [...this.agencyInfo.entries()].filter(([id, a]) => id !== r.registering_agency_id && a.sector === 'NGO');
    const sameCountry = targets.find(([, a]) => a.country === r.country) ?? targets[0];
    const created = `${addDays(REFERENCE_DATE, -this.rng.int(1, 60))}T09:30:00Z`;
    return {
      id: this.ids.uuid(),
      returnee_id: r.id,
      from_agency_id: r.registering_agency_id,
      to_agency_id: sameCountry[0],
      service: 'community reintegration programme',
      reason: 'Peer-support group for returnee families',
      cross_border: false,
      status,
      created_by_id: createdBy,
      created_at: created,
      decided_by_id: status === 'DECLINED' ? sameCountry[1].supervisorId : null,
      decided_at: status === 'DECLINED' ? created : null,
      decision_note: status === 'DECLINED' ? 'Group full until spring' : null,
      closed_at: null,
    };
  }

  /** About 88% consent to the sectors on their case; 6% of those later withdrew it. */
  private consent(r: Row, accesses: readonly Row[], recordedBy: string): Row | undefined {
    if (!this.rng.chance(0.88)) return undefined;
    const sectors = new Set<string>([this.agencyInfo.get(r.registering_agency_id as string)?.sector ?? 'SOCIAL']);
    for (const ca of accesses) sectors.add(this.agencyInfo.get(ca.agency_id as string)?.sector ?? 'SOCIAL');
    const sections = new Set<string>();
    for (const s of sectors)
      for (const [section, access] of Object.entries(POLICIES[s as 'HEALTH'].sections)) if (access === 'read') sections.add(section);
    const minor = isMinorOn(r.date_of_birth as string, REFERENCE_DATE);
    const validFrom = (r.returned_on as string) ?? (r.created_at as string).slice(0, 10);
    const revoked = this.rng.chance(0.06);
    return {
      id: this.ids.uuid(),
      returnee_id: r.id,
      given_by: minor ? 'GUARDIAN' : 'SELF',
      guardian_returnee_id: minor ? (r.guardian_returnee_id ?? null) : null,
      guardian_name: minor && !r.guardian_returnee_id ? (r.guardian_name ?? 'Appointed guardian') : null,
      sectors: [...sectors].sort(),
      sections: [...sections].sort(),
      purpose: 'Reintegration support by the agencies working on the case',
      valid_from: validFrom,
      valid_until: null,
      agency_id: r.registering_agency_id,
      recorded_by_id: recordedBy,
      recorded_at: `${validFrom}T10:00:00Z`,
      revoked_at: revoked ? `${addDays(REFERENCE_DATE, -this.rng.int(1, 200))}T12:00:00Z` : null,
      revoked_by_id: null,
      revocation_reason: revoked ? 'Withdrawn by the returnee' : null,
    };
  }
}

function serviceOf(reason: string): string {
  if (/health/i.test(reason)) return 'health screening';
  if (/school|literacy|kindergarten/i.test(reason)) return 'school placement';
  return 'reintegration support';
}
