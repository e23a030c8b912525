import type { EntityManager } from '@mikro-orm/postgresql';
import type { Role, Sector } from '../access/policy';
import { unauthenticated } from '../errors';
import type { Actor } from '../access/actor';
import { bearerFrom } from './token';
import type { TokenVerifier } from './token-verifier';

/**
 * Token -> actor. The token only names the staff member (HS256 `sub`, or the mapped claim of
 * an OIDC token); unknown and deactivated users are refused with the same words, so the
 * answer does not tell a caller which usernames exist.
 *
 * One plain statement on every request (an account deactivated or moved takes effect on its
 * next request), read without ORM entities: it is the one query every request makes, and
 * hydrating a staff member and its agency cost more CPU than the query (docs/bench.md).
 */
const ACTOR_SQL = `select s.id, s.username, s.display_name, to_json(s.roles) as roles,
  a.id as agency_id, a.code as agency_code, a.sector, a.country
  from staff_member s join agency a on a.id = s.agency_id
  where s.username = ? and s.active`;

interface ActorRow {
  id: string;
  username: string;
  display_name: string;
  roles: Role[];
  agency_id: string;
  agency_code: string;
  sector: Sector;
  country: string;
}

/**
 * What a staff username can be (staff.types.ts, and HUB_BOOTSTRAP_ADMIN's rule, which allows
 * capitals). A signed token may still name anything: a subject outside this set names nobody,
 * and is answered as an unknown user before it reaches the database (PostgreSQL refuses a NUL
 * in text outright, which surfaced as a 500).
 */
const POSSIBLE_USERNAME = /^[A-Za-z0-9._-]{1,64}$/;
const NO_SUCH_STAFF = 'The token names no active staff member: the account is unknown or deactivated';

export async function actorFromAuthorization(
  em: EntityManager,
  verify: TokenVerifier,
  header: string | undefined,
): Promise<Actor | undefined> {
  const token = bearerFrom(header);
  if (!token) return undefined;
  const username = await verify(token);
  if (!POSSIBLE_USERNAME.test(username)) throw unauthenticated(NO_SUCH_STAFF);
  const [staff] = await em.getConnection().execute<ActorRow[]>(ACTOR_SQL, [username], 'all', em.getTransactionContext());
  if (!staff) throw unauthenticated(NO_SUCH_STAFF);
  return {
    staffId: staff.id,
    username: staff.username,
    displayName: staff.display_name,
    roles: staff.roles,
    agencyId: staff.agency_id,
    agencyCode: staff.agency_code,
    sector: staff.sector,
    country: staff.country,
  };
}
