import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import http from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type Request, type RequestHandler } from 'express';
import { GraphQLError } from 'graphql';
import { abilityFor } from './access/ability';
import { AuditMaintenance } from './trail/audit-maintenance';
import { NameKeyFiller } from './dedup/name-key-store';
import { AuditRecorder } from './trail/audit-recorder';
import { loadOrCreateSigningKey } from './trail/audit-signing-key';
import { ActorCache } from './auth/actor-cache';
import { actorFromAuthorization } from './auth/auth.service';
import { createOidcVerifier } from './auth/oidc';
import { createTokenVerifier } from './auth/token-verifier';
import type { HubConfig } from './config';
import { openDatabase, type Database } from './db/database';
import { loadOrCreateSecrets } from './db/embedded';
import { isDatabaseUnavailable } from './db/unavailable';
import { badInput, formatError, HubError, unavailable } from './errors';
import type { HubRuntime, RequestContext } from './request/context';
import { buildHubSchema } from './graphql/schema';
import { auditorConsole } from './http/console';
import { webClient } from './http/web-app';
import { allowedHostsFor, hostGuard } from './http/host-guard';
import { HubMetrics } from './http/metrics';
import { registerBreakGlassMetrics } from './break-glass/break-glass-metrics';
import { metricsGuard } from './http/metrics-guard';
import { purposeGuard } from './http/purpose-guard';
import { Readiness } from './http/readiness';
import { sandboxPlugin } from './http/sandbox';
import { apolloLimits } from './http/query-limits';
import { requestFailures, requestGuards } from './http/request-guards';
import { idempotencyKeyOrThrow } from './http/idempotency-header';
import { requestIds, type IdentifiedRequest } from './http/request-id';
import { requestLogPlugin } from './http/request-log';
import { unavailableStatusPlugin } from './http/unavailable-status';
import { createLogger, type Logger } from './logger';
import { ensureBootstrapAdmin } from './staff/bootstrap';
import { statementRoutes } from './statement/statement-http';
import { registerDataSubjectMetrics } from './data-subject/data-subject-metrics';
import { startDueNotices } from './data-subject/due-notices';
import { startWebhookDispatch, type WebhookDispatch } from './webhooks/webhook-dispatch';
import { nameStatements } from './db/statement-name';

export interface HubServer {
  url: string;
  port: number;
  db: Database;
  runtime: HubRuntime;
  stop(): Promise<void>;
}

const MAX_PURPOSE = 200;

/** Answers about people are never cacheable. */
const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};

/** In development without HUB_JWT_SECRET, a secret is generated once and kept in the data directory. */
async function jwtSecretFor(config: HubConfig, log: Logger): Promise<string> {
  if (config.jwtSecret) return config.jwtSecret;
  const { jwtSecret } = await loadOrCreateSecrets(config.dataDir);
  log.warn({ file: `${config.dataDir}/secrets.json` }, 'HUB_JWT_SECRET is not set: using a generated development secret');
  return jwtSecret;
}

function purposeOrThrow(req: Request): string | undefined {
  const raw = req.header('x-purpose-of-use');
  if (raw === undefined || raw.trim() === '') return undefined;
  if (raw.length > MAX_PURPOSE) throw badInput(`X-Purpose-Of-Use must be at most ${MAX_PURPOSE} characters`);
  return raw.trim();
}

/** Errors raised while building the context (bad token, bad header) keep their code and get an HTTP status. */
function contextError(error: unknown): never {
  if (isDatabaseUnavailable(error)) error = unavailable();
  if (error instanceof HubError) {
    throw new GraphQLError(error.message, { extensions: { code: error.code, http: { status: error.httpStatus } } });
  }
  throw error;
}

/**
 * Builds and starts the hub: database (embedded or DATABASE_URL, migrated), bootstrap
 * admin, GraphQL on POST /graphql, health on GET /healthz. Used by `main.ts` and by tests.
 */
export async function createServer(config: HubConfig, opts: { log?: Logger; auditDisabled?: boolean } = {}): Promise<HubServer> {
  const log = opts.log ?? createLogger(config.logLevel);
  if (opts.auditDisabled && config.env === 'production') throw new Error('the audit recorder cannot be disabled in production');
  const db = await openDatabase(config, log, { stopOnSignal: false }); // stop() drains requests, then stops it (src/main.ts)
  let audit: AuditMaintenance | undefined;
  let nameKeys: NameKeyFiller | undefined;
  let webhooks: WebhookDispatch | undefined;
  let dueNotices: { stop(): Promise<void> } | undefined;
  let actors: ActorCache | undefined;
  try {
    const metrics = new HubMetrics(db);
    registerDataSubjectMetrics(metrics.registry, db.orm);
    registerBreakGlassMetrics(metrics.registry, () => db.orm.em.getConnection().getKnex(), config.breakGlassReviewDays); // src/break-glass/
    const readiness = new Readiness(db);
    const recorder = new AuditRecorder(db.orm.em.fork(), log, {
      disabled: opts.auditDisabled,
      batchDelayMs: config.auditBatchDelayMs,
      onStored: (e, trx) => metrics.auditStored(e, trx),
    });
    const key = await loadOrCreateSigningKey(config.dataDir, config.audit.signingKey);
    // Signs a checkpoint before serving (kept outside the database too), then seals and signs on timers.
    audit = await new AuditMaintenance(db.openMaintenancePool(3), key, config.audit, log, {
      onDelivery: (sink, ok) => metrics.checkpointDelivered(sink, ok),
    }).start();
    nameKeys = new NameKeyFiller(db.openMaintenancePool(1), log, config.dedupFillMs).start(); // keys of records written without them (src/dedup/)
    const jwtSecret = await jwtSecretFor(config, log);
    const verifyToken = createTokenVerifier(jwtSecret, config.oidc && createOidcVerifier(config.oidc, log));
    if (config.actorCache) actors = await new ActorCache(db.appUrl, log).start();
    nameStatements(config.preparedStatements);
    const runtime: HubRuntime = { config, log, recorder, audit, jwtSecret, verifyToken, metrics, actors };
    await ensureBootstrapAdmin(db.orm.em.fork(), recorder, config.bootstrapAdmin);

    const app = express();
    app.disable('x-powered-by');
    // No ETags: every answer is Cache-Control: no-store, and Express hashed each body (SHA-1 of
    // 40 kB for a page of 50 records) to make one (measured with `npm run bench`, docs/bench.md).
    app.disable('etag');
    const httpServer = http.createServer(app);
    const limits = apolloLimits(config.limits, config.maxPageSize); // docs/limits.md
    const apollo = new ApolloServer<RequestContext>({
      schema: await buildHubSchema(),
      formatError: (formatted, error) => formatError(formatted, error),
      includeStacktraceInErrorResponses: false,
      csrfPrevention: true,
      ...limits,
      stopOnTerminationSignals: false, // main.ts owns the signals and stops the whole hub (audit, database) in order
      // Cache hints are computed per resolved field (measurable CPU on every list); answers about
      // people are never cacheable, so the header is set once below instead.
      plugins: [
        ApolloServerPluginDrainHttpServer({ httpServer }),
        ApolloServerPluginCacheControlDisabled(),
        unavailableStatusPlugin(),
        requestLogPlugin(log),
        metrics.apolloPlugin(),
        sandboxPlugin(config),
        purposeGuard(config.http.requirePurpose),
        ...limits.plugins,
      ],
    });
    await apollo.start();

    let port = config.port; // the real one once listening (PORT=0 picks a free port)
    app.use(hostGuard({ host: config.host, port: () => port, extra: config.http.allowedHosts, log })); // docs/operations.md
    app.use(requestIds);
    app.get('/readyz', readiness.handler);
    app.get('/metrics', metricsGuard({ token: config.http.metricsToken, loopbackOnly: config.http.metricsLoopbackOnly }), metrics.handler);
    app.use('/audit', auditorConsole());
    app.use('/app', webClient(config));
    app.use(
      '/statement',
      statementRoutes(runtime, () => db.orm.em.fork()),
    ); // the person's own statement (docs/statement.md)
    app.get('/healthz', async (_req, res) => {
      const ok = await Promise.race([
        db.orm.em
          .getConnection()
          .execute('select 1')
          .then(
            () => true,
            () => false,
          ),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2000).unref()),
      ]);
      res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'database unavailable' });
    });
    app.use(
      '/graphql',
      metrics.timer,
      noStore,
      ...requestGuards(config.limits.maxBodyBytes),
      expressMiddleware(apollo, {
        context: async ({ req }): Promise<RequestContext> => {
          const em = db.orm.em.fork();
          const { requestId, correlationId } = req as IdentifiedRequest & { requestId: string };
          try {
            const purpose = purposeOrThrow(req);
            const idempotencyKey = idempotencyKeyOrThrow(req);
            const actor = await actorFromAuthorization(em, runtime.verifyToken, req.header('authorization'), runtime.actors);
            return { requestId, correlationId, purpose, idempotencyKey, actor, ability: actor && abilityFor(actor), em, runtime };
          } catch (error) {
            return contextError(error);
          }
        },
      }),
      requestFailures(log),
    );

    await new Promise<void>((resolve) => httpServer.listen(config.port, config.host, resolve));
    port = (httpServer.address() as AddressInfo).port;
    const url = `http://${config.host}:${port}`;
    webhooks = startWebhookDispatch(db, config, { jwtSecret, registry: metrics.registry, log, url }); // src/webhooks/: never waits on a receiver
    dueNotices = startDueNotices(db.orm, config, log); // data_subject_request.due webhooks
    log.info(
      { url, embeddedDatabase: db.embedded, allowedHosts: allowedHostsFor(config.host, port, config.http.allowedHosts) },
      'hub ready',
    );
    if (config.http.metricsLoopbackOnly) log.info('/metrics answers only this machine: set HUB_METRICS_TOKEN to scrape it from elsewhere');
    let stopped = false;
    return {
      url,
      port,
      db,
      runtime,
      async stop() {
        if (stopped) return;
        stopped = true;
        readiness.markShuttingDown(); // balancers see 503 on /readyz and stop sending work
        if (config.http.shutdownGraceMs > 0) await new Promise((r) => setTimeout(r, config.http.shutdownGraceMs));
        await apollo.stop(); // drains in-flight requests, then closes the HTTP server
        await recorder.settle();
        await dueNotices?.stop();
        await webhooks?.stop();
        await runtime.audit.stop(); // seals this process's last events
        await nameKeys?.stop();
        await actors?.stop();
        await db.close();
      },
    };
  } catch (error) {
    await audit?.stop().catch(() => undefined);
    await nameKeys?.stop().catch(() => undefined);
    await dueNotices?.stop().catch(() => undefined);
    await webhooks?.stop().catch(() => undefined);
    await actors?.stop().catch(() => undefined);
    await db.close();
    throw error;
  }
}
