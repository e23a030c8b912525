import type { EntityManager } from '@mikro-orm/postgresql';
import { activeConsentCondition, consentActiveSql } from '../access/active-consent';
import { conditionSql } from '../access/condition-sql';
import type { Sector } from '../access/policy';
import { today } from '../common/calendar';
import type { Operation } from '../request/operation';
import { returneeScope } from '../access/scope';
import { Returnee } from '../returnee/returnee.entity';
import { readableFieldsOrThrow } from '../returnee/returnee-read.service';
import { GUARDIAN_FIELDS } from './consent-giver';
import { Consent } from './consent.entity';
import type { ConsentType } from './consent.types';
import { consentView } from './consent.view';
import { uuidOrThrow } from '../common/ids';

/** Which consents: all of a record (the `consents` query), or one (a mutation's response, a replay). */
export type ConsentTarget = { returneeId: string } | { consentId: string };

const NOT_FIELDS = new Set(['redactedFields', '__typename']);

/**
 * The one read of consents: the `consents` query, recordConsent's and revokeConsent's response
 * and their replays all come through here. A consent is a nested object of its record:
 * - row scope: the record must be in the caller's scope (`readSharing`: agencies working on
 *   the case); out of scope answers exactly like missing;
 * - field scope: the guardian fields are the record's CONTACT fields, shown as the caller may
 *   read them ON THAT RECORD (consent conditions included), by the read path's own answer
 *   (readableFieldsOrThrow), else null and in `redactedFields`;
 * - audit: one READ event per consent, naming exactly the fields returned, and the guardian
 *   fields asked for but withheld in denied_fields; durable before the data leaves.
 */
export async function readConsentsOrThrow(op: Operation, target: ConsentTarget, requested: ReadonlySet<string>): Promise<ConsentType[]> {
  const what =
    'consentId' in target ? { entityId: uuidOrThrow(target.consentId) } : { returneeId: uuidOrThrow(target.returneeId, 'returneeId') };
  await op.authorizeOrThrow('readSharing', 'Returnee', {
    entityType: 'Consent',
    ...what,
    message: `Your sector (${op.actor.sector}) does not work on cases and may not read their consents`,
  });
  const returneeId = await returneeInScopeOrThrow(op, what);
  const readable = await readableFieldsOrThrow(op, returneeId, 'Consent');
  const rows = await op.em.find(
    Consent,
    { returnee: returneeId, ...(what.entityId ? { id: what.entityId } : {}) },
    {
      // refresh: the request's identity map may hold this consent as it was before the mutation.
      populate: ['agency'],
      orderBy: { recordedAt: 'desc', id: 'desc' },
      refresh: true,
    },
  );
  const active = await activeIds(op, returneeId);
  const wanted = [...requested].filter((f) => !NOT_FIELDS.has(f));
  const withheld = (f: string) => (GUARDIAN_FIELDS as readonly string[]).includes(f) && !readable.has(f);
  const fields = ['id', ...wanted.filter((f) => f !== 'id' && !withheld(f))];
  const deniedFields = wanted.filter(withheld);
  await op.recordDurably(
    rows.map((c) => ({
      action: 'READ' as const,
      entityType: 'Consent',
      entityId: c.id,
      returneeId,
      fields,
      deniedFields,
      outcome: 'SUCCESS' as const,
    })),
  );
  return rows.map((c) => consentView(c, active.has(c.id), readable));
}

/** The record the consents belong to, when it is in the caller's scope; otherwise NOT_FOUND, audited. */
async function returneeInScopeOrThrow(op: Operation, what: { entityId?: string; returneeId?: string }): Promise<string> {
  const returneeId = what.returneeId ?? (await op.em.findOne(Consent, { id: what.entityId! }, { fields: ['returnee'] }))?.returnee.id;
  const scope = returneeScope(op.ability, 'readSharing');
  const inScope = returneeId !== undefined && scope !== null && (await op.em.count(Returnee, { $and: [{ id: returneeId }, scope] })) > 0;
  // Only ids the client sent go into the event: a consent's record out of scope is not named.
  if (!inScope) return op.notFoundOrThrow('READ', 'Consent', what.entityId ?? what.returneeId!, what.returneeId);
  return returneeId;
}

/** Ids of the record's consents that are active today, by the one definition (active-consent.ts). */
async function activeIds(op: Operation, returneeId: string): Promise<Set<string>> {
  const params: unknown[] = [returneeId];
  const where = consentActiveSql(today(), 'c', 'r', params);
  const rows = await op.em.execute<{ id: string }[]>(
    `select c.id from consent c join returnee r on r.id = c.returnee_id where c.returnee_id = ? and ${where}`,
    params,
  );
  return new Set(rows.map((r) => r.id));
}

/**
 * Does an active consent of this record cover `sector` (for any section)? The one definition
 * (src/access/active-consent.ts), so a consent the policy rules would not honour (revoked,
 * expired, or given by someone the person's status today does not allow) does not count here.
 */
export async function consentCoversSector(em: EntityManager, returneeId: string, sector: Sector): Promise<boolean> {
  const params: unknown[] = [returneeId];
  const where = conditionSql(activeConsentCondition(today(), { sector }), 'r', params);
  const rows = await em.execute<{ covered: boolean }[]>(
    `select exists (select 1 from returnee r where r.id = ? and ${where}) as covered`,
    params,
  );
  return rows[0].covered;
}
