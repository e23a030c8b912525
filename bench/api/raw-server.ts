import http from 'node:http';
import { Pool } from 'pg';

/**
 * The raw baseline of `npm run bench`: the least a server can do to return the rows the hub
 * returns. One hand-written SQL statement per request through `pg`, the JSON built by
 * PostgreSQL and passed through as it comes; no GraphQL, no authentication, no audit. The
 * rows and the masking are those of the bench schema's functions (bench-sql.ts), run for the
 * caseworker's agency and staff member given in the environment.
 *
 * GET /returnees?first=N, GET /returnees/:id, GET /returnees/:id/full, POST /returnees/:id/health-assessments.
 * Environment: BENCH_PG_URL, AGENCY_ID, STAFF_ID, PORT, POOL_MAX. Prints `{"url": …}` when ready.
 */
const ASSESSMENTS = `(select coalesce(json_agg(json_build_object('id', h.id, 'assessedOn', h.assessed_on, 'findings', h.findings,
    'conditions', h.conditions, 'treatmentPlan', h.treatment_plan, 'followUpNeeded', h.follow_up_needed, 'fitForSchool', h.fit_for_school)
    order by h.assessed_on desc, h.created_at desc), '[]') from health_assessment h where h.returnee_id = r.id)`;

const RETURNEE_JSON = `json_build_object('id', r.id, 'caseNumber', r.case_number, 'givenName', r.given_name, 'familyName', r.family_name,
  'patronymic', r.patronymic, 'otherNames', r.other_names, 'sex', r.sex, 'dateOfBirth', r.date_of_birth, 'placeOfBirth', r.place_of_birth,
  'citizenship', r.citizenship, 'returnedOn', r.returned_on, 'returnedFrom', r.returned_from, 'status', r.status,
  'followUpNeeded', r.follow_up_needed, 'fitForSchool', r.fit_for_school, 'accommodationsNeeded', r.accommodations_needed,
  'healthAssessments', ${ASSESSMENTS})`;

const LIST_SQL = `select json_build_object('nodes', coalesce(json_agg(x.j order by x.case_number, x.id), '[]'))::text as body from (
  select ${RETURNEE_JSON} as j, r.case_number, r.id from bench.caseworker_returnees($1) r order by r.case_number, r.id limit $2) x`;

const ONE_SQL = `select ${RETURNEE_JSON}::text as body from bench.caseworker_returnee($1, $2) r`;

/** byIdFull: the row of bench.caseworker_returnee_full (bench-sql-full.ts) as JSON, its keys as the columns are named. */
const FULL_SQL = `select row_to_json(f)::text as body from bench.caseworker_returnee_full($1, $2) f`;

const WRITE_SQL = `select json_build_object('id', r.id, 'version', r.version, 'followUpNeeded', r.follow_up_needed,
  'fitForSchool', r.fit_for_school)::text as body
  from bench.record_health_assessment($1, $2, $3, $4, $5, $6, $7) r where r.id is not null`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const pool = new Pool({ connectionString: process.env.BENCH_PG_URL, max: Number(process.env.POOL_MAX ?? 20) });
const agency = process.env.AGENCY_ID;
const staff = process.env.STAFF_ID;

function send(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

async function readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://raw');
  const parts = url.pathname.split('/').filter(Boolean);
  if (req.method === 'GET' && url.pathname === '/healthz') return send(res, 200, '{"status":"ok"}');
  if (parts[0] !== 'returnees') return send(res, 404, '{"error":"not found"}');
  if (req.method === 'GET' && parts.length === 1) {
    const first = Number(url.searchParams.get('first') ?? 20);
    if (!Number.isInteger(first) || first < 1 || first > 100) return send(res, 400, '{"error":"first must be 1-100"}');
    const { rows } = await pool.query<{ body: string }>(LIST_SQL, [agency, first]);
    return send(res, 200, rows[0].body);
  }
  if (!UUID.test(parts[1] ?? '')) return send(res, 400, '{"error":"id must be a UUID"}');
  if (req.method === 'GET' && parts.length === 2) {
    const { rows } = await pool.query<{ body: string }>(ONE_SQL, [agency, parts[1]]);
    return rows.length ? send(res, 200, rows[0].body) : send(res, 404, '{"error":"not found"}');
  }
  if (req.method === 'GET' && parts.length === 3 && parts[2] === 'full') {
    const { rows } = await pool.query<{ body: string }>(FULL_SQL, [agency, parts[1]]);
    return rows.length ? send(res, 200, rows[0].body) : send(res, 404, '{"error":"not found"}');
  }
  if (req.method === 'POST' && parts.length === 3 && parts[2] === 'health-assessments') {
    const input = await readJson(req);
    const { rows } = await pool.query<{ body: string }>(WRITE_SQL, [
      agency,
      staff,
      parts[1],
      input.assessedOn,
      input.findings,
      input.followUpNeeded,
      input.fitForSchool ?? null,
    ]);
    return rows.length ? send(res, 200, rows[0].body) : send(res, 404, '{"error":"not found"}');
  }
  return send(res, 404, '{"error":"not found"}');
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((error: unknown) => send(res, 500, JSON.stringify({ error: (error as Error).message })));
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}` })}\n`);
});
process.once('SIGTERM', () => {
  server.close();
  pool.end().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
