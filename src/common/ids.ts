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
