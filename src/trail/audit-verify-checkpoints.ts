import { GENESIS_HASH } from './audit-canonical';
import { checkSignature, type CheckpointRecord } from './audit-checkpoint';
import type { ProblemLog } from './audit-problems';
import type { TrustedKey } from './audit-signing-key';

/** Where a checkpoint came from: the database, the hub's kept file or sink directory, or the command line. */
export type CheckpointSource = 'database' | 'file' | 'directory' | 'argument';

export interface CheckpointStatus {
  checkpoint: CheckpointRecord;
  source: CheckpointSource;
  signatureValid: boolean;
  trustedKey: boolean;
  /** The chain still holds this hash at this position. */
  chainMatches: boolean;
  /** The position is in a month that was archived and detached: its archive, not the database, holds the link. */
  archived?: boolean;
}

export type Seen = Map<string, Buffer>;

/** The position runs of detached months (their seals vouch for them; their archives hold the links). */
export type ArchivedRuns = readonly { start: bigint; end: bigint }[];

export interface Sourced {
  checkpoint: CheckpointRecord;
  source: CheckpointSource;
}

export function checkCheckpoints(
  all: Sourced[],
  seen: Seen,
  headPosition: string,
  trustedKeys: readonly TrustedKey[],
  log: ProblemLog,
  archived: ArchivedRuns = [],
): CheckpointStatus[] {
  return all.map(({ checkpoint: cp, source }) => {
    const sig = checkSignature(cp, trustedKeys);
    const at = cp.position === '0' ? GENESIS_HASH : seen.get(cp.position);
    const chainMatches = at !== undefined && at.toString('hex') === cp.hash;
    const where = { position: cp.position, checkpointId: cp.id ?? 'external' };
    const position = BigInt(cp.position);
    const inArchive = archived.some((r) => position >= r.start && position <= r.end);
    if (!sig.valid) log.add({ kind: 'CHECKPOINT_SIGNATURE', ...where, detail: `the checkpoint signature does not verify (${source})` });
    else if (!sig.trustedKey)
      log.add({ kind: 'CHECKPOINT_SIGNATURE', ...where, detail: `signed by key ${cp.keyId}, which is not a trusted key (${source})` });
    if (BigInt(cp.position) > BigInt(headPosition)) {
      log.add({
        kind: 'TRUNCATED_AFTER_CHECKPOINT',
        ...where,
        detail: `the chain ends at position ${headPosition}, but a signed checkpoint (${source}) vouches for position ${cp.position}: the events after ${headPosition} were removed`,
      });
    } else if (!chainMatches && !inArchive) {
      log.add({
        kind: 'CHECKPOINT_MISMATCH',
        ...where,
        detail: `the chain no longer passes through this signed head (${source}): an event at or before it was changed or removed and the chain rewritten`,
      });
    }
    return {
      checkpoint: cp,
      source,
      signatureValid: sig.valid,
      trustedKey: sig.trustedKey,
      chainMatches,
      ...(inArchive ? { archived: true } : {}),
    };
  });
}

/** The highest position wins; among equals, the one listed last. */
export function latestOf(statuses: CheckpointStatus[]): CheckpointStatus | undefined {
  return statuses.reduce<CheckpointStatus | undefined>(
    (best, s) => (best === undefined || BigInt(s.checkpoint.position) >= BigInt(best.checkpoint.position) ? s : best),
    undefined,
  );
}

/** In a bounded check: the checkpoints in the open months, and the latest of each source (older ones are behind a month seal). */
export function boundedCheckpoints(all: Sourced[], openFrom: bigint): Sourced[] {
  const latest = new Map<string, Sourced>();
  for (const c of all) {
    const best = latest.get(c.source);
    if (!best || BigInt(c.checkpoint.position) >= BigInt(best.checkpoint.position)) latest.set(c.source, c);
  }
  return all.filter((c) => BigInt(c.checkpoint.position) > openFrom || [...latest.values()].includes(c));
}
