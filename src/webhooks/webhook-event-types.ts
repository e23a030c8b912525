/**
 * Every event type the hub can send, declared once: its name on the wire (Standard Webhooks
 * style, `<subject>.<verb>`), its GraphQL enum value, the kind of record it is about and who
 * may hear of it (its audience). Everything else — the subscription's validation, the GraphQL
 * enum, the outbox's audience SQL, docs/webhooks.md's table — derives from this list.
 *
 * Audiences (decided in SQL, in the transaction of the change, see webhook-audience.ts):
 * - `record`: agencies whose row scope (the CASL rules of their sector, as for any read of the
 *   returnee) includes the record once the change is made;
 * - `referralParties`: the referring and the receiving agency, who alone see a referral (the
 *   `referrals` query lists those from or to the caller's agency);
 * - `recordOrAccessHolder`: `record`, plus the agency whose access just ended, which saw the
 *   record until this moment and is told only ids it already held, so it can drop its copy.
 * - `breakGlassParties`: the agency whose staff broke the glass and the agency that registered
 *   the record — the two whose supervisors review the opening (src/break-glass/), and no one
 *   else: that an emergency opening happened is itself sensitive.
 * - `requestHolder`: the agency that recorded a data-subject request and must answer it; other
 *   agencies that see the record are not told the person exercised a right (they cannot read
 *   the request either: `dataSubjectRequests` is for the recording agency and auditors).
 */
export type WebhookAudience = 'record' | 'referralParties' | 'recordOrAccessHolder' | 'breakGlassParties' | 'requestHolder';

export interface WebhookEventTypeSpec {
  /** The `type` of the payload, e.g. `referral.received`. */
  wire: string;
  /** What `data.subject.type` names; the receiver fetches it through the GraphQL API. */
  subject: 'Referral' | 'Consent' | 'CaseAccess' | 'DataSubjectRequest' | 'BreakGlass' | 'Returnee';
  audience: WebhookAudience;
  description: string;
}

export const WEBHOOK_EVENT_TYPES = {
  REFERRAL_RECEIVED: {
    wire: 'referral.received',
    subject: 'Referral',
    audience: 'referralParties',
    description: 'A referral of a returnee was sent to an agency (both agencies of the referral hear of it)',
  },
  REFERRAL_ACCEPTED: {
    wire: 'referral.accepted',
    subject: 'Referral',
    audience: 'referralParties',
    description: 'The receiving agency accepted a referral (it now has case access)',
  },
  REFERRAL_DECLINED: {
    wire: 'referral.declined',
    subject: 'Referral',
    audience: 'referralParties',
    description: 'The receiving agency declined a referral',
  },
  REFERRAL_CLOSED: {
    wire: 'referral.closed',
    subject: 'Referral',
    audience: 'referralParties',
    description: 'An accepted referral was closed (the access it gave has ended)',
  },
  CONSENT_RECORDED: {
    wire: 'consent.recorded',
    subject: 'Consent',
    audience: 'record',
    description: 'A consent of the returnee was recorded (agencies that see the record)',
  },
  CONSENT_REVOKED: {
    wire: 'consent.revoked',
    subject: 'Consent',
    audience: 'record',
    description: 'A consent of the returnee was revoked (agencies that see the record)',
  },
  CASE_ACCESS_GRANTED: {
    wire: 'case_access.granted',
    subject: 'CaseAccess',
    audience: 'record',
    description: 'An agency was given access to a record (by a grant or an accepted referral)',
  },
  CASE_ACCESS_ENDED: {
    wire: 'case_access.ended',
    subject: 'CaseAccess',
    audience: 'recordOrAccessHolder',
    description: 'An access to a record ended (agencies that still see it, and the agency that lost it)',
  },
  RECORD_MERGED: {
    wire: 'record.merged',
    subject: 'Returnee',
    audience: 'record',
    description:
      'Another record was merged into a record your agency sees (returneeId: the surviving record; subject: the merged record, now NOT_FOUND with extensions.mergedInto)',
  },
  RECORD_UNMERGED: {
    wire: 'record.unmerged',
    subject: 'Returnee',
    audience: 'record',
    description: 'A merge into a record your agency sees was undone (returneeId: the surviving record; subject: the record restored)',
  },
  DATA_SUBJECT_REQUEST_DUE: {
    wire: 'data_subject_request.due',
    subject: 'DataSubjectRequest',
    audience: 'requestHolder',
    description:
      'A data-subject request your agency recorded is due within HUB_DSR_DUE_NOTICE_DAYS days, or overdue, and still open (sent once per request, to that agency only)',
  },
  BREAK_GLASS_OPENED: {
    wire: 'break_glass.opened',
    subject: 'BreakGlass',
    audience: 'breakGlassParties',
    description:
      "An emergency (break-glass) opening of a record: sent to the opener's agency and the record's registering agency, whose supervisors review it",
  },
} as const satisfies Record<string, WebhookEventTypeSpec>;

export type WebhookEventTypeName = keyof typeof WEBHOOK_EVENT_TYPES;
export type WebhookEventWire = (typeof WEBHOOK_EVENT_TYPES)[WebhookEventTypeName]['wire'];

export const WEBHOOK_EVENT_TYPE_NAMES = Object.keys(WEBHOOK_EVENT_TYPES) as WebhookEventTypeName[];

const BY_WIRE = new Map<string, WebhookEventTypeName>(WEBHOOK_EVENT_TYPE_NAMES.map((n) => [WEBHOOK_EVENT_TYPES[n].wire, n]));

export function eventTypeOfWire(wire: string): WebhookEventTypeName | undefined {
  return BY_WIRE.get(wire);
}

/** Version of the payload's shape; a breaking change to it is a new version, announced in docs/webhooks.md. */
export const WEBHOOK_PAYLOAD_VERSION = 1;
