import { buildMongoQueryMatcher, createMongoAbility, subject } from '@casl/ability';
import { rulesToCondition } from '@casl/ability/extra';
import { $and, $nor, $or, and, nor, or } from '@ucast/mongo2js';
import type { Client } from 'pg';
import { defineAbilityFor, type AppAbility } from '../../src/access/ability';
import { conditionSql } from '../../src/access/condition-sql';
import { ALL_RETURNEE_FIELDS } from '../../src/access/sections';
import type { Actor } from '../../src/access/actor';

/**
 * What a caller may read on a record, decided by the compiled CASL ability (policies/ through
 * access/ability.ts), not by a hand-written matrix. For each field, the ability's own read rules
 * for it (`rulesFor`) are flattened by CASL's `rulesToCondition` into one condition, and that
 * condition is evaluated in PostgreSQL on the fixture rows, through condition-sql.ts: SQL is what
 * the hub runs, and the condition depends on "today" (a consent counts only if given by whom the
 * person's status today requires), which only the rows themselves answer.
 *
 * What the oracle does NOT share with the hub's read path: the projection's field groups, the
 * reduction of a group's condition on records in scope (projection.ts withinScope), the page's
 * statement (returnee-select.ts), the layouts, views and audit events. So a mistake in any of
 * those shows up as a disagreement, while the per-field condition is the policy's own.
 *
 * condition-sql.ts itself is checked against CASL's in-memory matcher on the same rows
 * (`memoryCanRead`, disclosure-oracles.test.ts): the rules evaluated by CASL, on the attributes
 * loaded below, must give what the SQL gives, field by field.
 */
export interface RecordAttributes {
  id: string;
  registeringAgency: string;
  country: string;
  dateOfBirth: string;
  caseAccesses: { agency: string; revokedAt: string | null; crossBorder: boolean }[];
  consents: {
    givenBy: string;
    sectors: string[];
    sections: string[];
    revokedAt: string | null;
    validFrom: string;
    validUntil: string | null;
  }[];
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
       coalesce((select json_agg(json_build_object('givenBy', c.given_by, 'sectors', c.sectors, 'sections', c.sections, 'revokedAt', c.revoked_at,
         'validFrom', c.valid_from::text, 'validUntil', c.valid_until::text)) from consent c where c.returnee_id = r.id), '[]') as consents
     from returnee r where r.id = any($1::uuid[])`,
    [ids],
  );
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        registeringAgency: r.registering_agency_id,
        country: r.country,
        dateOfBirth: r.date_of_birth,
        caseAccesses: r.case_accesses,
        consents: r.consents,
        values: Object.fromEntries(
          Object.entries(r.columns as Record<string, unknown>)
            .filter(([, v]) => v !== null && typeof v !== 'boolean' && typeof v !== 'number')
            .map(([k, v]) => [k, Array.isArray(v) ? v.join(' ') : String(v)]),
        ),
      },
    ]),
  );
}

/** The caller as the hub builds it (access/actor.ts), from the database. */
export async function actorOf(db: Client, staffId: string): Promise<Actor> {
  const {
    rows: [s],
  } = await db.query(
    `select s.id, s.username, s.display_name, s.roles, a.id as agency_id, a.code, a.sector, a.country
     from staff_member s join agency a on a.id = s.agency_id where s.id = $1`,
    [staffId],
  );
  return {
    staffId: s.id,
    username: s.username,
    displayName: s.display_name,
    roles: s.roles,
    agencyId: s.agency_id,
    agencyCode: s.code,
    sector: s.sector,
    country: s.country,
  };
}

type Conditions = Record<string, unknown>;

/** One condition for (read, Returnee, field) from the ability's rules, as CASL flattens them; null: never readable. */
function readCondition(ability: AppAbility, field: string): Conditions | null {
  return rulesToCondition(
    ability.rulesFor('read', 'Returnee', field),
    (rule) => (rule.inverted ? { $not: rule.conditions ?? {} } : (rule.conditions ?? {})),
    { and: (all) => ({ $and: all }), or: (any) => ({ $or: any }), empty: () => ({}) },
  ) as Conditions | null;
}

/** `?` placeholders (knex style, as condition-sql.ts writes them) as node-postgres's `$n`, from `$first`. */
function numbered(text: string, first: number): string {
  let n = first;
  return text.replace(/\?/g, () => `$${n++}`);
}

/** Per record, the fields whose read condition holds on its row, evaluated in PostgreSQL. */
async function readableInSql(db: Client, ability: AppAbility, ids: string[]): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>(ids.map((id) => [id, new Set()]));
  const byCondition = new Map<string, { condition: Conditions; fields: string[] }>();
  for (const field of ALL_RETURNEE_FIELDS) {
    const condition = readCondition(ability, field);
    if (condition === null) continue;
    const key = JSON.stringify(condition);
    const entry = byCondition.get(key) ?? { condition, fields: [] };
    entry.fields.push(field);
    byCondition.set(key, entry);
  }
  if (ids.length === 0) return out;
  for (const { condition, fields } of byCondition.values()) {
    const params: unknown[] = [];
    const where = conditionSql(condition, 'r', params);
    const { rows } = await db.query<{ id: string }>(`select r.id from returnee r where r.id = any($1::uuid[]) and ${numbered(where, 2)}`, [
      ids,
      ...params,
    ]);
    for (const { id } of rows) for (const f of fields) out.get(id)!.add(f);
  }
  return out;
}

/**
 * CASL's default in-memory matcher knows no `$or`/`$and`, which the consent condition uses; the
 * one below has them, from @ucast/mongo2js, the library CASL's matcher is built on.
 */
const conditionsMatcher = buildMongoQueryMatcher({ $and, $or, $nor }, { and, or, nor });

/**
 * One rewrite the in-memory matcher needs, which keeps the meaning, applied at every depth:
 * inside `$elemMatch` the matcher reads a `$or` beside plain fields as operators on the element
 * itself, so `c: { $elemMatch: { P, $or: [X, Y] } }` becomes
 * `$or: [{ c: { $elemMatch: { P, X } } }, { c: { $elemMatch: { P, Y } } }]`.
 */
function forMemory(conditions: Conditions): Conditions {
  const out: Conditions = {};
  const ors: Conditions[] = [];
  for (const [key, value] of Object.entries(conditions)) {
    const match = (value as { $elemMatch?: Conditions } | null)?.$elemMatch;
    if ((key === '$or' || key === '$and' || key === '$nor') && Array.isArray(value)) {
      out[key] = value.map((v) => forMemory(v as Conditions));
    } else if (key === '$not' && value && typeof value === 'object') {
      out.$nor = [forMemory(value as Conditions)];
    } else if (!key.startsWith('$') && match && Array.isArray(match.$or)) {
      const { $or: alternatives, ...plain } = match;
      ors.push({ $or: (alternatives as Conditions[]).map((x) => ({ [key]: { $elemMatch: { ...plain, ...x } } })) });
    } else {
      out[key] = value;
    }
  }
  if (ors.length === 0) return out;
  return { ...out, $and: [...((out.$and as Conditions[] | undefined) ?? []), ...ors] };
}

export class RecordAccess {
  private memory?: AppAbility;

  private constructor(
    readonly ability: AppAbility,
    private readonly records: Map<string, RecordAttributes>,
    private readonly readable: Map<string, Set<string>>,
    /** Referrals from or to the caller's agency: referral id → the record it names. */
    private readonly referrals: Map<string, string>,
  ) {}

  /** The caller's access to `ids`, worked out now (call again after a write changes the rows). */
  static async load(db: Client, actor: Actor, ids: Iterable<string>): Promise<RecordAccess> {
    const list = [...new Set(ids)];
    const ability = defineAbilityFor(actor);
    const { rows } = await db.query<{ id: string; returnee_id: string }>(
      'select id, returnee_id from referral where from_agency_id = $1 or to_agency_id = $1',
      [actor.agencyId],
    );
    return new RecordAccess(
      ability,
      await recordAttributes(db, list),
      await readableInSql(db, ability, list),
      new Map(rows.map((r) => [r.id, r.returnee_id])),
    );
  }

  /** Attributes of a record loaded with recordAttributes(); undefined for one that does not exist. */
  attributes(id: string): RecordAttributes | undefined {
    return this.records.get(id);
  }

  /** May the caller read `field` of record `id`? (`id` itself: is the record in the caller's scope?) Nothing of a record that does not exist. */
  canRead(id: string, field: string): boolean {
    const fields = this.readable.get(id);
    if (!fields) throw new Error(`the oracle did not load record ${id}: pass it to RecordAccess.load`);
    return fields.has(field);
  }

  /** Is `referralId` a referral from or to the caller's agency that names record `id`? (the referral basis of ReturneeRef) */
  partyToReferral(referralId: string | undefined, id: string): boolean {
    return referralId !== undefined && this.referrals.get(referralId) === id;
  }

  /** The same question answered by CASL's in-memory matcher on the loaded attributes (to check condition-sql.ts). */
  memoryCanRead(id: string, field: string): boolean {
    const record = this.attributes(id);
    if (!record) return false;
    this.memory ??= createMongoAbility(
      this.ability.rules.map((r) =>
        r.conditions ? { ...r, conditions: forMemory(r.conditions as Conditions) } : r,
      ) as AppAbility['rules'],
      { conditionsMatcher },
    ) as AppAbility;
    const { values: _values, ...attrs } = record;
    return this.memory.can('read', subject('Returnee', { ...attrs } as Record<string, unknown>), field);
  }

  /** Records loaded. */
  ids(): string[] {
    return [...this.readable.keys()];
  }
}
