import type { Section } from '../access/sections';
import { agencyView } from '../returnee/returnee.view';
import type { Consent } from './consent.entity';
import type { ConsentType } from './consent.types';

export function isConsentActive(c: Consent, today = new Date().toISOString().slice(0, 10)): boolean {
  return !c.revokedAt && c.validFrom <= today && (!c.validUntil || c.validUntil >= today);
}

export function consentView(c: Consent): ConsentType {
  return {
    id: c.id, givenBy: c.givenBy, guardianReturneeId: c.guardianReturneeId ?? null, guardianName: c.guardianName ?? null,
    sectors: c.sectors, sections: c.sections as Section[], purpose: c.purpose, validFrom: c.validFrom,
    validUntil: c.validUntil ?? null, agency: agencyView(c.agency.getEntity()), recordedAt: c.recordedAt,
    revokedAt: c.revokedAt ?? null, active: isConsentActive(c),
  };
}
