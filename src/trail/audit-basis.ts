import { auditText, isUuid } from './audit-text';

/**
 * Why a disclosure was lawful, as the audit trail stores it (docs/disclosure-basis.md). The
 * access layer works it out in SQL with the read itself (src/access/basis.ts); the recorder
 * only checks and stores it. Kept here, at the bottom of the arrows, so the recorder imports
 * nothing above it.
 *
 * - OWN_SECTOR: the section is the caller's sector's own, or the record's reference, on a
 *   record in the caller's scope;
 * - CONSENT: the consent `ref` of the person (or guardian) covers the caller's sector;
 * - AGREEMENT: the data-sharing agreement `ref`, at `version`, covers it;
 * - LEGAL_DUTY: the caller's policy names `legalBasis` for this section of a minor;
 * - BREAK_GLASS: the emergency opening `ref`, within its window.
 *
 * The basis is what held at the moment of the read: a later revocation or expiry does not
 * change it (it is stored, never recomputed).
 */
export const BASIS_KINDS = ['OWN_SECTOR', 'CONSENT', 'AGREEMENT', 'LEGAL_DUTY', 'BREAK_GLASS'] as const;
export type BasisKind = (typeof BASIS_KINDS)[number];

export interface DisclosureBasis {
  /**
   * The section disclosed (REFERENCE for id and case number alone); none for what is not part of
   * a record (the directory of agencies, the audit trail to an auditor).
   */
  section?: string;
  kind: BasisKind;
  /** The consent, agreement or break-glass id. */
  ref?: string;
  /** The agreement's version. */
  version?: number;
  /** The policy's named legal basis (LEGAL_DUTY). */
  legalBasis?: string;
  /** A consent also required besides the agreement (a policy may ask for both). */
  consentRef?: string;
}

const KINDS: ReadonlySet<string> = new Set(BASIS_KINDS);
const SECTION = /^[A-Z_]{1,40}$/;

/** A basis list made storable: known kinds, ids as UUIDs, texts cut; a wrong one is a bug of the hub, refused. */
export function storableBasis(bases: readonly DisclosureBasis[]): DisclosureBasis[] {
  const out = bases.map((b) => {
    if (!KINDS.has(b.kind) || (b.section !== undefined && !SECTION.test(b.section)))
      throw new Error('audit entry refused: a basis names an unknown kind or section');
    for (const id of [b.ref, b.consentRef])
      if (id !== undefined && !isUuid(id)) throw new Error('audit entry refused: a basis ref must be a UUID');
    if (b.version !== undefined && !Number.isInteger(b.version)) throw new Error('audit entry refused: a basis version must be an integer');
    const clean: DisclosureBasis = b.section === undefined ? { kind: b.kind } : { section: b.section, kind: b.kind };
    if (b.ref !== undefined) clean.ref = b.ref.toLowerCase();
    if (b.version !== undefined) clean.version = b.version;
    if (b.legalBasis !== undefined) clean.legalBasis = auditText(b.legalBasis, 300);
    if (b.consentRef !== undefined) clean.consentRef = b.consentRef.toLowerCase();
    return clean;
  });
  const key = (b: DisclosureBasis) => b.section ?? '';
  return out.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/**
 * The search keys of a basis list, for the GIN index: the kind alone, the kind with its id, and
 * an agreement's id with its version (`AGREEMENT:<id>:<version>`). A consent required beside an
 * agreement is a key too, so "what did consent X open" finds it.
 */
export function basisKeys(bases: readonly DisclosureBasis[]): string[] {
  const keys = new Set<string>();
  for (const b of bases) {
    keys.add(b.kind);
    if (b.ref) keys.add(`${b.kind}:${b.ref}`);
    if (b.ref && b.version !== undefined) keys.add(`${b.kind}:${b.ref}:${b.version}`);
    if (b.consentRef) keys.add(`CONSENT:${b.consentRef}`);
  }
  return [...keys].sort();
}

/** The key a filter looks for: a kind alone, or a kind and its id. */
export function basisKey(kind: BasisKind, ref?: string, version?: number): string {
  return [kind, ref?.toLowerCase(), version].filter((v) => v !== undefined).join(':');
}
