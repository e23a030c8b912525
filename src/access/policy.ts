import type { Section } from './sections';

export const SECTORS = ['HEALTH', 'EDUCATION', 'SOCIAL', 'NGO', 'OVERSIGHT', 'ADMINISTRATION'] as const;
export type Sector = (typeof SECTORS)[number];
export const ROLES = ['CASEWORKER', 'SUPERVISOR', 'AUDITOR', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

/** `{ HEALTH: 'HEALTH', ... }`: the shape GraphQL enum registration wants. */
export function enumObject<T extends string>(values: readonly T[]): { [K in T]: K } {
  return Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };
}

/** What a sector may do with a section: read it, or read and write it. */
export type SectionAccess = 'read' | 'write';

/**
 * Which returnee records a sector sees at all:
 * - `case`: records its agency registered, plus those it holds active case access to
 *   (same country, or a case access explicitly marked cross-border);
 * - `country`: every record of its agency's country (oversight bodies, reference fields only);
 * - `none`: no returnee records (administration).
 */
export type RecordScope = 'case' | 'country' | 'none';

/**
 * A sector policy is data, not code: the compiler in `src/access/ability.ts` turns it into
 * CASL rules. Keep each policy file readable by a data-protection officer.
 */
export interface SectorPolicy {
  sector: Sector;
  /** One paragraph, for the reviewer: what this sector does with the record and why. */
  purpose: string;
  recordScope: RecordScope;
  /**
   * Sections granted; anything not listed is denied. A section granted `write` is this
   * sector's own: it reads it on every record in scope. A section granted `read` belongs to
   * another sector and is shared only while the returnee (for a minor, the guardian) has an
   * active consent covering this sector and that section.
   */
  sections: Partial<Record<Section, SectionAccess>>;
  /**
   * The only exception to consent: sections this sector may read about a minor without a
   * guardian's consent, and the legal basis that allows it. Omit when there is none.
   */
  minorsWithoutConsent?: { sections: `${Section}`[]; legalBasis: string };
  /**
   * Shared sections (granted `read`) that also need an active data-sharing agreement between the
   * record's registering agency and the caller's agency (or sector in its country), see
   * src/agreement/. `consent: 'also'`: the agreement AND the person's consent; `'instead'`: an
   * agreement opens the section as a consent would (a widening a data-protection officer must
   * weigh against "nothing else overrides consent", DESIGN.md). Omit when none does.
   */
  agreements?: Partial<Record<`${Section}`, { requiresAgreement: true; consent: 'also' | 'instead' }>>;
  /**
   * Break-glass (src/break-glass/): in an emergency, the roles named may open, for a time box of at
   * most `maxHours`, a record of their country outside their scope (`outsideScope`) and the
   * `sections` named (their own or ones granted `read`) without the consent or agreement they
   * would otherwise need, giving one of `reasons`. Every opening is audited, its reads carry basis
   * BREAK_GLASS, and it is reviewed afterwards. Omit: this sector never breaks the glass.
   */
  breakGlass?: BreakGlassPolicy;
  /** Roles that may read the granted sections. */
  readRoles: readonly Role[];
  /** Roles that may write the sections granted as `write`. */
  writeRoles: readonly Role[];
  /** May this sector register new returnees (create records it then owns)? */
  registersReturnees: boolean;
  /** Roles that may grant another agency access to a record this agency already sees. */
  grantRoles: readonly Role[];
  /**
   * Roles that may record and revoke consents on records this agency works on. A consent opens
   * other sectors' sections, so it is recorded by the caseworkers who work with the person and
   * their family and can see who their guardian is, not by every sector that would read more
   * with it. Empty: this sector never records consent (its staff ask an agency that does).
   */
  consentRoles: readonly Role[];
  /** Roles that may create and manage agencies and staff accounts. */
  adminRoles: readonly Role[];
  /** Roles that may read the audit trail. */
  auditRoles: readonly Role[];
}

/** Why the glass is broken: an enumerated code (with free text beside it). */
export const BREAK_GLASS_REASONS = ['CHILD_HEALTH_EMERGENCY', 'RISK_TO_LIFE', 'SAFEGUARDING'] as const;
export type BreakGlassReason = (typeof BREAK_GLASS_REASONS)[number];

export interface BreakGlassPolicy {
  /** Who may break the glass: roles of this sector (others are refused, and the refusal is audited). */
  roles: readonly Role[];
  /** The longest window, in hours; a request may ask for less. */
  maxHours: number;
  /**
   * The most windows one staff member may open in any 24 hours (closed and expired ones count):
   * an emergency power used a dozen times a day is a way around consent, not an emergency. The
   * next opening is refused (FORBIDDEN, `extensions.reason` BREAK_GLASS_LIMIT) with a DENY event.
   */
  maxPerDay: number;
  /** The reasons this sector may give. */
  reasons: readonly BreakGlassReason[];
  /** May it open a record of its country that is outside its scope (no case access)? */
  outsideScope: boolean;
  /**
   * The sections the window shows: the sector's own sections or ones it is granted `read` (never
   * a section its policy does not grant at all), without consent or agreement.
   */
  sections: readonly `${Section}`[];
}

export function definePolicy(policy: SectorPolicy): SectorPolicy {
  return policy;
}
