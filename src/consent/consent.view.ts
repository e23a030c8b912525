import type { Section } from '../access/sections';
import { GUARDIAN_FIELDS } from './consent-giver';
import type { Consent } from './consent.entity';
import type { ConsentType } from './consent.types';
import { agencyView } from '../agency/agency.view';

/**
 * What the caller sees of one consent. Its guardian fields are the record's CONTACT fields of
 * the same names: shown only where `readable` (the caller's read permission on THAT record,
 * worked out by the read path) has them; otherwise null and listed in `redactedFields`, like a
 * Returnee's. `active` comes from the one definition of an active consent (consent-read.ts).
 */
export function consentView(c: Consent, active: boolean, readable: ReadonlySet<string>): ConsentType {
  const shown = (f: (typeof GUARDIAN_FIELDS)[number]) => (readable.has(f) ? (c[f] ?? null) : null);
  return {
    id: c.id,
    givenBy: c.givenBy,
    guardianReturneeId: shown('guardianReturneeId'),
    guardianName: shown('guardianName'),
    sectors: c.sectors,
    sections: c.sections as Section[],
    purpose: c.purpose,
    validFrom: c.validFrom,
    validUntil: c.validUntil ?? null,
    agency: agencyView(c.agency.getEntity()),
    recordedAt: c.recordedAt,
    revokedAt: c.revokedAt ?? null,
    active,
    redactedFields: GUARDIAN_FIELDS.filter((f) => !readable.has(f)),
  };
}
