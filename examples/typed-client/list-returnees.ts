/**
 * Typed client example: who am I, every returnee in my scope page by page, then one health
 * assessment recorded on the first of them. Types come from `npm run codegen`
 * (schema/schema.graphql + operations.graphql -> generated/graphql.ts).
 *
 *   HUB_URL=http://127.0.0.1:4000 HUB_TOKEN=$(npx hub token kz-health-caseworker) npm run example
 *
 * Environment: HUB_URL (default http://127.0.0.1:4000), HUB_TOKEN (required), HUB_PAGE_SIZE
 * (default 25, at most the hub's HUB_MAX_PAGE_SIZE), HUB_PURPOSE (the purpose of use sent),
 * HUB_RETURNEE_ID (record the assessment there instead of on the first record listed).
 * Pass --no-write to only list.
 */
import { RecordHealthAssessmentDocument, ReturneePageDocument, WhoAmIDocument, type ReturneePageQuery } from './generated/graphql';
import { createHubClient, HubRequestError, type HubRequest } from './hub-client';

type ReturneeRow = ReturneePageQuery['returnees']['nodes'][number];

/** Follows the Relay cursor until the hub says there is no next page. */
async function* returneePages(request: HubRequest, pageSize: number): AsyncGenerator<ReturneePageQuery['returnees']> {
  let after: string | null = null;
  do {
    const { returnees }: ReturneePageQuery = await request(ReturneePageDocument, { first: pageSize, after });
    yield returnees;
    after = returnees.pageInfo.hasNextPage ? returnees.pageInfo.endCursor : null;
  } while (after);
}

/** A field the caller may not read is null *and* named in redactedFields: say "hidden", not "empty". */
function show(row: ReturneeRow, field: keyof ReturneeRow, value: string | null): string {
  if (row.redactedFields.includes(field)) return '(hidden)';
  return value ?? '-';
}

function describe(row: ReturneeRow): string {
  const name = row.redactedFields.includes('givenName') ? '(name hidden)' : [row.givenName, row.familyName].filter(Boolean).join(' ');
  const minor = show(row, 'isMinor', row.isMinor === null ? null : row.isMinor ? 'yes' : 'no');
  const followUp = show(row, 'followUpNeeded', row.followUpNeeded === null ? null : row.followUpNeeded ? 'yes' : 'no');
  return `  ${row.caseNumber.padEnd(16)} ${name.padEnd(28)} minor=${minor} followUp=${followUp} region=${show(row, 'region', row.region)}`;
}

async function run(): Promise<number> {
  const token = process.env.HUB_TOKEN;
  if (!token) {
    process.stderr.write('Set HUB_TOKEN to a bearer token, e.g. HUB_TOKEN=$(npx hub token kz-health-caseworker)\n');
    return 2;
  }
  const pageSize = Number(process.env.HUB_PAGE_SIZE ?? 25);
  const request = createHubClient({
    url: process.env.HUB_URL ?? 'http://127.0.0.1:4000',
    token,
    purpose: process.env.HUB_PURPOSE ?? 'Typed client example: health follow-up list',
  });

  const { me } = await request(WhoAmIDocument);
  process.stdout.write(
    `signed in as ${me.staff.username} (${me.staff.agency.code}, ${me.staff.agency.sector}); writes: ${me.writableSections.join(', ') || 'none'}\n`,
  );

  let listed = 0;
  let pages = 0;
  let total = 0;
  let first: ReturneeRow | undefined;
  for await (const page of returneePages(request, pageSize)) {
    pages += 1;
    total = page.totalCount;
    process.stdout.write(`page ${pages}: ${page.nodes.length} records\n`);
    for (const row of page.nodes) process.stdout.write(`${describe(row)}\n`);
    listed += page.nodes.length;
    first ??= page.nodes[0];
  }
  process.stdout.write(`listed ${listed} of ${total} returnees in ${pages} pages\n`);

  if (process.argv.includes('--no-write')) return 0;
  if (!me.writableSections.includes('HEALTH')) {
    process.stdout.write('not recording an assessment: this account does not write the HEALTH section\n');
    return 0;
  }
  const returneeId = process.env.HUB_RETURNEE_ID ?? first?.id;
  if (!returneeId) {
    process.stdout.write('not recording an assessment: no returnee in scope\n');
    return 0;
  }
  const { recordHealthAssessment } = await request(RecordHealthAssessmentDocument, {
    returneeId,
    input: {
      assessedOn: new Date().toISOString().slice(0, 10),
      findings: 'Follow-up visit: general condition good, weight within normal range',
      conditions: [],
      followUpNeeded: false,
      fitForSchool: true,
    },
  });
  const { returnee } = recordHealthAssessment;
  const [newest] = returnee.healthAssessments ?? [];
  process.stdout.write(
    `recorded health assessment ${newest?.id} on ${returnee.caseNumber} (record version ${returnee.version}, followUpNeeded=${returnee.followUpNeeded})\n`,
  );
  return 0;
}

run().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof HubRequestError) {
      const fields = Array.isArray(error.details.fields) ? ` [fields: ${error.details.fields.join(', ')}]` : '';
      process.stderr.write(`hub refused: ${error.code}: ${error.message}${fields} (request id ${error.requestId})\n`);
    } else {
      process.stderr.write(`failed: ${error instanceof Error ? error.message : String(error)}\n`);
    }
    process.exitCode = 1;
  },
);
