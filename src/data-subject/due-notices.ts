import type { MikroORM } from '@mikro-orm/postgresql';
import { today } from '../common/calendar';
import { PeriodicTask } from '../common/periodic-task';
import type { Logger } from '../logger';
import { enqueueWebhookEvents } from '../webhooks/webhook-outbox';
import { addDays } from '../common/calendar';

/** Requests announced per run; the next run takes the rest. */
const BATCH = 200;

/**
 * Announces each open data-subject request once, when its due date is HUB_DSR_DUE_NOTICE_DAYS
 * days away or nearer (or already past): the `data_subject_request.due` webhook event, to the
 * recording agency only (webhook-event-types.ts, audience `requestHolder`). Marking the request
 * and writing the event are one transaction, and `FOR UPDATE SKIP LOCKED` lets the hub's
 * processes run this together without announcing a request twice. A request recorded already
 * within the window is announced on the next run. Completing a request first means no notice.
 *
 * Nothing is disclosed: the event carries ids only and goes to the agency that holds the
 * request; the agency fetches the request through `dataSubjectRequests`, audited as any read.
 */
export async function announceDueRequests(orm: Pick<MikroORM, 'em'>, noticeDays: number): Promise<number> {
  return orm.em.fork().transactional(async (tx) => {
    const due = await tx.execute<{ id: string; returnee_id: string }[]>(
      `update data_subject_request q set due_notified_at = now()
       where q.id in (select id from data_subject_request
                      where status = 'OPEN' and due_notified_at is null and due_on <= ?::date
                      order by due_on, id limit ? for update skip locked)
       returning q.id, q.returnee_id`,
      [addDays(today(), noticeDays), BATCH],
    );
    await enqueueWebhookEvents(
      tx,
      due.map((r) => ({ type: 'DATA_SUBJECT_REQUEST_DUE', returneeId: r.returnee_id, subjectId: r.id })),
    );
    return due.length;
  });
}

/** Runs `announceDueRequests` every HUB_DSR_DUE_CHECK_MS (0: never, e.g. a process that only serves requests). */
export function startDueNotices(orm: Pick<MikroORM, 'em'>, config: { dsrDueNoticeDays: number; dsrDueCheckMs: number }, log: Logger) {
  return new PeriodicTask(
    'data-subject due notices',
    config.dsrDueCheckMs,
    async () => {
      await announceDueRequests(orm, config.dsrDueNoticeDays);
    },
    log,
  ).start();
}
