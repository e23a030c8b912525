import type { EntityManager } from '@mikro-orm/postgresql';
import { enqueueWebhookEvents } from '../webhooks/webhook-outbox';

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

/**
 * The webhook outbox's `record.merged` / `record.unmerged`: ids only (the survivor as the event's
 * record, the merged record as its subject), delivered to agencies that may see the survivor once
 * the merge (or its undo) is made — decided in SQL in this transaction (webhooks/webhook-audience.ts).
 * An agency that saw only the merged record hears nothing: it no longer sees either record.
 */
const announceOnWebhooks: RecordMergedHook = (tx, event) =>
  enqueueWebhookEvents(tx, [
    { type: event.undone ? 'RECORD_UNMERGED' : 'RECORD_MERGED', returneeId: event.survivorId, subjectId: event.mergedId },
  ]);

const hooks: RecordMergedHook[] = [announceOnWebhooks];

export function onRecordMerged(hook: RecordMergedHook): void {
  hooks.push(hook);
}

export async function runRecordMergedHooks(tx: EntityManager, event: RecordMergedEvent): Promise<void> {
  for (const hook of hooks) await hook(tx, event);
}
