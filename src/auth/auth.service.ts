import type { EntityManager } from '@mikro-orm/postgresql';
import { StaffMember } from '../staff/staff.entity';
import { unauthenticated } from '../errors';
import type { Actor } from './actor';
import { bearerFrom } from './token';
import type { TokenVerifier } from './token-verifier';

/**
 * Token -> actor. The token only names the staff member (HS256 `sub`, or the mapped claim of
 * an OIDC token); unknown and deactivated users are refused with the same words, so the
 * answer does not tell a caller which usernames exist.
 */
export async function actorFromAuthorization(em: EntityManager, verify: TokenVerifier, header: string | undefined): Promise<Actor | undefined> {
  const token = bearerFrom(header);
  if (!token) return undefined;
  const username = await verify(token);
  const staff = await em.findOne(StaffMember, { username, active: true }, { populate: ['agency'] });
  if (!staff) throw unauthenticated('The token names no active staff member: the account is unknown or deactivated');
  const agency = staff.agency.getEntity();
  return {
    staffId: staff.id,
    username: staff.username,
    displayName: staff.displayName,
    roles: staff.roles,
    agencyId: agency.id,
    agencyCode: agency.code,
    sector: agency.sector,
    country: agency.country,
  };
}
