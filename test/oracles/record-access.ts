import { buildMongoQueryMatcher, createMongoAbility, subject } from '@casl/ability';
import { $and, $nor, $or, and, nor, or } from '@ucast/mongo2js';
import type { Client } from 'pg';
import { defineAbilityFor, type AppAbility } from '../../src/access/ability';
import type { Actor } from '../../src/auth/actor';

/**
 * What a caller may read on a record, decided by the compiled CASL ability (policies/ through
 * access/ability.ts) evaluated in memory on the record's attributes: the rules themselves, not
 * the SQL the hub compiles from them, and not a hand-written matrix. Where the two disagree the
 * oracles fail.
 *
 * CASL's default in-memory matcher knows no `$or`/`$and` (its MongoQuery has no top-level
 * operators), which the consent condition uses ("valid until null or today or later"): with it,
 * every consent would look void. The hub never matches returnees in memory (only in SQL,
 * access/condition-sql.ts), so the oracle evaluates the same rules with a matcher that has them,
 * from @ucast/mongo2js, the library CASL's matcher is built on.
 */
const conditionsMatcher = buildMongoQueryMatcher({ $and, $or, $nor }, { and, or, nor });

type Conditions = Record<string, unknown>;

/**
 * One rewrite the in-memory matcher needs, which keeps the meaning: inside `$elemMatch` the
 * matcher reads a `$or` beside plain fields as operators on the element itself, so
 * `c: { $elemMatch: { P, $or: [X, Y] } }` becomes `$or: [{ c: { $elemMatch: { P, X } } }, { c: { $elemMatch: { P, Y } } }]`
 * (some element holds P and (X or Y) = some element holds P and X, or some holds P and Y).
 */
function forMemory(conditions: Conditions): Conditions {
  const out: Conditions = {};
  const ors: Conditions[] = [];
  for (const [key, value] of Object.entries(conditions)) {
    const match = (value as { $elemMatch?: Conditions } | null)?.$elemMatch;
    if (!key.startsWith('$') && match && Array.isArray(match.$or)) {
      const { $or: alternatives, ...plain } = match;
      ors.push({ $or: (alternatives as Conditions[]).map((x) => ({ [key]: { $elemMatch: { ...plain, ...x } } })) });
    } else {
      out[key] = value;
    }
  }
  if (ors.length === 0) return out;
  return { ...out, $and: [...((out.$and as Conditions[] | undefined) ?? []), ...ors] };
}
export interface RecordAttributes {
  id: string;
  registeringAgency: string;
  country: string;
  dateOfBirth: string;
  caseAccesses: { agency: string; revokedAt: string | null; crossBorder: boolean }[];
  consents: { sectors: string[]; sections: string[]; revokedAt: string | null; validFrom: string; validUntil: string | null }[];
  /** Column values as text, to look for in places they must not appear (errors, cursors). */
  values: Record<string, string>;
}

/** The attributes the policies' conditions look at, for the given records, from the database. */
export async function recordAttributes(db: Client, ids: string[]): Promise<Map<string, RecordAttributes>> {
  if (ids.length === 0) return new Map();
  const { rows } = await db.query(
    `select r.id, r.registering_agency_id, r.country, r.date_of_birth::text as date_of_birth, to_jsonb(r) as columns,
       coalesce((select json_agg(json_build_object('agency', a.agency_id, 'revokedAt', a.revoked_at, 'crossBorder', a.cross_border))
         from case_access a where a.returnee_id = r.id), '[]') as case_accesses,
       coalesce((select json_agg(json_build_object('sectors', c.sectors, 'sections', c.sections, 'revokedAt', c.revoked_at,
         'validFrom', c.valid_from::text, 'validUntil', c.valid_until::text)) from consent c where c.returnee_id = r.id), '[]') as consents
     from returnee r where r.id = any($1::uuid[])`, [ids]);
  return new Map(rows.map((r) => [r.id, {
    id: r.id, registeringAgency: r.registering_agency_id, country: r.country, dateOfBirth: r.date_of_birth,
    caseAccesses: r.case_accesses, consents: r.consents,
    values: Object.fromEntries(Object.entries(r.columns as Record<string, unknown>)
      .filter(([, v]) => v !== null && typeof v !== 'boolean' && typeof v !== 'number').map(([k, v]) => [k, Array.isArray(v) ? v.join(' ') : String(v)])),
  }]));
}

/** The caller as the hub builds it (auth/actor.ts), from the database. */
export async function actorOf(db: Client, staffId: string): Promise<Actor> {
  const { rows: [s] } = await db.query(
    `select s.id, s.username, s.display_name, s.roles, a.id as agency_id, a.code, a.sector, a.country
     from staff_member s join agency a on a.id = s.agency_id where s.id = $1`, [staffId]);
  return {
    staffId: s.id, username: s.username, displayName: s.display_name, roles: s.roles, agencyId: s.agency_id, agencyCode: s.code, sector: s.sector, country: s.country,
  };
}

export class RecordAccess {
  readonly ability: AppAbility;

  constructor(actor: Actor, private readonly records: Map<string, RecordAttributes>) {
    const rules = defineAbilityFor(actor).rules.map((r) => (r.conditions ? { ...r, conditions: forMemory(r.conditions as Conditions) } : r));
    this.ability = createMongoAbility(rules as AppAbility['rules'], { conditionsMatcher }) as AppAbility;
  }

  /** Attributes of a record loaded with recordAttributes(); undefined for one that does not exist. */
  attributes(id: string): RecordAttributes | undefined {
    return this.records.get(id);
  }

  /** May the caller read `field` of record `id`? (`id` itself: is the record in the caller's scope?) Nothing of a record that does not exist. */
  canRead(id: string, field: string): boolean {
    const record = this.attributes(id);
    if (!record) return false;
    const { values: _values, ...attrs } = record;
    return this.ability.can('read', subject('Returnee', { ...attrs } as Record<string, unknown>), field);
  }
}
