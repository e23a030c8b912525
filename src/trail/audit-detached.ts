import type { Knex } from '@mikro-orm/postgresql';

/**
 * Months archived and detached (Migration20261223000000): their partitions are gone, their
 * seals stay, and the archive recorded for each (verified against the seal before it was
 * recorded) holds their links. Verification vouches for them by their seals and says so.
 */
export interface DetachedMonth {
  month: string;
  detachedAt: string;
  /** The archive file as it was written (its name on the machine that wrote it) and its SHA-256. */
  archiveFile: string;
  archiveSha256: string;
  events: string;
}

export async function listDetachedMonths(knex: Knex): Promise<DetachedMonth[]> {
  const { rows } = (await knex.raw(
    `select to_char(d.month, 'YYYY-MM') as month, to_char(d.detached_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as detached_at,
       a.file_name, encode(a.file_sha256, 'hex') as sha256, a.event_count::text as events
     from audit_month_detached d join audit_month_archive a on a.id = d.archive_id order by d.month`,
  )) as { rows: { month: string; detached_at: string; file_name: string; sha256: string; events: string }[] };
  return rows.map((r) => ({
    month: r.month,
    detachedAt: r.detached_at,
    archiveFile: r.file_name,
    archiveSha256: r.sha256,
    events: r.events,
  }));
}
