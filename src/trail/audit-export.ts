import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Knex } from '@mikro-orm/postgresql';
import { ISO_US } from './audit-canonical';
import { handled } from './read-ahead';

/**
 * `hub audit export`: the events of a time range, oldest first, as JSON Lines or CSV, with
 * their chain position and hash so an auditor can tie a copy back to the chain. Keyset
 * batches on (occurred_at, id), served by the (occurred_at, id) index: memory stays constant
 * however many events (each batch is written out, with back-pressure, while only the next one is read).
 */
export type ExportFormat = 'jsonl' | 'csv';

export const EXPORT_COLUMNS = [
  'id',
  'occurred_at',
  'request_id',
  'staff_id',
  'agency_id',
  'action',
  'entity_type',
  'entity_id',
  'returnee_id',
  'fields',
  'denied_fields',
  'purpose',
  'operation',
  'outcome',
  'reason',
  'chain_position',
  'chain_hash',
  'correlation_id', // added later: last, so readers that go by position keep working
] as const;

type ExportRow = Record<(typeof EXPORT_COLUMNS)[number], string | string[] | null>;

const BATCH_SQL = `select e.id::text as id, to_char(e.occurred_at at time zone 'UTC', ${ISO_US}) as occurred_at,
    e.request_id::text as request_id, e.staff_id::text as staff_id, e.agency_id::text as agency_id, e.action, e.entity_type,
    e.entity_id, e.returnee_id::text as returnee_id, e.fields, e.denied_fields, e.purpose, e.operation, e.outcome, e.reason,
    c.position::text as chain_position, encode(c.hash, 'hex') as chain_hash, e.correlation_id
  from audit_event e left join audit_chain c on c.event_id = e.id and c.occurred_at = e.occurred_at
  where e.occurred_at >= ?::timestamptz and e.occurred_at < ?::timestamptz
    and (e.occurred_at, e.id) > (?::timestamptz, ?::bigint)
  order by e.occurred_at, e.id limit ?`;

/** A CSV cell: quoted when needed; a leading = + - @ is defused so spreadsheets do not run it as a formula. */
function csvCell(value: string | string[] | null): string {
  if (value === null) return '';
  let s = Array.isArray(value) ? value.join(';') : value;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function render(row: ExportRow, format: ExportFormat): string {
  if (format === 'jsonl') return `${JSON.stringify(row)}\n`;
  return `${EXPORT_COLUMNS.map((c) => csvCell(row[c])).join(',')}\n`;
}

/** Rows rendered into writes of about 64 KB, each waiting for the stream to drain when it is full. */
async function writeLines(out: Writable, rows: ExportRow[], format: ExportFormat): Promise<void> {
  let chunk = '';
  for (const row of rows) {
    chunk += render(row, format);
    if (chunk.length >= 65_536) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  if (chunk && !out.write(chunk)) await once(out, 'drain');
}

export async function exportEvents(
  knex: Knex,
  range: { from: Date; to: Date },
  format: ExportFormat,
  out: Writable,
  batch = 5000,
): Promise<number> {
  if (format === 'csv') out.write(`${EXPORT_COLUMNS.join(',')}\n`);
  const fetch = (after: [string, string]) =>
    handled(
      knex
        .raw(BATCH_SQL, [range.from.toISOString(), range.to.toISOString(), ...after, batch])
        .then((r) => (r as { rows: ExportRow[] }).rows),
    );
  let written = 0;
  let next = fetch(['-infinity', '0']);
  for (;;) {
    const rows = await next;
    // One batch read ahead while this one is written: at most two batches in memory.
    if (rows.length === batch) {
      const last = rows[rows.length - 1];
      next = fetch([last.occurred_at as string, last.id as string]);
    }
    await writeLines(out, rows, format);
    written += rows.length;
    if (rows.length < batch) return written;
  }
}
