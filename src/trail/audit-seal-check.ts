import type { Knex } from '@mikro-orm/postgresql';
import type { ProblemLog } from './audit-problems';
import { sealDefects, type MonthSeal } from './audit-month-seal';
import type { TrustedKey } from './audit-signing-key';
import type { MonthWalk } from './audit-walk';

/** A run of positions vouched for: walked, or (for a closed month not walked this time) by its seal. */
export interface Run {
  start: bigint;
  end: bigint;
  endHash: string;
}

export interface MonthStatus {
  month: string;
  seal?: MonthSeal;
  /** The seal verifies (hash, signature, follows the previous seal); undefined for an open month. */
  sealValid?: boolean;
  /** Walked in this verification: every link recomputed. */
  walked: boolean;
  /** Links found (walked) or vouched for by the seal. */
  events: number;
  /** No problem found in this month (by the walk, or by the seal and the probes of its ends). */
  intact: boolean;
  /** Archived and detached: vouched for by its seal alone; its links are in its archive (hub audit verify --archive). */
  archived?: boolean;
}

/** The stored link hashes at the given positions (one statement). */
async function storedHashes(knex: Knex, positions: string[]): Promise<Map<string, string>> {
  if (positions.length === 0) return new Map();
  const { rows } = (await knex.raw(
    `select position::text as position, encode(hash, 'hex') as hash from audit_chain where position = any(?::bigint[])`,
    [`{${positions.join(',')}}`],
  )) as { rows: { position: string; hash: string }[] };
  return new Map(rows.map((r) => [r.position, r.hash]));
}

/**
 * Checks every month seal: by itself (hash, signature) and as a chain of seals; against the walk
 * of its month when the month was walked (first, last, count, root hash), else against the
 * stored chain at its two ends (the root hash must still be the link at its last position, and
 * its first position must still be there). Returns the months' statuses and the runs the seals
 * of unwalked months vouch for, so the tiling of positions stays complete.
 */
export async function checkMonthSeals(
  knex: Knex,
  seals: readonly MonthSeal[],
  walks: ReadonlyMap<string, MonthWalk>,
  trusted: readonly TrustedKey[],
  log: ProblemLog,
  detached: ReadonlySet<string> = new Set(),
): Promise<{ statuses: MonthStatus[]; runs: Run[] }> {
  const unwalked = seals.filter((s) => !walks.has(s.month) && !detached.has(s.month) && BigInt(s.eventCount) > 0n);
  const probes = await storedHashes(
    knex,
    unwalked.flatMap((s) => [s.firstPosition, s.lastPosition]),
  );
  const statuses: MonthStatus[] = [];
  const runs: Run[] = [];
  seals.forEach((seal, i) => {
    const problems: string[] = sealDefects(seal, seals[i - 1], trusted);
    const sealValid = problems.length === 0;
    const walk = walks.get(seal.month);
    const count = BigInt(seal.eventCount);
    if (walk) {
      const first = walk.runs[0]?.[0];
      const last = walk.runs.at(-1)?.[1];
      if (BigInt(walk.checked) !== count) problems.push(`it vouches for ${count} links, the month holds ${walk.checked}`);
      else if (count > 0n && (first?.toString() !== seal.firstPosition || last?.toString() !== seal.lastPosition))
        problems.push(`it vouches for positions ${seal.firstPosition}..${seal.lastPosition}, the month holds ${first}..${last}`);
      else if (count > 0n && walk.runEndHashes.at(-1) !== seal.rootHash)
        problems.push('the link at its last position is not its root hash');
    } else if (count > 0n && detached.has(seal.month)) {
      runs.push({ start: BigInt(seal.firstPosition), end: BigInt(seal.lastPosition), endHash: seal.rootHash });
    } else if (count > 0n) {
      if (!probes.has(seal.firstPosition)) problems.push(`its first position ${seal.firstPosition} is gone`);
      if (probes.get(seal.lastPosition) !== seal.rootHash)
        problems.push(`the link at its last position ${seal.lastPosition} is not its root hash`);
      runs.push({ start: BigInt(seal.firstPosition), end: BigInt(seal.lastPosition), endHash: seal.rootHash });
    }
    for (const defect of problems) {
      log.add({ kind: 'MONTH_SEAL', month: seal.month, position: seal.lastPosition, detail: `the seal of ${seal.month}: ${defect}` });
    }
    const walkOk = walk ? walk.problems.length === 0 : true;
    statuses.push({
      month: seal.month,
      seal,
      sealValid,
      walked: walk !== undefined,
      events: walk ? walk.checked : Number(count),
      intact: problems.length === 0 && walkOk,
      ...(detached.has(seal.month) ? { archived: true } : {}),
    });
  });
  return { statuses, runs };
}
