import type { BenchDatabase } from './bench-database';
import type { ContenderName, ScenarioName } from './options';

/**
 * What each contender is asked, per scenario, as a HEALTH caseworker of Kazakhstan with case
 * access to the records: the same fields from each (IDENTITY, the health flags, the health
 * assessments newest first), so that the bench can check that they return the same rows.
 */
export interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** Builds the request for one call; `pick` chooses a record id (random, per connection). */
export type RequestFactory = (pick: () => string) => RequestSpec;

const IDENTITY =
  'caseNumber givenName familyName patronymic otherNames sex dateOfBirth placeOfBirth citizenship returnedOn returnedFrom status';
const FLAGS = 'followUpNeeded fitForSchool accommodationsNeeded';
const ASSESSMENT = 'assessedOn findings conditions treatmentPlan followUpNeeded fitForSchool';
const HUB_RETURNEE = `id ${IDENTITY} ${FLAGS} healthAssessments { id ${ASSESSMENT} }`;
const PGL_RETURNEE = `rowId ${IDENTITY} ${FLAGS} healthAssessmentsByReturneeId(orderBy: [ASSESSED_ON_DESC]) { nodes { rowId ${ASSESSMENT} } }`;

// byIdFull: every section a HEALTH caseworker reads, and the household (bench-sql-full.ts for the others).
const CONTACT = 'region district address phone guardianName guardianRelation';
const SUMMARIES = 'enrolmentStatus school grade engagementStatus';
const SUPPORT = 'id kind description startedOn endedOn provider';
const HUB_FULL_RETURNEE = `id caseNumber version ${IDENTITY} ${CONTACT} household { id caseNumber relation } ${FLAGS}
  healthAssessments { id ${ASSESSMENT} } ${SUMMARIES} documentStatuses { type status } socialSupport { ${SUPPORT} }`;
const PGL_FULL_RETURNEE = `rowId caseNumber version ${IDENTITY} ${CONTACT} household ${FLAGS} healthAssessments ${SUMMARIES} documentStatuses socialSupport`;

const HUB_LIST = `query List($first: Int!) { returnees(first: $first) { nodes { ${HUB_RETURNEE} } } }`;
const HUB_ONE = `query One($id: ID!) { returnee(id: $id) { ${HUB_RETURNEE} } }`;
const HUB_WRITE = `mutation Write($id: ID!, $input: RecordHealthAssessmentInput!) {
  recordHealthAssessment(returneeId: $id, input: $input) { returnee { id version followUpNeeded fitForSchool } } }`;
const HUB_FULL = `query Full($id: ID!) { returnee(id: $id) { ${HUB_FULL_RETURNEE} } }`;
const PGL_FULL = `query Full($agency: UUID!, $id: UUID!) { benchCaseworkerReturneeFull(agency: $agency, returnee: $id) { nodes { ${PGL_FULL_RETURNEE} } } }`;
const PGL_LIST = `query List($agency: UUID!, $first: Int!) { benchCaseworkerReturnees(agency: $agency, first: $first) { nodes { ${PGL_RETURNEE} } } }`;
const PGL_ONE = `query One($agency: UUID!, $id: UUID!) { benchCaseworkerReturnee(agency: $agency, returnee: $id) { nodes { ${PGL_RETURNEE} } } }`;
const PGL_WRITE = `mutation Write($input: BenchRecordHealthAssessmentInput!) {
  benchRecordHealthAssessment(input: $input) { result { rowId version followUpNeeded fitForSchool } } }`;

const JSON_HEADERS = { 'content-type': 'application/json' };

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

function assessmentInput(): { assessedOn: string; findings: string; followUpNeeded: boolean; fitForSchool: boolean } {
  return {
    assessedOn: today(),
    findings: 'Bench: follow-up examination, no new findings',
    followUpNeeded: Math.random() < 0.5,
    fitForSchool: Math.random() < 0.5,
  };
}

/** The request factory of one contender in one scenario; `first` is the page size of list scenarios. */
export function requestFor(
  contender: ContenderName,
  scenario: ScenarioName | 'list',
  db: BenchDatabase,
  token: string,
  first = 50,
): RequestFactory {
  const hubHeaders = { ...JSON_HEADERS, authorization: `Bearer ${token}`, 'x-purpose-of-use': 'Benchmark: follow-up of screening results' };
  const gql = (headers: Record<string, string>, query: string, variables: Record<string, unknown>): RequestSpec => ({
    method: 'POST',
    path: '/graphql',
    headers,
    body: JSON.stringify({ query, variables }),
  });
  if (scenario === 'mixed') {
    // A caseworker's day: nine reads (a page, a record, a full record, in turn) for each write, on
    // the same connections, so a slow path shows as the other's latency too.
    const [list, one, full, write] = (['list50', 'byId', 'byIdFull', 'write'] as const).map((s) => requestFor(contender, s, db, token));
    let n = 0;
    return (pick) => {
      const i = n++ % 10;
      return i === 9 ? write(pick) : [list, one, full][i % 3](pick);
    };
  }
  const agency = db.caseworker.agencyId;
  const kind = scenario === 'list50' ? 'list' : scenario;
  const size = scenario === 'list50' ? 50 : first;
  if (contender === 'hub' || contender === 'hubAuditOff') {
    if (kind === 'list') return () => gql(hubHeaders, HUB_LIST, { first: size });
    if (kind === 'byId') return (pick) => gql(hubHeaders, HUB_ONE, { id: pick() });
    if (kind === 'byIdFull') return (pick) => gql(hubHeaders, HUB_FULL, { id: pick() });
    return (pick) => gql(hubHeaders, HUB_WRITE, { id: pick(), input: assessmentInput() });
  }
  if (contender === 'postgraphile') {
    if (kind === 'list') return () => gql(JSON_HEADERS, PGL_LIST, { agency, first: size });
    if (kind === 'byId') return (pick) => gql(JSON_HEADERS, PGL_ONE, { agency, id: pick() });
    if (kind === 'byIdFull') return (pick) => gql(JSON_HEADERS, PGL_FULL, { agency, id: pick() });
    return (pick) => {
      const a = assessmentInput();
      return gql(JSON_HEADERS, PGL_WRITE, {
        input: {
          agency,
          staff: db.caseworker.staffId,
          returnee: pick(),
          assessedOn: a.assessedOn,
          findings: a.findings,
          followUp: a.followUpNeeded,
          schoolFit: a.fitForSchool,
        },
      });
    };
  }
  if (kind === 'list') return () => ({ method: 'GET', path: `/returnees?first=${size}`, headers: {} });
  if (kind === 'byId') return (pick) => ({ method: 'GET', path: `/returnees/${pick()}`, headers: {} });
  if (kind === 'byIdFull') return (pick) => ({ method: 'GET', path: `/returnees/${pick()}/full`, headers: {} });
  return (pick) => ({
    method: 'POST',
    path: `/returnees/${pick()}/health-assessments`,
    headers: JSON_HEADERS,
    body: JSON.stringify(assessmentInput()),
  });
}

/** A response is an error when its status is not 2xx or it carries GraphQL errors. */
export function isErrorResponse(status: number, body: string): boolean {
  return status < 200 || status >= 300 || body.startsWith('{"errors"') || body.includes('"errors":[');
}

/** The returnee rows of a response, in one shape for every contender (for the same-rows check). */
export function rowsOf(contender: ContenderName, scenario: ScenarioName, body: string): unknown[] {
  const json = JSON.parse(body) as Record<string, any>;
  if (scenario === 'byIdFull') return fullRowsOf(contender, json);
  const pick = (r: Record<string, any>) => {
    const assessments = (r.healthAssessments ?? r.healthAssessmentsByReturneeId?.nodes ?? []) as Record<string, any>[];
    const out: Record<string, unknown> = { id: r.id ?? r.rowId };
    for (const f of `${IDENTITY} ${FLAGS}`.split(' ')) out[f] = r[f] ?? null;
    out.healthAssessments = assessments.map((a) =>
      Object.fromEntries([['id', a.id ?? a.rowId], ...ASSESSMENT.split(' ').map((f) => [f, a[f] ?? null])]),
    );
    return out;
  };
  if (contender === 'raw') return (scenario === 'list50' ? json.nodes : [json]).map(pick);
  if (contender === 'postgraphile') {
    const data = json.data ?? {};
    return ((scenario === 'list50' ? data.benchCaseworkerReturnees : data.benchCaseworkerReturnee)?.nodes ?? []).map(pick);
  }
  const data = json.data ?? {};
  return (scenario === 'list50' ? (data.returnees?.nodes ?? []) : data.returnee ? [data.returnee] : []).map(pick);
}

const camel = (key: string) => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** byIdFull's record in one shape: scalars by name, collections as lists (document statuses by type). */
function fullRowsOf(contender: ContenderName, json: Record<string, any>): unknown[] {
  const records: Record<string, any>[] =
    contender === 'raw'
      ? [Object.fromEntries(Object.entries(json).map(([k, v]) => [camel(k), v]))]
      : contender === 'postgraphile'
        ? (json.data?.benchCaseworkerReturneeFull?.nodes ?? [])
        : json.data?.returnee
          ? [json.data.returnee]
          : [];
  const list = (v: unknown, keys: string) =>
    Array.isArray(v) ? v.map((x: Record<string, unknown>) => Object.fromEntries(keys.split(' ').map((k) => [k, x[k] ?? null]))) : null;
  return records.map((r) => {
    const out: Record<string, unknown> = { id: r.id ?? r.rowId };
    for (const f of `caseNumber version ${IDENTITY} ${CONTACT} ${FLAGS} ${SUMMARIES}`.split(/\s+/)) out[f] = r[f] ?? null;
    out.household = list(r.household, 'id caseNumber relation');
    out.healthAssessments = list(r.healthAssessments, `id ${ASSESSMENT}`);
    const statuses = list(r.documentStatuses, 'type status') as { type: string }[] | null;
    out.documentStatuses = statuses?.sort((a, b) => a.type.localeCompare(b.type)) ?? null;
    out.socialSupport = list(r.socialSupport, SUPPORT);
    return out;
  });
}
