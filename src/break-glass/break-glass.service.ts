import { createHash, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { POLICIES } from '../../policies';
import { breakGlassOf } from '../access/break-glass-window';
import type { BreakGlassPolicy } from '../access/policy';
import { compileCondition } from '../access/condition-sql';
import { conditionTemplate } from '../access/scope';
import { uuidOrThrow } from '../common/ids';
import { badInput, conflict, forbidden } from '../errors';
import type { Operation } from '../request/operation';
import { enqueueWebhookEvents } from '../webhooks/webhook-outbox';
import type { BreakGlassInput } from './break-glass.types';
import { openingsToday } from './break-glass-count';
import { pgArray } from '../common/pg-array';

/**
 * Break-glass (policies/*.policy.ts `breakGlass`, docs/disclosure-basis.md): a staff member of a
 * sector and role the policy names opens a record of their country (outside their scope, when the
 * policy allows) or the sections it names without consent, for a window of at most the policy's
 * time box, giving a reason. Anyone else is refused FORBIDDEN with a DENY event. The opening is
 * audited in its transaction; past the policy's `maxPerDay` openings in 24 hours the next is refused
 * (FORBIDDEN, reason BREAK_GLASS_LIMIT, a DENY event); the reads during the window carry basis BREAK_GLASS and its id
 * (access/basis.ts); closing or expiry cuts access on the next request (access/break-glass-window.ts).
 */
const OPENED_FIELDS = ['reasonCode', 'reasonText', 'sections', 'openedAt', 'expiresAt'];

/**
 * One opening at a time per staff member, so the daily limit is counted over committed openings
 * and "one window per record" holds. A try-lock: a second concurrent opening of the same person is
 * refused at once (CONFLICT) rather than queued, so no request waits holding a database connection
 * while the lock holder records its events (a burst of one person's requests cannot drain the pool).
 */
async function lockOpeningsOrThrow(op: Operation, tx: EntityManager, returneeId: string): Promise<void> {
  const key = createHash('sha256').update(`break-glass\0${op.actor.staffId}`).digest().readBigInt64BE(0).toString();
  const [{ locked }] = await tx.execute<{ locked: boolean }[]>('select pg_try_advisory_xact_lock(?) as locked', [key]);
  if (locked) return;
  await op.recordDurably([
    { action: 'CREATE', entityType: 'BreakGlass', returneeId, outcome: 'CONFLICT', reason: 'BREAK_GLASS_IN_PROGRESS' },
  ]);
  throw conflict('Another break-glass opening of yours is being recorded right now; retry in a moment', {
    reason: 'BREAK_GLASS_IN_PROGRESS',
  });
}

/**
 * The policy's `maxPerDay`: openings by this staff member in the last 24 hours (closed and expired
 * ones count). Checked before the record is looked at, so the refusal is the same for every id
 * (an existing record out of scope, one abroad, one that exists nowhere): a caller at the limit
 * learns nothing about records without an opening that is audited and reviewed.
 */
async function withinDailyLimitOrThrow(op: Operation, tx: EntityManager, glass: BreakGlassPolicy, returneeId: string): Promise<void> {
  const row = await openingsToday(tx, op.actor.staffId);
  if (row.n < glass.maxPerDay) return;
  const retryAfter = new Date(new Date(row.oldest!).getTime() + 86_400_000).toISOString();
  await op.denyOrThrow(
    { entityType: 'BreakGlass', returneeId },
    forbidden(
      `Break-glass refused: your sector's policy allows ${glass.maxPerDay} openings per staff member in 24 hours, and you have opened ${row.n}; ` +
        `the next is possible after ${retryAfter}. Ask a colleague or a supervisor, or for consent or case access.`,
      { reason: 'BREAK_GLASS_LIMIT', limit: glass.maxPerDay, retryAfter },
    ),
  );
}

interface Target {
  registering_agency_id: string;
  in_scope: boolean;
}

/** The record, if the caller may break the glass on it: of their country and not merged (and in scope, unless the policy opens records outside it). */
async function targetOrThrow(op: Operation, tx: EntityManager, returneeId: string, outsideScope: boolean): Promise<Target> {
  const regular = conditionTemplate(op.ability, 'readSharing');
  const scope = regular ? compileCondition(regular) : { text: 'false', params: [] };
  const [row] = await tx.execute<Target[]>(
    `select r.registering_agency_id, (${scope.text}) as in_scope from returnee r where r.id = ? and r.merged_into_id is null and r.country = ?`,
    [...scope.params, returneeId, op.actor.country],
  );
  if (!row || (!outsideScope && !row.in_scope)) return op.notFoundOrThrow('CREATE', 'Returnee', returneeId, returneeId);
  return row;
}

export async function openBreakGlassOrThrow(op: Operation, input: BreakGlassInput): Promise<string> {
  const returneeId = uuidOrThrow(input.returneeId, 'returneeId');
  const policy = POLICIES[op.actor.sector];
  const glass = breakGlassOf(op.actor, policy);
  if (!glass || !op.ability.can('breakGlass', 'Returnee')) {
    const who = policy?.breakGlass
      ? `only ${policy.breakGlass.roles.join(' and ')} staff of your sector`
      : `no one in your sector (${op.actor.sector})`;
    return op.denyOrThrow({ entityType: 'BreakGlass', returneeId }, forbidden(`Break-glass refused: ${who} may break the glass`));
  }
  if (!glass.reasons.includes(input.reasonCode)) {
    return op.denyOrThrow(
      { entityType: 'BreakGlass', returneeId },
      forbidden(`Break-glass refused: your sector's policy names the reasons ${glass.reasons.join(', ')}`),
    );
  }
  const maxMinutes = glass.maxHours * 60;
  const minutes = input.minutes ?? maxMinutes;
  if (minutes > maxMinutes) throw badInput(`minutes must be at most ${maxMinutes} (your sector's time box)`, { fields: ['minutes'] });
  const reasonText = input.reasonText.trim();
  if (reasonText.length < 10) throw badInput('reasonText must say what is happening (at least 10 characters)', { fields: ['reasonText'] });
  return op.em.transactional(async (tx) => {
    await lockOpeningsOrThrow(op, tx, returneeId);
    await withinDailyLimitOrThrow(op, tx, glass, returneeId);
    const target = await targetOrThrow(op, tx, returneeId, glass.outsideScope);
    const [open] = await tx.execute<{ expires_at: Date | string }[]>(
      'select expires_at from break_glass_open where actor_id = ? and returnee_id = ?',
      [op.actor.staffId, returneeId],
    );
    if (open)
      throw conflict(`A break-glass window of yours is already open on this record until ${new Date(open.expires_at).toISOString()}`);
    const id = randomUUID();
    await tx.execute(
      `insert into break_glass (id, actor_id, agency_id, returnee_id, record_agency_id, country, reason_code, reason_text, sections,
         outside_scope, opened_at, expires_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?::text[], ?, date_trunc('milliseconds', now()), date_trunc('milliseconds', now()) + make_interval(mins => ?))`,
      [
        id,
        op.actor.staffId,
        op.actor.agencyId,
        returneeId,
        target.registering_agency_id,
        op.actor.country,
        input.reasonCode,
        reasonText,
        pgArray(glass.sections),
        !target.in_scope,
        minutes,
      ],
    );
    await op.recordInTransaction(tx, [
      { action: 'CREATE', entityType: 'BreakGlass', entityId: id, returneeId, fields: OPENED_FIELDS, outcome: 'SUCCESS' },
    ]);
    await enqueueWebhookEvents(tx, [{ type: 'BREAK_GLASS_OPENED', returneeId, subjectId: id }]);
    return id;
  });
}

/** Closes a window early: the staff member who opened it, or a supervisor of their agency. Access ends on the next request. */
export async function closeBreakGlassOrThrow(op: Operation, rawId: string): Promise<string> {
  const id = uuidOrThrow(rawId);
  const me = op.actor;
  const supervisor = op.ability.can('reviewBreakGlass', 'BreakGlass');
  const [row] = await op.em.execute<{ returnee_id: string; mine: boolean; open: boolean; visible: boolean }[]>(
    `select b.returnee_id, (b.actor_id = ? or (? and b.agency_id = ?)) as mine, (b.closed_at is null and b.expires_at > now()) as open,
       (b.actor_id = ? or (? and (b.agency_id = ? or b.record_agency_id = ?))) as visible
     from break_glass b where b.id = ?`,
    [me.staffId, supervisor, me.agencyId, me.staffId, supervisor, me.agencyId, me.agencyId, id],
  );
  if (!row?.visible) return op.notFoundOrThrow('UPDATE', 'BreakGlass', id);
  if (!row.mine) {
    return op.denyOrThrow(
      { entityType: 'BreakGlass', entityId: id, returneeId: row.returnee_id },
      forbidden('Only the staff member who broke the glass, or a supervisor of their agency, closes the window'),
    );
  }
  return op.em.transactional(async (tx) => {
    const closed = await tx.execute<{ id: string }[]>(
      `update break_glass set closed_at = date_trunc('milliseconds', now()), closed_by = ?
       where id = ? and closed_at is null and expires_at > now() returning id`,
      [me.staffId, id],
    );
    if (closed.length === 0) throw conflict('This break-glass window is already closed or expired; nothing was changed');
    await op.recordInTransaction(tx, [
      { action: 'UPDATE', entityType: 'BreakGlass', entityId: id, returneeId: row.returnee_id, fields: ['closedAt'], outcome: 'SUCCESS' },
    ]);
    return id;
  });
}
