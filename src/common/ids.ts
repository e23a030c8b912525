import { createHash } from 'node:crypto';
import { badInput } from '../errors';

/**
 * Ids a client sends: every service validates them here before it authorizes, loads or records
 * anything, so a hostile string never reaches SQL or the audit trail as an id.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The id in lower case, or BAD_USER_INPUT naming the argument (`name`) and the start of the value. */
export function uuidOrThrow(id: string, name = 'id'): string {
  if (!UUID.test(id)) throw badInput(`${name} must be a UUID, got "${id.slice(0, 40)}"`);
  return id.toLowerCase();
}

/**
 * The id a client is shown for a row whose key is a bigserial (a revision, a webhook delivery):
 * a UUID-shaped SHA-256 digest (RFC 9562 version 8) of the row's kind and of values the caller
 * sees on that row anyway. A sequence value would be a hub-wide counter: the gap between two ids
 * of the caller's own rows is how many rows every other agency, of every country, wrote in
 * between. The digest depends on nothing else, so it tells nothing else; it is the same on every
 * read, for every caller. Never pass a value the caller may not see: a digest of a few candidate
 * values can be recomputed by guessing them.
 */
export function derivedId(kind: string, ...visible: string[]): string {
  const hex = createHash('sha256')
    .update([kind, ...visible].join('\u0000'))
    .digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
