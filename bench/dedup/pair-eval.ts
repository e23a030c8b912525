import type { Knex } from '@mikro-orm/postgresql';
import { fillAllStalePairs, PAIR_MIN_SCORE } from '../../src/dedup/pair-store';

/**
 * The review list's pairs (duplicate_pair, src/dedup/pair-store.ts) against the planted ones:
 * what `potentialDuplicates` would list to a supervisor who sees every record. Its scores use the
 * IDENTITY fields only (no guardian, no documents), so they differ from a registration check's.
 */
export async function evaluatePairs(knex: Knex, truth: ReadonlySet<string>, out: (line: string) => void): Promise<void> {
  const started = Date.now();
  const records = await fillAllStalePairs(knex);
  const seconds = (Date.now() - started) / 1000;
  const { rows } = (await knex.raw('select low_id, high_id, score from duplicate_pair')) as {
    rows: { low_id: string; high_id: string; score: number }[];
  };
  out(`\nreview pairs (potentialDuplicates): computed for ${records} records in ${seconds.toFixed(1)} s, ${rows.length} pairs kept\n`);
  out('threshold  predicted  true+  false+  missed  precision  recall  F1\n');
  for (const threshold of [PAIR_MIN_SCORE, 0.6, 0.7, 0.8, 0.9]) {
    const predicted = rows.filter((r) => r.score >= threshold).map((r) => `${r.low_id}|${r.high_id}`);
    const tp = predicted.filter((k) => truth.has(k)).length;
    const precision = predicted.length ? tp / predicted.length : 1;
    const recall = truth.size ? tp / truth.size : 1;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    out(
      `${threshold.toFixed(2).padStart(9)}  ${String(predicted.length).padStart(9)}  ${String(tp).padStart(5)}  ${String(predicted.length - tp).padStart(6)}  ${String(truth.size - tp).padStart(6)}  ${precision.toFixed(3).padStart(9)}  ${recall.toFixed(3).padStart(6)}  ${f1.toFixed(3)}${threshold === PAIR_MIN_SCORE ? ' (default)' : ''}\n`,
    );
  }
}
