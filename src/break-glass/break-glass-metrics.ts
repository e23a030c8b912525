import type { Knex } from '@mikro-orm/postgresql';
import { Gauge, type Registry } from 'prom-client';

/**
 * Break-glass on /metrics, read from the database at scrape time (so every hub process reports
 * the same): openings not yet reviewed by every side, and those of them older than the
 * configured review period (HUB_BREAK_GLASS_REVIEW_DAYS), the number an oversight body alerts on.
 * No labels: counts only, nothing that names a person, a record or an agency.
 */
export function registerBreakGlassMetrics(registry: Registry, knex: () => Knex | undefined, reviewDays: number): void {
  let snapshot: { at: number; value: Promise<{ pending: number; overdue: number; open: number }> } | undefined;
  const read = () => {
    const now = Date.now();
    if (!snapshot || now - snapshot.at > 500) {
      const k = knex();
      const empty = { pending: 0, overdue: 0, open: 0 };
      const value = k
        ? k
            .raw(
              `select count(*) filter (where review_outcome is null)::int as pending,
                 count(*) filter (where review_outcome is null and opened_at < now() - make_interval(days => ?))::int as overdue,
                 count(*) filter (where closed_at is null and expires_at > now())::int as open
               from break_glass`,
              [reviewDays],
            )
            .then((r: { rows: { pending: number; overdue: number; open: number }[] }) => r.rows[0])
            .catch(() => empty)
        : Promise.resolve(empty);
      snapshot = { at: now, value };
    }
    return snapshot.value;
  };
  const gauge = (name: string, help: string, pick: (v: { pending: number; overdue: number; open: number }) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        this.set(pick(await read()));
      },
    });
  gauge('hub_break_glass_unreviewed', 'Break-glass openings not yet reviewed by every side, across all hub processes', (v) => v.pending);
  gauge(
    'hub_break_glass_reviews_overdue',
    'Break-glass openings still unreviewed after HUB_BREAK_GLASS_REVIEW_DAYS (the auditor view lists them: breakGlassReviews(status: OVERDUE))',
    (v) => v.overdue,
  );
  gauge('hub_break_glass_windows_open', 'Break-glass windows open now', (v) => v.open);
}
