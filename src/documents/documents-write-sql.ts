import type { Operation } from '../request/operation';
import { compileCondition, inline } from '../access/condition-sql';
import { conditionTemplate } from '../access/scope';
import { badInput } from '../errors';
import {
  columnsOf,
  dateOfBirthReadable,
  insertRow,
  quote,
  runStatement,
  SUPERSEDED_FIRST,
  type StatementOutcome,
} from '../returnee/section-write-sql';
import type { CivilDocument } from './civil-document.entity';

/** A detail of a version and its column. */
export const DETAIL_COLUMNS = {
  number: 'number',
  issuedOn: 'issued_on',
  issuingAuthority: 'issuing_authority',
  appliedOn: 'applied_on',
  notes: 'notes',
} as const;
export type Detail = keyof typeof DETAIL_COLUMNS;

export interface DocumentVersion {
  /** The new version, its sent details set (null: cleared), the others left undefined. */
  row: CivilDocument;
  /** Details the new version takes from the current one when it was not sent (those its status allows). */
  carried: Detail[];
  /** The current version's statuses from which it carries them (the life cycle goes forward from them). */
  carriedFrom: string[];
}

/**
 * A civil document's new version in ONE SQL statement, as section-write-sql.ts writes the other
 * sections, for the one section whose row depends on a stored row: the new version carries the
 * current version's details that were not sent, so the dates checked (not before the birth,
 * the issue not before the application) are known only inside the statement. In order:
 *
 * 1. `target`: the record in the caller's UPDATE row scope, and whether the caller reads its
 *    date of birth (as section-write-sql.ts);
 * 2. `cur`: the current version of the type; `vals`: the new version's values, the carried
 *    details under the sent ones;
 * 3. `checked`, `ok`: the dates before the birth (when readable), an issue before the
 *    application; `ok` holds the record only when nothing refuses the write;
 * 4. `superseded`: the current version stamped `superseded_at`, while it still is current (a
 *    concurrent recording that superseded it first makes this update nothing);
 * 5. `added`: the new version, only once `superseded` ran (read by its condition: the partial
 *    unique index allows one current version per type at any moment);
 * 6. the audit events (AuditRecorder.inStatement): UPDATE (supersededAt) of the previous
 *    version, its id from `superseded`, then CREATE of the new one naming the details it holds;
 * 7. `hub_write_check`: a version superseded first raises HW409 SUPERSEDED_FIRST and undoes the
 *    whole statement (CONFLICT); a current version stored first breaks the unique index (23505,
 *    CONFLICT too).
 */
export async function runDocumentStatement(op: Operation, returneeId: string, v: DocumentVersion): Promise<StatementOutcome> {
  const scope = conditionTemplate(op.ability, 'update');
  if (scope === null) return { found: false, early: [], written: false };
  const params: unknown[] = [];
  const bind = (value: unknown, cast = '') => (params.push(value), `?${cast}`);
  const row = columnsOf(op.em, v.row);
  const d = (detail: Detail) => `(ok.v->>'${DETAIL_COLUMNS[detail]}')`;

  const cte: string[] = [];
  cte.push(`target as (select r.id, r.date_of_birth, ${dateOfBirthReadable(op, params)} as dob_readable
    from returnee r where r.id = ${bind(returneeId)} and ${inline(compileCondition(scope), params)})`);
  cte.push(`cur as (select c.* from civil_document c join target t on c.returnee_id = t.id
    where c.type = ${bind(v.row.type, '::text')} and c.superseded_at is null)`);
  const carried = v.carried.length
    ? `coalesce((select jsonb_strip_nulls(jsonb_build_object(${v.carried.map((f) => `'${DETAIL_COLUMNS[f]}', c.${quote(DETAIL_COLUMNS[f])}`).join(', ')}))
      from cur c where c.status = any(${bind(v.carriedFrom, '::text[]')})), '{}'::jsonb) || `
    : '';
  cte.push(`vals as (select ${carried}${bind(JSON.stringify(row.values), '::jsonb')} as v)`);
  cte.push(`checked as (select t.*, x.v,
      array_remove(array[${(['issuedOn', 'appliedOn'] as const)
        .map((f) => `case when t.dob_readable and (x.v->>'${DETAIL_COLUMNS[f]}')::date < t.date_of_birth then '${f}' end`)
        .join(', ')}]::text[], null) as early,
      coalesce((x.v->>'issued_on')::date < (x.v->>'applied_on')::date, false) as out_of_order
    from target t cross join vals x)`);
  cte.push(`ok as (select * from checked where cardinality(early) = 0 and not out_of_order)`);
  cte.push(`superseded as (update civil_document c set superseded_at = now() from cur, ok
    where c.id = cur.id and c.superseded_at is null returning c.id)`);
  const columns = Object.keys(row.values);
  for (const f of Object.values(DETAIL_COLUMNS)) if (!columns.includes(f)) columns.push(f);
  cte.push(insertRow('added', row.table, columns, 'ok.v', 'ok', ' where (select count(*) from superseded) = (select count(*) from cur)'));

  const set = (Object.keys(DETAIL_COLUMNS) as Detail[]).map((f) => `case when ${d(f)} is not null then '${f}' end`);
  const placeholder = returneeId; // the superseded version's id, which only the statement knows (entityId below)
  const groups = [
    {
      entries: [
        {
          action: 'UPDATE' as const,
          entityType: 'CivilDocument',
          entityId: placeholder,
          returneeId,
          fields: ['supersededAt'],
          outcome: 'SUCCESS' as const,
        },
      ],
      from: 'superseded',
      entityId: 'superseded.id::text',
    },
    {
      entries: [
        { action: 'CREATE' as const, entityType: 'CivilDocument', entityId: v.row.id, returneeId, fields: [], outcome: 'SUCCESS' as const },
      ],
      from: 'ok',
      fields: `array['type', 'status']::text[] || array_remove(array[${set.join(', ')}]::text[], null)`,
    },
  ];
  const events = op.eventsInStatement(groups);
  if (events.text) {
    cte.push(`events as (${events.text})`);
    params.push(...events.params);
  }
  const text = `with ${cte.join(',\n')}
    select (select count(*)::int from target) as found, (select early from checked) as early,
      (select date_of_birth::text from checked where cardinality(early) > 0) as date_of_birth,
      (select array[v->>'applied_on', v->>'issued_on'] from checked where out_of_order) as out_of_order,
      (select count(*)::int from ok) as ok, (select id from superseded) as superseded,
      hub_write_check((select count(*) from superseded) = (select count(*) from cur where exists (select 1 from ok)), '${SUPERSEDED_FIRST}')`;
  const [r] = await runStatement<{
    found: number;
    early: string[] | null;
    date_of_birth: string | null;
    out_of_order: [string, string] | null;
    ok: number;
    superseded: string | null;
  }>(op, text, params);
  const written = r.ok > 0;
  if (written) {
    if (r.superseded) groups[0].entries[0].entityId = r.superseded;
    events.stored([r.superseded !== null, true]);
  }
  const refusal = r.out_of_order
    ? badInput(`issuedOn (${r.out_of_order[1]}) cannot be before appliedOn (${r.out_of_order[0]})`, { fields: ['appliedOn', 'issuedOn'] })
    : undefined;
  return { found: r.found > 0, early: r.early ?? [], dateOfBirth: r.date_of_birth ?? undefined, written, refusal };
}
