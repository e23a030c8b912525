import type { EntityManager } from '@mikro-orm/postgresql';
import { Agency } from '../agency/agency.entity';
import { crossBorderOrThrow } from '../case-access/border';
import { lockAccessTree, sourceAccessOf } from '../case-access/case-access-chain';
import { CaseAccess } from '../case-access/case-access.entity';
import { uuidOrThrow } from '../common/ids';
import { badInput, conflict, forbidden } from '../errors';
import type { Operation } from '../request/operation';
import { readReturneesByIdOrThrow, type Subfields } from '../returnee/returnee-read.service';
import { Returnee } from '../returnee/returnee.entity';
import type { ReturneeView } from '../returnee/returnee.types';
import { StaffMember } from '../staff/staff.entity';
import { enqueueWebhookEvents } from '../webhooks/webhook-outbox';
import { IdentityCheckQuestion, IdentityCheckRequest, type IdentitySnapshot } from './identity-check.entity';
import type { MatchReason } from './match-score';

/**
 * The holding agency's side of identity checks: its supervisors list the questions addressed to
 * their agency — the requesting agency, the identity fields the requester recorded, and their own
 * matching records (read through the scoped, audited read, so a record no longer in their scope is
 * left out) — and answer them. SHARE grants the requesting agency case access to one of the
 * matched records (as grantCaseAccess does, in the answer's transaction); NOT_THE_SAME and
 * DECLINE change nothing for the requester.
 */
export const ANSWERS = ['SHARE', 'NOT_THE_SAME', 'DECLINE'] as const;
export type IdentityAnswer = (typeof ANSWERS)[number];
export const QUESTION_STATUSES = ['OPEN', ...ANSWERS] as const;
export type QuestionStatus = (typeof QUESTION_STATUSES)[number];

export interface IdentityQuestionView {
  id: string;
  status: QuestionStatus;
  requesterAgency: Agency;
  identity: IdentitySnapshot;
  createdAt: Date;
  expiresAt: Date;
  matches: { returnee: ReturneeView; score: number; reasons: MatchReason[] }[];
}

async function supervisorOrThrow(op: Operation, entityId?: string): Promise<void> {
  if (op.actor.roles.includes('SUPERVISOR')) return;
  await op.denyOrThrow(
    { entityType: 'IdentityCheckQuestion', entityId },
    forbidden('Identity check questions are answered by supervisors of the agency asked'),
  );
}

const IDENTITY_FIELDS = [
  'requesterAgency',
  'givenName',
  'familyName',
  'patronymic',
  'sex',
  'dateOfBirth',
  'dateOfBirthEstimated',
  'placeOfBirth',
];

/** The caller's agency's questions (open and unexpired by default), each with one READ event. */
export async function readIdentityQuestionsOrThrow(
  op: Operation,
  status: QuestionStatus,
  requested: Set<string>,
  subfields?: Subfields,
  ids?: string[],
): Promise<IdentityQuestionView[]> {
  await supervisorOrThrow(op);
  const where: Record<string, unknown> = { holderAgencyId: op.actor.agencyId, status };
  if (ids) where.id = { $in: ids };
  const questions = await op.em.find(IdentityCheckQuestion, where, { orderBy: { id: 'asc' }, limit: 100 });
  const requests = new Map(
    (await op.em.find(IdentityCheckRequest, { id: { $in: questions.map((q) => q.requestId) } })).map((r) => [r.id, r]),
  );
  const live = questions.filter((q) => ids || status !== 'OPEN' || requests.get(q.requestId)!.expiresAt.getTime() > Date.now());
  const agencies = new Map(
    (await op.em.find(Agency, { id: { $in: [...requests.values()].map((r) => r.requesterAgencyId) } })).map((a) => [a.id, a]),
  );
  const matchIds = [...new Set(live.flatMap((q) => q.matches.map((m) => m.returneeId)))];
  const views = new Map((await readReturneesByIdOrThrow(op, matchIds, requested, subfields)).map((v) => [v.id, v]));
  // A question shows the requester's identity fields of the person: a READ of that record (named,
  // so the person's statement and the auditors' per-person reports list the holder), its IDENTITY
  // section shown because the requesting agency, which registered it, asked the holder.
  await op.recordDurably(
    live.map((q) => ({
      action: 'READ' as const,
      entityType: 'IdentityCheckQuestion',
      entityId: q.id,
      returneeId: requests.get(q.requestId)!.returneeId,
      fields: IDENTITY_FIELDS,
      outcome: 'SUCCESS' as const,
      basis: [{ section: 'IDENTITY', kind: 'OWN_SECTOR' as const }],
    })),
  );
  return live.map((q) => {
    const request = requests.get(q.requestId)!;
    return {
      id: q.id,
      status: q.status as QuestionStatus,
      requesterAgency: agencies.get(request.requesterAgencyId)!,
      identity: request.identity,
      createdAt: request.createdAt,
      expiresAt: request.expiresAt,
      matches: q.matches
        .filter((m) => views.has(m.returneeId))
        .map((m) => ({ returnee: views.get(m.returneeId)!, score: m.score, reasons: m.reasons })),
    };
  });
}

export interface AnswerInput {
  id: string;
  answer: IdentityAnswer;
  returneeId?: string | null;
  crossBorder?: boolean | null;
}

async function grantInTransaction(
  op: Operation,
  tx: EntityManager,
  returneeId: string,
  agency: Agency,
  questionId: string,
  crossBorder: boolean,
) {
  await lockAccessTree(tx, returneeId);
  const record = await tx.findOneOrFail(Returnee, returneeId, { fields: ['id', 'country', 'registeringAgency'] });
  const source = await sourceAccessOf(tx, { id: record.id, registeringAgencyId: record.registeringAgency.id }, op.actor.agencyId);
  if (source === undefined) return op.notFoundOrThrow('UPDATE', 'Returnee', returneeId, returneeId);
  const existing = await tx.count(CaseAccess, { returnee: returneeId, agency: agency.id, revokedAt: null });
  if (existing > 0) return;
  const access = new CaseAccess(
    tx.getReference(Returnee, record.id, { wrapped: true }),
    tx.getReference(Agency, agency.id, { wrapped: true }),
    'GRANT',
    `Identity check ${questionId}`,
  );
  Object.assign(access, {
    crossBorder,
    derivedFromId: source ?? undefined,
    grantedBy: tx.getReference(StaffMember, op.actor.staffId, { wrapped: true }),
  });
  tx.persist(access);
  await tx.flush();
  await op.recordInTransaction(tx, [
    {
      action: 'CREATE',
      entityType: 'CaseAccess',
      entityId: access.id,
      returneeId: record.id,
      fields: ['agency', 'basis', 'crossBorder', 'reason', 'derivedFromId'],
      outcome: 'SUCCESS',
      reason: `IDENTITY_CHECK:${questionId}`,
    },
  ]);
  await enqueueWebhookEvents(tx, [{ type: 'CASE_ACCESS_GRANTED', returneeId: record.id, subjectId: access.id }]);
}

export async function answerIdentityCheckOrThrow(op: Operation, input: AnswerInput): Promise<string> {
  const id = uuidOrThrow(input.id, 'id');
  await supervisorOrThrow(op, id);
  if (!ANSWERS.includes(input.answer)) throw badInput(`answer must be one of ${ANSWERS.join(', ')}`, { fields: ['answer'] });
  const question = await op.em.findOne(IdentityCheckQuestion, { id, holderAgencyId: op.actor.agencyId });
  if (!question) return op.notFoundOrThrow('UPDATE', 'IdentityCheckQuestion', id);
  const request = await op.em.findOneOrFail(IdentityCheckRequest, question.requestId);
  if (question.status !== 'OPEN' || request.expiresAt.getTime() <= Date.now())
    throw conflict(question.status !== 'OPEN' ? `This question was answered already (${question.status})` : 'This request has expired');
  let shared: string | null = null;
  let crossBorder = false;
  const requester = await op.em.findOneOrFail(Agency, request.requesterAgencyId);
  if (input.answer === 'SHARE') {
    shared = uuidOrThrow(input.returneeId ?? '', 'returneeId');
    if (!question.matches.some((m) => m.returneeId === shared))
      throw badInput('returneeId must be one of the matching records of this question', { fields: ['returneeId'] });
    await op.authorizeOrThrow('grantAccess', 'Returnee', {
      entityType: 'CaseAccess',
      returneeId: shared,
      message: 'Only a supervisor of an agency that has access to the record may share it',
    });
    const record = await op.em.findOneOrFail(Returnee, shared, { fields: ['id', 'country'] });
    crossBorder = await crossBorderOrThrow(op, record, requester, input.crossBorder === true, 'share');
  }
  await op.em.transactional(async (tx) => {
    const updated = await tx.nativeUpdate(
      IdentityCheckQuestion,
      { id, status: 'OPEN' },
      { status: input.answer, answeredBy: op.actor.staffId, answeredAt: new Date(), sharedReturneeId: shared },
    );
    if (updated === 0) throw conflict('This question was answered meanwhile');
    if (shared) await grantInTransaction(op, tx, shared, requester, id, crossBorder);
    await op.recordInTransaction(tx, [
      {
        action: 'UPDATE',
        entityType: 'IdentityCheckQuestion',
        entityId: id,
        returneeId: shared ?? undefined,
        outcome: 'SUCCESS',
        reason: input.answer,
      },
    ]);
  });
  return id;
}
