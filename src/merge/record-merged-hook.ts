import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * HOOK POINT "record merged" (for the webhook outbox): called inside the merge's (and the
 * unmerge's) transaction, after every row moved and the audit events were recorded, so a
 * subscriber that writes an outbox row commits or rolls back with the merge. A subscriber must
 * not disclose more than ids: the event goes to systems whose scope the hub does not know here.
 */
export interface RecordMergedEvent {
  mergeId: string;
  survivorId: string;
  mergedId: string;
  /** true for unmergeReturnees. */
  undone: boolean;
}

export type RecordMergedHook = (tx: EntityManager, event: RecordMergedEvent) => Promise<void>;

const hooks: RecordMergedHook[] = [];

export function onRecordMerged(hook: RecordMergedHook): void {
  hooks.push(hook);
}

export async function runRecordMergedHooks(tx: EntityManager, event: RecordMergedEvent): Promise<void> {
  for (const hook of hooks) await hook(tx, event);
}
