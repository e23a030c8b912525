import { knex as createKnex, type Knex } from '@mikro-orm/postgresql';
import type { ReadProjection } from '../../src/access/projection';
import { ALL_RETURNEE_FIELDS } from '../../src/access/sections';
import { RowFacts } from '../../src/access/row-facts';
import { searchCandidates } from '../../src/dedup/candidate-search';
import { scoreMatch, type MatchInput } from '../../src/dedup/match-score';
import { nameKeysOf, namePair } from '../../src/dedup/name-keys';
import { DEFAULT_MIN_SCORE } from '../../src/dedup/dedup.service';
import { dropDb } from '../audit/bench-db';
import { evaluatePairs } from './pair-eval';
import { option, seededDatabase } from './seeded-db';

/**
 * `npm run dedup:eval [-- --returnees N --seed S --rate R]`: the matcher against the seed's planted
 * duplicates (src/seed/duplicates.ts). Every record is checked once, as the hub checks a
 * registration — the same search (candidate-search.ts) and score (match-score.ts) — but over the
 * whole table (every field readable, no row scope), because the planted second registrations
 * belong to another agency than the first: scope is what the HTTP tests check, this measures
 * the matching. A pair found from either side counts once. Prints precision, recall and F1 at
 * the default threshold and around it, and a few misses and false alarms to look at.
 */
const ALL = new Set(ALL_RETURNEE_FIELDS);
const UNSCOPED: ReadProjection = {
  scopeTemplate: {},
  scopeSql: { text: 'true', params: [] },
  scopeOverFacts: { text: 'true', params: [], facts: [] },
  scopeBranches: [],
  base: ALL,
  groups: [],
  readable: ALL,
  facts: new RowFacts(),
};

interface Rec {
  id: string;
  given_name: string;
  family_name: string;
  patronymic: string | null;
  other_names: string[];
  sex: string;
  dob: string;
  date_of_birth_estimated: boolean;
  place_of_birth: string | null;
  guardian_returnee_id: string | null;
  guardian_name: string | null;
  guardian_key: string | null;
  numbers: string[];
}

function inputOf(r: Rec): MatchInput {
  return {
    givenName: r.given_name,
    familyName: r.family_name,
    patronymic: r.patronymic,
    otherNames: r.other_names,
    sex: r.sex,
    dateOfBirth: r.dob,
    dateOfBirthEstimated: r.date_of_birth_estimated,
    placeOfBirth: r.place_of_birth,
    guardianReturneeId: r.guardian_returnee_id,
    guardianName: r.guardian_name,
    guardianKey: r.guardian_key,
    documentNumbers: r.numbers,
  };
}

const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

async function main(): Promise<void> {
  const returnees = option('returnees', 10_000);
  const seed = option('seed', 7);
  const rate = option('rate', 0.03);
  const name = `dedup_eval_${process.pid}`;
  const { url, result, seconds } = await seededDatabase(name, returnees, seed, rate);
  process.stdout.write(
    `seeded ${result.returnees} returnees (${result.plantedDuplicates.length} planted duplicate registrations) in ${seconds.toFixed(1)} s\n`,
  );
  const knex: Knex = createKnex({ client: 'pg', connection: url, pool: { min: 1, max: 1 } });
  try {
    const { rows } =
      (await knex.raw(`select r.id, r.given_name, r.family_name, r.patronymic, r.other_names, r.sex, r.date_of_birth::text as dob,
        r.date_of_birth_estimated, r.place_of_birth, r.guardian_returnee_id, r.guardian_name, gk.name_key as guardian_key,
        coalesce((select array_agg(d.number) from civil_document d where d.returnee_id = r.id and d.superseded_at is null and d.number is not null), '{}') as numbers
      from returnee r left join returnee_name_key gk on gk.returnee_id = r.guardian_returnee_id order by r.id`)) as { rows: Rec[] };
    const truth = new Set(result.plantedDuplicates.map(([a, b]) => pairKey(a, b)));
    const best = new Map<string, number>(); // pair → score (the higher of the two directions)
    const why = new Map<string, string>();
    const started = Date.now();
    for (const r of rows) {
      const input = inputOf(r);
      const keys = nameKeysOf(input);
      const { rows: candidates } = await searchCandidates(knex, {
        projection: UNSCOPED,
        nameKey: keys.nameKey,
        givenKey: keys.givenKey,
        familyKey: keys.familyKey,
        pair: namePair(keys.givenKey, keys.familyKey),
        dateOfBirth: r.dob,
        excludeId: r.id,
      });
      for (const c of candidates) {
        const { score } = scoreMatch(input, c.candidate);
        const key = pairKey(r.id, c.id);
        if (score >= (best.get(key) ?? 0))
          why.set(
            key,
            scoreMatch(input, c.candidate)
              .reasons.map((x) => `${x.code}${x.weight >= 0 ? '+' : ''}${x.weight}`)
              .join(' '),
          );
        best.set(key, Math.max(best.get(key) ?? 0, score));
      }
    }
    const perCheck = (Date.now() - started) / rows.length;
    process.stdout.write(`checked every record: ${perCheck.toFixed(2)} ms per check (search and score, one connection, no HTTP)\n\n`);
    process.stdout.write('threshold  predicted  true+  false+  missed  precision  recall  F1\n');
    for (const threshold of [0.3, 0.4, DEFAULT_MIN_SCORE, 0.6, 0.7, 0.8, 0.9]) {
      const predicted = [...best].filter(([, s]) => s >= threshold).map(([k]) => k);
      const tp = predicted.filter((k) => truth.has(k)).length;
      const precision = predicted.length ? tp / predicted.length : 1;
      const recall = truth.size ? tp / truth.size : 1;
      const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
      const mark = threshold === DEFAULT_MIN_SCORE ? ' (default)' : '';
      process.stdout.write(
        `${threshold.toFixed(2).padStart(9)}  ${String(predicted.length).padStart(9)}  ${String(tp).padStart(5)}  ${String(predicted.length - tp).padStart(6)}  ${String(truth.size - tp).padStart(6)}  ${precision.toFixed(3).padStart(9)}  ${recall.toFixed(3).padStart(6)}  ${f1.toFixed(3)}${mark}\n`,
      );
    }
    const byId = new Map(rows.map((r) => [r.id, r]));
    const show = (k: string) =>
      k
        .split('|')
        .map((id) => {
          const r = byId.get(id)!;
          return `${r.given_name} ${r.family_name} ${r.dob}${r.date_of_birth_estimated ? '~' : ''} ${r.sex[0]}`;
        })
        .join('  <->  ');
    const missed = [...truth].filter((k) => (best.get(k) ?? 0) < DEFAULT_MIN_SCORE);
    const alarms = [...best].filter(([k, s]) => s >= DEFAULT_MIN_SCORE && !truth.has(k)).map(([k]) => k);
    process.stdout.write(
      `\nsome misses (${missed.length}):\n${missed
        .slice(0, 8)
        .map((k) => `  ${(best.get(k) ?? 0).toFixed(2)}  ${show(k)}\n        ${why.get(k) ?? 'not a candidate'}`)
        .join('\n')}\n`,
    );
    process.stdout.write(
      `some false alarms (${alarms.length}):\n${alarms
        .slice(0, 8)
        .map((k) => `  ${best.get(k)!.toFixed(2)}  ${show(k)}\n        ${why.get(k)}`)
        .join('\n')}\n`,
    );
    await evaluatePairs(knex, truth, (line) => process.stdout.write(line));
  } finally {
    await knex.destroy();
    await dropDb(name);
  }
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
