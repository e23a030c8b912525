import { conditionFor, returneeScope } from '../access/scope';
import { forbidden } from '../errors';
import { uuidOrThrow } from '../common/ids';
import type { Operation } from '../request/operation';
import { Returnee } from '../returnee/returnee.entity';

/** The person a statement or a data-subject request is for, as the caller may name them. */
export interface ServedReturnee {
  id: string;
  caseNumber: string;
  registeringAgencyId: string;
}

export const SERVE_DENIED =
  "Only caseworkers and supervisors of the agency that registered this person may act on the person's own requests";

/**
 * The one gate of the person's own statement and of their data-subject requests
 * (`serveDataSubject`, src/access/ability.ts: caseworkers and supervisors of the record's
 * registering agency). Authorizes first (a sector or role without the permission: DENY event,
 * FORBIDDEN); a record outside the caller's read scope answers NOT_FOUND exactly as a missing id
 * (test/not-found-parity); a record the caller sees but did not register (a referred agency) is
 * refused with a DENY event. Both scopes are SQL conditions from the same rules as every read.
 */
export async function servedReturneeOrThrow(
  op: Operation,
  requestedId: string,
  what: { entityType: string; action: 'READ' | 'CREATE' },
): Promise<ServedReturnee> {
  const id = uuidOrThrow(requestedId, 'returneeId'); // before the id reaches the audit trail
  await op.authorizeOrThrow('serveDataSubject', 'Returnee', { entityType: what.entityType, returneeId: id, message: SERVE_DENIED });
  const readable = returneeScope(op.ability, 'read');
  const seen = readable ? await op.em.findOne(Returnee, { $and: [{ id }, readable] }, { fields: ['id', 'caseNumber'] }) : null;
  if (!seen) return op.notFoundOrThrow(what.action, 'Returnee', id, id);
  const served = conditionFor(op.ability, 'serveDataSubject');
  const own = served
    ? await op.em.findOne(Returnee, { $and: [{ id }, served] }, { fields: ['id', 'caseNumber', 'registeringAgency'] })
    : null;
  if (!own) return op.denyOrThrow({ entityType: what.entityType, returneeId: id }, forbidden(SERVE_DENIED));
  return { id: own.id, caseNumber: own.caseNumber, registeringAgencyId: own.registeringAgency.id };
}
