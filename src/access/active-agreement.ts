import type { MongoQuery } from '@casl/ability';

/**
 * The one definition of "an active data-sharing agreement lets the caller's agency read section
 * S of a record" (src/agreement/agreement.entity.ts): an agreement whose holder is the record's
 * registering agency, whose recipient is the caller's agency (or every agency of the caller's
 * sector in the caller's country), not suspended, today within its dates, covering S in the
 * terms in force. The policy compiler (ability.ts) puts it in the read rules of the sections a
 * policy marks `requiresAgreement`, and basis.ts names the agreement that held (its id and
 * version) in the READ event: one definition, two renderings, one SQL compiler.
 */
export interface Recipient {
  agencyId: string;
  sector: string;
  country: string;
}

/**
 * A condition on one agreement row (CASL mongo dialect). One `$or` of whole alternatives (open
 * or dated end × the agency named or the sector of the country), the shape CASL's own matcher
 * also evaluates (the oracles compare it with the SQL).
 */
export function agreementInForce(today: string, recipient: Recipient, section: string): MongoQuery {
  const ends = [{ validUntil: null }, { validUntil: { $gte: today } }];
  const recipients = [
    { recipientAgency: recipient.agencyId },
    { recipientAgency: null, recipientSector: recipient.sector, recipientCountry: recipient.country },
  ];
  return {
    sections: { $all: [section] },
    suspendedAt: null,
    validFrom: { $lte: today },
    $or: ends.flatMap((end) => recipients.map((to) => ({ ...end, ...to }))),
  };
}

/** A condition on the returnee row: an agreement of its registering agency is in force for the recipient and section. */
export function activeAgreementCondition(today: string, recipient: Recipient, section: string): MongoQuery {
  return { sharingAgreements: { $elemMatch: agreementInForce(today, recipient, section) } };
}
