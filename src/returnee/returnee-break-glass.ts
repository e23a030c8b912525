import { POLICIES } from '../../policies';
import { sectionOfField } from '../access/basis';
import { openingsToday } from '../break-glass/break-glass-count';
import type { Operation } from '../request/operation';
import type { DisclosureBasis } from '../trail/audit-basis';
import type { ReturneeView } from './returnee.types';

/**
 * What break-glass (src/break-glass/) adds to a read of the shared record
 * (returnee-read.service.ts): the basis of what every record in scope shows (its reference, the
 * caller's own sections) on a record only a window of the caller opened; the fields it revealed;
 * and the hint on a refused read.
 */

/** The basis of a section shown on every record in scope: the window's (column `bg_base`, returnee-select.ts) on a record it opened. */
export function ownSectionBasis(row: Record<string, unknown>, section: string): DisclosureBasis {
  const opened = row.bg_base as Omit<DisclosureBasis, 'section'> | null | undefined;
  return opened ? { ...opened, section } : { section, kind: 'OWN_SECTOR' };
}

/** Selected on a Returnee but not fields of the record: what the answer says about it. */
export const NOT_RECORD_FIELDS: ReadonlySet<string> = new Set(['redactedFields', 'revealedByBreakGlass', '__typename']);

/** Sets `revealedByBreakGlass`: the fields returned whose section was disclosed on basis BREAK_GLASS. Returns `basis`. */
export function markRevealed(view: ReturneeView, fields: readonly string[], basis: DisclosureBasis[]): DisclosureBasis[] {
  const opened = new Set(basis.filter((b) => b.kind === 'BREAK_GLASS').map((b) => b.section));
  view.revealedByBreakGlass = opened.size === 0 ? [] : fields.filter((f) => opened.has(sectionOfField(f)));
  return basis;
}

/**
 * `extensions.breakGlassAvailable` on a refused read, for callers whose policy lets them break the
 * glass: true, or false once they are at the policy's daily limit (`maxPerDay`), so a client does
 * not offer an opening that would be refused. The same for every well-formed id alike (unknown,
 * out of scope, of another country): it depends on the caller only (their policy and their own
 * openings of the last 24 hours), so it tells nothing about the record.
 */
export async function breakGlassHint(op: Operation): Promise<Record<string, unknown>> {
  if (!op.ability.can('breakGlass', 'Returnee')) return {};
  const limit = POLICIES[op.actor.sector].breakGlass?.maxPerDay;
  const { n } = await openingsToday(op.em, op.actor.staffId);
  return { breakGlassAvailable: limit === undefined || n < limit };
}
