import type { Operation } from '../request/operation';
import type { Agency } from '../agency/agency.entity';
import { badInput } from '../errors';
import { readsFieldOn } from '../returnee/returnee-read.service';

/**
 * Does sharing a record with `agency` (a referral, a grant) cross a border, judged only on what
 * the caller may read (docs/consent.md, "Borders")? The record's country is an identity field:
 * - a caller who may read it on this record is told the record's country, and the share is
 *   judged on it, as the row scope judges it;
 * - a caller who may not is judged against its own agency's country (the country of every record
 *   it sees through its own agency or a same-country access), and is told only that: so neither
 *   the answer nor the stored `crossBorder` flag tells it where the record is. In the rare case it
 *   holds the record only through a cross-border access, a share it leaves unmarked gives nothing
 *   away across the border either: the row scope lets an unmarked access work only within the
 *   record's own country (access/ability.ts), so such a share simply shows nothing.
 * A share that crosses needs `crossBorder: true` from the client: refused otherwise, nothing written.
 * Returns the crossBorder flag to store.
 */
export async function crossBorderOrThrow(
  op: Operation,
  record: { id: string; country: string },
  agency: Agency,
  explicit: boolean,
  verb: 'refer' | 'share',
): Promise<boolean> {
  const seesCountry = await readsFieldOn(op, record.id, 'country');
  const from = seesCountry ? record.country : op.actor.country;
  const crossing = agency.country !== from;
  if (crossing && !explicit) {
    const where = seesCountry ? `the record is in ${record.country}` : `your agency is in ${op.actor.country}`;
    throw badInput(`${agency.code} is in ${agency.country} and ${where}: set crossBorder: true to ${verb} across the border explicitly`, {
      fields: ['crossBorder'],
    });
  }
  return crossing;
}
