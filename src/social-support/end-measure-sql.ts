import type { Operation } from '../request/operation';
import { compileCondition, inline } from '../access/condition-sql';
import { conditionTemplate } from '../access/scope';
import { runStatement } from '../returnee/section-write-sql';

export interface EndOutcome {
  /** The measure exists and its record is in the caller's update scope (else nothing more is said). */
  found: boolean;
  returneeId?: string;
  startedOn?: string;
  /** The end it already had when read (null: running), for the CONFLICT's message. */
  endedOn?: string | null;
  /** The end is before the start: nothing written. */
  early: boolean;
  ended: boolean;
}

/**
 * Ends a running measure in ONE SQL statement (as section-write-sql.ts writes the sections): the
 * measure whose record is in the caller's UPDATE row scope (`m`), the end not before its start
 * (`ok`), `ended_on` set only while it is null (`ended`: a concurrent second end, or an end
 * already there, updates nothing: CONFLICT, nothing overwritten), and its UPDATE event
 * (AuditRecorder.inStatement) for the row ended, in the same statement.
 */
export async function runEndMeasureStatement(op: Operation, measureId: string, endedOn: string): Promise<EndOutcome> {
  const scope = conditionTemplate(op.ability, 'update');
  if (scope === null) return { found: false, early: false, ended: false };
  const params: unknown[] = [];
  const bind = (value: unknown, cast = '') => (params.push(value), `?${cast}`);
  const cte: string[] = [];
  cte.push(`m as (select s.id, s.returnee_id, s.started_on, s.ended_on from social_support_measure s
    join returnee r on r.id = s.returnee_id where s.id = ${bind(measureId, '::uuid')} and ${inline(compileCondition(scope), params)})`);
  const on = bind(endedOn, '::date');
  cte.push(`ok as (select * from m where ${on} >= m.started_on)`);
  cte.push(`ended as (update social_support_measure s set ended_on = ${bind(endedOn, '::date')} from ok
    where s.id = ok.id and s.ended_on is null returning s.id)`);
  // The returnee's id is known only to the statement: the event takes the one the measure names.
  const entry = {
    action: 'UPDATE' as const,
    entityType: 'SocialSupportMeasure',
    entityId: measureId,
    returneeId: undefined as string | undefined,
    fields: ['endedOn'],
    outcome: 'SUCCESS' as const,
  };
  const events = op.eventsInStatement([{ entries: [entry], from: 'ended cross join ok', returneeId: 'ok.returnee_id' }]);
  if (events.text) {
    cte.push(`events as (${events.text})`);
    params.push(...events.params);
  }
  const [r] = await runStatement<{
    found: number;
    returnee_id: string | null;
    started_on: string | null;
    ended_on: string | null;
    ended: number;
  }>(
    op,
    `with ${cte.join(',\n')}
    select (select count(*)::int from m) as found, (select returnee_id from m) as returnee_id, (select started_on::text from m) as started_on,
      (select ended_on::text from m) as ended_on, (select count(*)::int from ended) as ended`,
    params,
  );
  const early = r.found > 0 && endedOn < r.started_on!;
  if (r.ended > 0) {
    entry.returneeId = r.returnee_id!;
    events.stored([true]);
  }
  return {
    found: r.found > 0,
    returneeId: r.returnee_id ?? undefined,
    startedOn: r.started_on ?? undefined,
    endedOn: r.ended_on,
    early,
    ended: r.ended > 0,
  };
}
