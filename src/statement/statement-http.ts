import { Router, type Request, type Response } from 'express';
import type { EntityManager } from '@mikro-orm/postgresql';
import { abilityFor } from '../access/ability';
import { actorFromAuthorization } from '../auth/auth.service';
import { isDatabaseUnavailable } from '../db/unavailable';
import { badInput, HubError, internal, unauthenticated, unavailable } from '../errors';
import type { HubRuntime, RequestContext } from '../request/context';
import { Operation, refusalRecorded } from '../request/operation';
import { isUuid } from '../trail/audit-text';
import type { IdentifiedRequest } from '../http/request-id';
import { disclosureStatementOrThrow } from './statement.service';
import { STATEMENT_CSP, statementHtml } from './statement-html';
import { statementPdf } from './statement-pdf';

/**
 * GET /statement/{returneeId}?lang=ru — the person's statement as a printable page, and
 * GET /statement/{returneeId}.pdf?lang=ru — the same page printed to PDF by headless Chromium.
 * The bearer token and X-Purpose-Of-Use as for /graphql; the same service, scope and audit as
 * the `disclosureStatement` query (HUB_REQUIRE_PURPOSE too). Errors answer JSON in GraphQL's error shape with the HTTP
 * status of their code; a refusal the service did not record (bad input) is recorded here.
 */
const MAX_PURPOSE = 200;

function queryText(req: Request, name: string): string | undefined {
  const v = req.query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw badInput(`${name} must be given once, as text`, { fields: [name] });
  return v;
}

async function contextFor(req: IdentifiedRequest, runtime: HubRuntime, em: EntityManager): Promise<RequestContext> {
  const purpose = req.header('x-purpose-of-use')?.trim();
  if (purpose && purpose.length > MAX_PURPOSE) throw badInput(`X-Purpose-Of-Use must be at most ${MAX_PURPOSE} characters`);
  const actor = await actorFromAuthorization(em, runtime.verifyToken, req.header('authorization'), runtime.actors);
  if (!actor) throw unauthenticated();
  // HUB_REQUIRE_PURPOSE holds here as on /graphql (http/purpose-guard.ts): refused before anything is read or recorded.
  if (!purpose && runtime.config.http.requirePurpose) {
    throw badInput(
      'Send an X-Purpose-Of-Use header saying why you are producing this statement (e.g. "The person asked for it"): this hub requires one, so nothing was read.',
      { reason: 'PURPOSE_REQUIRED' },
    );
  }
  return {
    requestId: req.requestId!,
    correlationId: req.correlationId,
    purpose: purpose || undefined,
    actor,
    ability: abilityFor(actor),
    em,
    runtime,
  };
}

async function recordRefusal(op: Operation, error: HubError, returneeId: string): Promise<void> {
  if (error.code !== 'BAD_USER_INPUT' || refusalRecorded(op.args)) return;
  const id = isUuid(returneeId) ? returneeId : undefined;
  await op.recordDurably([
    { action: 'DENY', entityType: 'DisclosureStatement', entityId: id, returneeId: id, outcome: 'INVALID', reason: error.code },
  ]);
}

export function statementRoutes(runtime: HubRuntime, fork: () => EntityManager): Router {
  const router = Router();
  router.get('/:target', async (req: IdentifiedRequest, res: Response) => {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    const target = String(req.params.target);
    const pdf = target.endsWith('.pdf');
    const returneeId = pdf ? target.slice(0, -4) : target;
    let op: Operation | undefined;
    try {
      const ctx = await contextFor(req, runtime, fork());
      const lang = queryText(req, 'lang');
      op = new Operation(ctx, pdf ? 'disclosureStatementPdf' : 'disclosureStatementPage', { returneeId, lang });
      const statement = await disclosureStatementOrThrow(op, returneeId, lang, pdf ? 'pdf' : 'html');
      const html = statementHtml(statement);
      if (!pdf) {
        res.setHeader('Content-Security-Policy', STATEMENT_CSP);
        res.type('html').send(html);
        return;
      }
      const bytes = await statementPdf(html, runtime.config.chromiumPath);
      res.setHeader('Content-Disposition', `attachment; filename="statement-${statement.returneeId}-${statement.language}.pdf"`);
      res.type('application/pdf').send(bytes);
    } catch (caught) {
      const error = isDatabaseUnavailable(caught) ? unavailable() : caught instanceof HubError ? caught : undefined;
      if (!error) runtime.log.error({ err: caught, requestId: req.requestId }, 'the statement could not be produced');
      const answer = error ?? internal(req.requestId);
      if (op && error) await recordRefusal(op, error, returneeId).catch(() => undefined);
      res
        .status(answer.httpStatus)
        .json({ errors: [{ message: answer.message, extensions: { ...answer.extensions, code: answer.code } }] });
    }
  });
  return router;
}
