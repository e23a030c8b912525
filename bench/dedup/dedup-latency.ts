import { signToken } from '../../src/auth/token';
import { loadConfig } from '../../src/config';
import { createServer } from '../../src/server';
import { dropDb, sql } from '../audit/bench-db';
import { PAIR_VERSION } from '../../src/dedup/pair-store';
import { keepFlag, option, seededDatabase } from './seeded-db';

/**
 * `npm run dedup:bench [-- --returnees N --checks C]`: the registration-time duplicate check at
 * scale. Seeds N returnees (default 10^5, with planted duplicates), starts a hub on them and, as
 * the Kazakh social-protection caseworker, sends C `likelyDuplicates` queries one after another
 * over HTTP: half describe a person of the caller's scope as another agency would have written
 * them (Cyrillic, year of birth only), half a person nobody registered. Prints p50/p95/p99 of the
 * whole HTTP round trip. Not a test: numbers depend on the machine and what else runs on it.
 * `--keep` keeps the seeded database (dedup_bench_keep_N) for the next `--keep` run with the same N,
 * which then only applies new migrations: for iterating on the search (drop it when done).
 */
const CHECK = `query($input: DuplicateCheckInput!) { likelyDuplicates(input: $input) { complete candidates { score returnee { id caseNumber givenName familyName } } } }`;
const SECRET = 'bench-secret-that-is-at-least-32-characters-long';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
  const returnees = option('returnees', 100_000);
  const checks = option('checks', 300);
  const keep = keepFlag();
  const name = keep ? `dedup_bench_keep_${returnees}` : `dedup_bench_${process.pid}`;
  const { url, result, seconds } = await seededDatabase(name, returnees, 11, undefined, keep);
  process.stdout.write(
    result
      ? `seeded ${result.returnees} returnees (${result.plantedDuplicates.length} planted duplicates) in ${seconds.toFixed(0)} s\n`
      : `reusing ${name} (kept by an earlier --keep run)\n`,
  );
  // This bench measures registration checks, not the review pairs: mark every record's pairs as
  // computed, so the hub's background pair filler (pair-store.ts) does not compete with the checks.
  await sql(url, 'update returnee_name_key set pairs_version = $1', [PAIR_VERSION]);
  const hub = await createServer(
    loadConfig({ NODE_ENV: 'test', DATABASE_URL: url, HUB_JWT_SECRET: SECRET, PORT: '0', LOG_LEVEL: 'silent' }),
  );
  try {
    const token = await signToken(SECRET, 'kz-social-caseworker', 3600);
    const known = await sql<{ other_names: string[]; sex: string; dob: string }>(
      url,
      `
      select r.other_names, r.sex, r.date_of_birth::text as dob from returnee r join agency a on a.id = r.registering_agency_id
       where a.code = (select a2.code from staff_member s join agency a2 on a2.id = s.agency_id where s.username = 'kz-social-caseworker')
         and cardinality(r.other_names) > 0 order by md5(r.id::text) limit $1`,
      [Math.ceil(checks / 2)],
    );
    const probes = known.map((r) => {
      const [givenName, ...family] = r.other_names[0].split(' ');
      return { givenName, familyName: family.join(' '), sex: r.sex, dateOfBirth: `${r.dob.slice(0, 4)}-01-01`, dateOfBirthEstimated: true };
    });
    for (let i = 0; probes.length < checks; i++)
      probes.push({
        givenName: `Zaure${String.fromCharCode(97 + (i % 26))}`,
        familyName: `Kemelbek${'abcdefghijklmnopqrstuvwxyz'[Math.floor(i / 26) % 26]}ova`,
        sex: 'FEMALE',
        dateOfBirth: '1990-01-01',
        dateOfBirthEstimated: true,
      });
    probes.sort((a, b) => a.familyName.localeCompare(b.familyName)); // interleave found and not found
    const post = async (query: string, variables: Record<string, unknown>) => {
      const started = process.hrtime.bigint();
      const res = await fetch(`${hub.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose-of-use': 'bench: duplicate check' },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data?: Record<string, any>; errors?: unknown[] };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return { ms: Number(process.hrtime.bigint() - started) / 1e6, data: body.data! };
    };
    const send = async (input: Record<string, unknown>) => {
      const { ms, data } = await post(CHECK, { input });
      return { ms, found: data.likelyDuplicates.candidates.length as number };
    };
    for (const p of probes.slice(0, 20)) await send(p); // warm-up: connections, plans, caches
    const results = [];
    for (const p of probes) results.push(await send(p));
    const ms = results.map((r) => r.ms).sort((a, b) => a - b);
    const found = results.filter((r) => r.found > 0).length;
    for (const [label, part] of [
      ['with candidates', results.filter((r) => r.found > 0)],
      ['without', results.filter((r) => r.found === 0)],
    ] as const) {
      const t = part.map((r) => r.ms).sort((a, b) => a - b);
      if (t.length > 0)
        process.stdout.write(
          `  ${label}: ${t.length} checks, p50 ${percentile(t, 50).toFixed(1)} ms, p95 ${percentile(t, 95).toFixed(1)} ms\n`,
        );
    }
    process.stdout.write(
      `${results.length} checks over HTTP, one at a time: p50 ${percentile(ms, 50).toFixed(1)} ms, p95 ${percentile(ms, 95).toFixed(1)} ms, ` +
        `p99 ${percentile(ms, 99).toFixed(1)} ms, max ${ms[ms.length - 1].toFixed(1)} ms; ${found} found candidates\n`,
    );
    // The floor under the same conditions: one record read (scoped, projected, audited like a check).
    const ids = (await post('{ returnees(first: 50) { nodes { id } } }', {})).data.returnees.nodes.map((n: { id: string }) => n.id);
    const reads: number[] = [];
    for (let i = 0; i < results.length; i++)
      reads.push(
        (await post('query($id: ID!) { returnee(id: $id) { id caseNumber givenName familyName } }', { id: ids[i % ids.length] })).ms,
      );
    reads.sort((a, b) => a - b);
    process.stdout.write(
      `for comparison, ${reads.length} returnee(id) reads: p50 ${percentile(reads, 50).toFixed(1)} ms, p95 ${percentile(reads, 95).toFixed(1)} ms\n`,
    );
    process.stdout.write(
      `machine load while measuring: ${(await import('node:os'))
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} (1/5/15 min)\n`,
    );
  } finally {
    await hub.stop();
    if (!keep) await dropDb(name);
  }
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
