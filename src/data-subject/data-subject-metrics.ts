import type { MikroORM } from '@mikro-orm/postgresql';
import { Gauge, type Registry } from 'prom-client';
import { today } from '../common/calendar';

/**
 * `hub_data_subject_requests_overdue` on /metrics: open requests past their due date, all
 * agencies together (a count, nothing about anyone), read from the database at each scrape.
 */
export function registerDataSubjectMetrics(registry: Registry, orm: Pick<MikroORM, 'em'>): void {
  new Gauge({
    name: 'hub_data_subject_requests_overdue',
    help: 'Data-subject requests still open after their due date (HUB_DSR_DUE_DAYS after receipt)',
    registers: [registry],
    async collect() {
      const [row] = await orm.em
        .fork()
        .getConnection()
        .execute<{ n: number }[]>(`select count(*)::int as n from data_subject_request where status = 'OPEN' and due_on < ?::date`, [
          today(),
        ]);
      this.set(row?.n ?? 0);
    },
  });
}
