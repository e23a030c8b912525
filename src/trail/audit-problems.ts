/**
 * What verification can find wrong, in the order an auditor reads it. `position` and
 * `eventId` name the first bad event; `detail` says what is wrong in words.
 */
export type ProblemKind =
  | 'HASH_MISMATCH' // the event (or its link) differs from what was sealed: a field changed, rows swapped
  | 'EVENT_MISSING' // a sealed event's row is gone: deleted
  | 'POSITION_GAP' // chain rows are missing or out of order
  | 'CHAIN_TRUNCATED' // the chain ends before a position a seal batch or checkpoint vouches for
  | 'NOT_CHAINED' // an event the sealer should have sealed by now is not in the chain
  | 'CHECKPOINT_MISMATCH' // the chain no longer passes through a signed checkpoint
  | 'CHECKPOINT_SIGNATURE' // a checkpoint's signature is invalid, or made by a key we do not trust
  | 'TRUNCATED_AFTER_CHECKPOINT' // a signed checkpoint (typically one kept outside) is ahead of the chain's end
  | 'MONTH_SEAL'; // a month's seal does not verify, or its month no longer holds what it vouches for

export interface Problem {
  kind: ProblemKind;
  position?: string;
  eventId?: string;
  checkpointId?: string;
  /** The month (YYYY-MM, UTC) the problem is in, when it is in one. */
  month?: string;
  detail: string;
}

/** Collects problems: keeps the first `limit` in order, counts the rest. */
export class ProblemLog {
  readonly items: Problem[] = [];
  count = 0;

  constructor(private readonly limit = 20) {}

  add(problem: Problem): void {
    this.count++;
    if (this.items.length < this.limit) this.items.push(problem);
  }

  /** Chain problems come in position order; the others are sorted by position where they have one. */
  sorted(): Problem[] {
    const pos = (p: Problem) => (p.position === undefined ? Number.MAX_SAFE_INTEGER : Number(p.position));
    return [...this.items].sort((a, b) => pos(a) - pos(b));
  }
}

export function describe(p: Problem): string {
  const where = [
    p.eventId && `event ${p.eventId}`,
    p.position && `position ${p.position}`,
    p.checkpointId && `checkpoint ${p.checkpointId}`,
  ]
    .filter(Boolean)
    .join(', ');
  return `${p.kind}${where ? ` (${where})` : ''}: ${p.detail}${p.month ? ` [month ${p.month}]` : ''}`;
}
