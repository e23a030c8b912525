import { Reference } from '@mikro-orm/core';
import type { Operation } from '../request/operation';
import { Agency } from '../agency/agency.entity';
import { badInput } from '../errors';
import { StaffMember } from '../staff/staff.entity';
import { Returnee } from '../returnee/returnee.entity';
import { notInFutureOrThrow, periodOrThrow } from '../returnee/section-write';
import { writeSectionOrThrow } from '../returnee/section-write-command';
import type { RecordSupportSessionInput } from './psychosocial.types';
import { SupportSession } from './support-session.entity';

const OPTIONAL_FIELDS = ['endedOn', 'place', 'notes', 'riskNotes'] as const;

/**
 * Records a psychosocial session or stay (PSYCHOSOCIAL) and, when sent, the returnee's
 * engagement status (PSYCHOSOCIAL_SUMMARY, previous value kept in returnee_revision), in one
 * transaction with one audit event per record touched. Requires write access to
 * `supportSessions`, and to `engagementStatus` when it is sent.
 */
export function recordSupportSessionOrThrow(op: Operation, id: string, input: RecordSupportSessionInput): Promise<string> {
  const { engagementStatus, ...session } = input;
  return writeSectionOrThrow(op, {
    returneeId: id,
    entityType: 'SupportSession',
    attempt: 'CREATE',
    fields: ['supportSessions', ...(engagementStatus !== undefined ? ['engagementStatus'] : [])],
    doing: 'record support sessions',
    validate: () => {
      if (session.kind === 'REHABILITATION_CENTRE_STAY' && !session.place) {
        throw badInput('A REHABILITATION_CENTRE_STAY needs place: the name of the centre', { fields: ['place'] });
      }
      notInFutureOrThrow({ startedOn: session.startedOn, endedOn: session.endedOn });
      periodOrThrow(['startedOn', session.startedOn], ['endedOn', session.endedOn]);
    },
    notBeforeBirth: { startedOn: session.startedOn },
    // The engagement status is a returnee column: an update may commit between our read and write.
    racing: 'the session was being recorded',
    // One statement (section-write-sql.ts): the session, the status when it changes (kept in
    // history) and their events, the record's UPDATE first as it always was.
    statement: (returneeId) => {
      const s = new SupportSession({
        returnee: Reference.createFromPK(Returnee, returneeId),
        agency: Reference.createFromPK(Agency, op.actor.agencyId),
        recordedBy: Reference.createFromPK(StaffMember, op.actor.staffId),
        kind: session.kind,
        startedOn: session.startedOn,
      });
      for (const f of OPTIONAL_FIELDS) s[f] = session[f] ?? null;
      return {
        row: s,
        rowFields: ['kind', 'startedOn', ...OPTIONAL_FIELDS.filter((f) => s[f] !== null)],
        record: engagementStatus !== undefined ? { engagementStatus } : undefined,
        recordEventFirst: true,
      };
    },
  });
}
