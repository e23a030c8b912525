import { requiredGiver } from '../access/active-consent';
import { today as todayIs } from '../common/calendar';
import type { Operation } from '../request/operation';
import { badInput, forbidden } from '../errors';
import type { Returnee } from '../returnee/returnee.entity';
import { SocialSupportMeasure } from '../social-support/social-support-measure.entity';
import type { RecordConsentInput } from './consent.types';

/**
 * Who may give a consent (docs/consent.md):
 * - the person's status TODAY decides: an adult consents themselves (SELF), a minor's consent
 *   is the guardian's (GUARDIAN); a consent by anyone else would never count
 *   (src/access/active-consent.ts), so it is refused when recorded;
 * - a guardian is the guardian ON RECORD: the returnee linked as the guardian
 *   (guardianReturneeId), the guardian named in the record (guardianName, CONTACT), or the
 *   guardian appointed by a guardianship decision still in force (SOCIAL_SUPPORT). Every
 *   identifier the client gives must match one of them; names compare ignoring case, accents'
 *   composition (NFKC) and spacing. Cyrillic/Latin spellings and transliterations of one name
 *   are NOT matched: record the spelling the guardian uses (out of scope for this check);
 * - the recorder must be able to read what it names: a guardianReturneeId is checked against the
 *   record's guardian link (CONTACT), a guardianName against the record's guardianName (CONTACT)
 *   or the guardianship decisions (SOCIAL_SUPPORT). An identifier it could not read on the record
 *   is refused as GUARDIAN_NOT_VISIBLE whatever its value, or the caller could probe guardians
 *   it may not see by trying them.
 * The recorder reads the person's identity (consent.service.ts checks it first), so telling an
 * adult from a minor discloses nothing. Every refusal of a guardian is a DENY event with the
 * fields at fault; every refusal depends only on `readable`, the caller's fields on this record.
 */
export const GUARDIAN_FIELDS = ['guardianReturneeId', 'guardianName'] as const;

export function normalizedName(name: string): string {
  return name.normalize('NFKC').toLocaleLowerCase('en-US').replace(/\s+/g, ' ').trim();
}

type Person = Pick<Returnee, 'id' | 'dateOfBirth' | 'guardianReturneeId' | 'guardianName'>;

export async function giverOrThrow(op: Operation, person: Person, input: RecordConsentInput, readable: ReadonlySet<string>): Promise<void> {
  const today = todayIs();
  const required = requiredGiver(person.dateOfBirth, today);
  if (input.givenBy !== required) {
    throw badInput(
      required === 'GUARDIAN'
        ? 'The returnee is a minor: consent must be given by the guardian on record (givenBy: GUARDIAN)'
        : "The returnee is an adult: only their own consent counts (givenBy: SELF); a guardian's consent lapses at 18",
      { fields: ['givenBy'] },
    );
  }
  const named = GUARDIAN_FIELDS.filter((f) => input[f] !== undefined && input[f] !== null);
  if (required === 'SELF') {
    if (named.length > 0)
      throw badInput(`${named.join(' and ')} name a guardian; leave them out of the person's own consent (givenBy: SELF)`, {
        fields: named,
      });
    return;
  }
  if (named.length === 0)
    throw badInput('Name the guardian who consents: guardianReturneeId or guardianName', { fields: [...GUARDIAN_FIELDS] });
  await guardianOnRecordOrThrow(op, person, input, today, readable);
}

async function guardianOnRecordOrThrow(
  op: Operation,
  person: Person,
  input: RecordConsentInput,
  today: string,
  readable: ReadonlySet<string>,
): Promise<void> {
  const refuse = (reason: string, message: string, fields: readonly string[]) =>
    op.denyOrThrow({ entityType: 'Consent', returneeId: person.id, fields }, forbidden(message, { reason, fields }));
  const seesContact = GUARDIAN_FIELDS.every((f) => readable.has(f));
  const seesDecisions = readable.has('socialSupport');
  if (!seesContact && !seesDecisions) {
    return refuse(
      'GUARDIAN_NOT_VISIBLE',
      "Your agency cannot see who this minor's guardian on record is (their contact section is not shared with it), so it cannot " +
        "record the guardian's consent: ask the social-protection agency working on the case to record it",
      [...GUARDIAN_FIELDS],
    );
  }
  // A guardian link is contact data: one the caller cannot read is not checked against it (or refused as "wrong").
  if (!seesContact && input.guardianReturneeId) {
    return refuse(
      'GUARDIAN_NOT_VISIBLE',
      "Your agency cannot see this minor's guardian link (their contact section is not shared with it), so it cannot check " +
        'guardianReturneeId: name the guardian appointed by the guardianship decision in force (guardianName) instead',
      ['guardianReturneeId'],
    );
  }
  const link = seesContact ? person.guardianReturneeId : undefined;
  const names = [
    ...(seesContact && person.guardianName ? [person.guardianName] : []),
    ...(seesDecisions ? await appointedGuardians(op, person.id, today) : []),
  ].map(normalizedName);
  if (!link && names.length === 0) {
    return refuse(
      'NO_GUARDIAN_ON_RECORD',
      'No guardian is on record for this minor: record the guardian first (updateReturnee with guardianName or guardianReturneeId, ' +
        "or recordSocialSupport with a GUARDIANSHIP_DECISION), then the guardian's consent",
      [...GUARDIAN_FIELDS],
    );
  }
  const wrong = [
    ...(input.guardianReturneeId && input.guardianReturneeId.toLowerCase() !== link ? ['guardianReturneeId'] : []),
    ...(input.guardianName && !names.includes(normalizedName(input.guardianName)) ? ['guardianName'] : []),
  ];
  if (wrong.length > 0) {
    return refuse(
      'NOT_THE_GUARDIAN',
      `${wrong.join(' and ')} does not match the guardian on record: only the recorded guardian may consent for a minor ` +
        '(a guardian who is a returnee is identified by guardianReturneeId; names compare ignoring case and spacing). ' +
        'If the guardian changed, record the new guardian first',
      wrong,
    );
  }
}

/** Guardians appointed by guardianship decisions in force today. */
async function appointedGuardians(op: Operation, returneeId: string, today: string): Promise<string[]> {
  const decisions = await op.em.find(
    SocialSupportMeasure,
    {
      returnee: returneeId,
      kind: 'GUARDIANSHIP_DECISION',
      startedOn: { $lte: today },
      $or: [{ endedOn: null }, { endedOn: { $gte: today } }],
    },
    { fields: ['guardianName'] },
  );
  return decisions.map((d) => d.guardianName).filter((n): n is string => !!n);
}
