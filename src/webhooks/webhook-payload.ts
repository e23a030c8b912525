import { WEBHOOK_PAYLOAD_VERSION } from './webhook-event-types';

/** An outbox event as the dispatcher reads it. */
export interface EventRow {
  id: string;
  type: string;
  returnee_id: string;
  subject_type: string;
  subject_id: string;
  occurred_at: Date;
}

/**
 * The body of a delivery: the Standard Webhooks envelope (`type`, `timestamp`, `data`) around
 * ids, a version, a time and a link — never a name, a note or a section value. The receiver
 * fetches what it needs through the GraphQL API (`link`), where the access layer and the audit
 * trail apply to its reads. The same bytes on every attempt and redelivery.
 */
export function payloadOf(e: EventRow, linkBase: string): string {
  return JSON.stringify({
    type: e.type,
    timestamp: new Date(e.occurred_at).toISOString(),
    data: {
      version: WEBHOOK_PAYLOAD_VERSION,
      eventId: e.id,
      returneeId: e.returnee_id,
      subject: { type: e.subject_type, id: e.subject_id },
      link: `${linkBase}/graphql`,
    },
  });
}
