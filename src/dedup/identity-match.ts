import type { Knex } from '@mikro-orm/postgresql';
import { NAME_SIMILARITY_THRESHOLD, nearRowsSql, PART_SIMILARITY } from './candidate-search';
import type { IdentitySnapshot, QuestionMatch } from './identity-check.entity';
import { scoreMatch } from './match-score';

/**
 * The system search behind an identity check request: records of OTHER registering agencies, in
 * the record's country (any country when the request is cross-border), not merged, whose name
 * keys are close to the record's (the blocking of pair-store.ts, through the key vocabulary), scored over the IDENTITY
 * fields; those at or above IDENTITY_CHECK_MIN_SCORE, grouped by registering agency. Nothing of
 * it reaches the requester (identity-check.service.ts).
 *
 * Who is eligible (agency, country, merge state) is decided in SQL BEFORE the cap, and the cap is
 * per registering agency (the audience of a question): the requester's own look-alikes, records
 * abroad or merged ones cannot crowd an eligible holder out, and neither can another agency's
 * records — whether agency X gets a question depends on X's records only.
 */
export const IDENTITY_CHECK_MIN_SCORE = 0.8;
/** Closest records looked at per registering agency. */
export const LIMIT_PER_AGENCY = 200;

interface Row {
  id: string;
  agency_id: string;
  given_name: string;
  family_name: string;
  patronymic: string | null;
  other_names: string[] | null;
  sex: string | null;
  date_of_birth: string | null;
  date_of_birth_estimated: boolean | null;
  place_of_birth: string | null;
}

export async function holdersOf(
  db: Knex | Knex.Transaction,
  record: { id: string; country: string; agencyId: string; identity: IdentitySnapshot; otherNames: string[] },
  crossBorder: boolean,
): Promise<Map<string, QuestionMatch[]>> {
  const { rows } = (await db.raw(
    `select r.id, r.registering_agency_id as agency_id, r.given_name, r.family_name, r.patronymic, to_json(r.other_names) as other_names,
            r.sex, r.date_of_birth::text as date_of_birth, r.date_of_birth_estimated, r.place_of_birth
       from returnee_name_key b join returnee rb on rb.id = b.returnee_id
       cross join lateral (
         select ranked.id from (
           select k.returnee_id as id,
                  row_number() over (partition by r.registering_agency_id order by similarity(k.name_key, b.name_key) desc, k.returnee_id) as n
             from returnee_name_key k join returnee r on r.id = k.returnee_id
            where k.returnee_id in (${nearRowsSql('b.given_key', 'b.family_key', 'b.family_key', 'b.given_key', "b.given_key || '|' || b.family_key")})
              and k.returnee_id <> b.returnee_id and r.merged_into_id is null and r.registering_agency_id <> ? and (? or r.country = rb.country)
              and (similarity(k.name_key, b.name_key) >= ?
                    and greatest(least(similarity(k.given_key, b.given_key), similarity(k.family_key, b.family_key)),
                                 least(similarity(k.given_key, b.family_key), similarity(k.family_key, b.given_key))) >= ?
                or k.name_pairs @> array[b.given_key || '|' || b.family_key])
         ) ranked where ranked.n <= ?
       ) c join returnee r on r.id = c.id
      where b.returnee_id = ?`,
    [record.agencyId, crossBorder, NAME_SIMILARITY_THRESHOLD, PART_SIMILARITY, LIMIT_PER_AGENCY, record.id],
  )) as { rows: Row[] };
  const holders = new Map<string, QuestionMatch[]>();
  const mine = { ...record.identity, otherNames: record.otherNames };
  for (const r of rows) {
    const { score, reasons } = scoreMatch(mine, {
      givenName: r.given_name,
      familyName: r.family_name,
      patronymic: r.patronymic,
      otherNames: r.other_names ?? [],
      sex: r.sex,
      dateOfBirth: r.date_of_birth,
      dateOfBirthEstimated: r.date_of_birth_estimated,
      placeOfBirth: r.place_of_birth,
    });
    if (score < IDENTITY_CHECK_MIN_SCORE) continue;
    holders.set(r.agency_id, [...(holders.get(r.agency_id) ?? []), { returneeId: r.id, score, reasons }]);
  }
  return holders;
}
