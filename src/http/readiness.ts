import type { RequestHandler } from 'express';
import { MIGRATIONS } from '../../migrations';
import type { Database } from '../db/database';

export interface ReadinessReport {
  ready: boolean;
  database: 'ok' | 'unavailable';
  /** Migrations this build knows that the database has not applied. */
  pendingMigrations: string[];
  shuttingDown: boolean;
}

const CHECK_TIMEOUT_MS = 2000;

/**
 * GET /readyz: may a load balancer send this process traffic? Yes while the database answers,
 * every migration this build knows is applied, and the process is not shutting down.
 * GET /healthz stays liveness: is the process up and does the database answer at all.
 */
export class Readiness {
  private shuttingDown = false;

  constructor(
    private readonly db: Pick<Database, 'orm'>,
    private readonly expected: readonly string[] = MIGRATIONS.map((m) => m.name),
  ) {}

  /** From here on /readyz answers 503, so balancers drain this process before it stops. */
  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  async check(): Promise<ReadinessReport> {
    const applied = await withTimeout(this.appliedMigrations(), CHECK_TIMEOUT_MS).catch(() => undefined);
    const pendingMigrations = applied ? this.expected.filter((name) => !applied.has(name)) : [];
    const database = applied ? 'ok' : 'unavailable';
    return {
      ready: database === 'ok' && pendingMigrations.length === 0 && !this.shuttingDown,
      database,
      pendingMigrations,
      shuttingDown: this.shuttingDown,
    };
  }

  readonly handler: RequestHandler = async (_req, res) => {
    const report = await this.check();
    res.setHeader('Cache-Control', 'no-store');
    res.status(report.ready ? 200 : 503).json({ status: report.ready ? 'ready' : 'not ready', ...report });
  };

  /** The app role may read only the `name` column of the migrations table (src/db/app-role.ts). */
  private async appliedMigrations(): Promise<Set<string>> {
    const rows = await this.db.orm.em.getConnection().execute<{ name: string }[]>('select name from mikro_orm_migrations');
    return new Set(rows.map((r) => r.name));
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    timer.unref();
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e as Error);
      },
    );
  });
}
