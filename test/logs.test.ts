import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { appRoleName } from '../src/db/app-role';
import { openOrm } from '../src/db/orm';
import { createLogger, safeError, scrubMessage } from '../src/logger';
import { createScratchDb, type ScratchDb } from './support/audit-scratch-db';
import { makeSectorUser, type StaffFixture } from './support/factories';
import { errorCode, gql } from './support/hub';
import { spawnHub, type HubProcess } from './support/hub-process';

/**
 * Logs carry request id, actor id, operation and timing, and never personal data. A hub
 * process (the real entry point, at LOG_LEVEL=debug) is driven through successes, refusals,
 * bad input, a document that does not parse and a database error whose SQL carries the values;
 * distinctive names, a document number, notes and the bearer token must appear nowhere in what
 * it wrote.
 */
const GIVEN = 'Zhyldyzkhan';
const FAMILY = 'Qwertimbekova';
const CYRILLIC = 'Жылдызхан';
const DOC_NUMBER = 'N 7773199';
const NOTE = 'Sleeps at the Qwertimbek aunt';
const SECRETS = [GIVEN, FAMILY, CYRILLIC, DOC_NUMBER, '7773199', NOTE, 'Qwertimbek'];

const REGISTER = `mutation($input: RegisterReturneeInput!) { registerReturnee(input: $input) { returnee { id givenName } } }`;

let db: ScratchDb;
let hub: HubProcess;
let social: StaffFixture;

beforeAll(async () => {
  db = await createScratchDb('logs');
  hub = await spawnHub({ DATABASE_URL: db.url, LOG_LEVEL: 'debug' });
  const orm = await openOrm(db.url, { pool: { min: 0, max: 1 } });
  social = await makeSectorUser(orm, 'SOCIAL');
  await orm.close(true);
}, 120_000);

afterAll(async () => {
  if (hub) await hub.stop();
  await db?.drop();
});

describe('hub logs', () => {
  it('never contain names, document numbers, notes or tokens, even when the database fails a write', async () => {
    const h = { url: hub.url };
    const input = { givenName: GIVEN, familyName: FAMILY, otherNames: [CYRILLIC], sex: 'FEMALE', dateOfBirth: '1993-06-01', address: NOTE };
    const reg = await gql(h, social.token, REGISTER, { input });
    expect(reg.errors).toBeUndefined();
    const id = reg.data.registerReturnee.returnee.id as string;

    await gql(h, social.token, `query($id: ID!) { returnee(id: $id) { givenName familyName otherNames address } }`, { id });
    await gql(h, social.token, `query($q: String!) { returnees(first: 5, filter: { search: $q }) { totalCount nodes { id } } }`, {
      q: FAMILY,
    });
    const doc = await gql(
      h,
      social.token,
      `mutation($id: ID!, $input: RecordCivilDocumentInput!) { recordCivilDocument(returneeId: $id, input: $input) { returnee { id } } }`,
      { id, input: { type: 'PASSPORT', status: 'ISSUED', number: DOC_NUMBER, issuedOn: '2020-02-02', notes: NOTE } },
    );
    expect(doc.errors).toBeUndefined();
    // refused and invalid requests carrying the values
    const bad = await gql(
      h,
      social.token,
      `mutation($id: ID!) { updateReturnee(id: $id, expectedVersion: 1, input: { givenName: "${GIVEN}", dateOfBirth: "2999-01-01" }) { returnee { id } } }`,
      { id },
    );
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
    const parse = await gql(h, social.token, `{ returnees(filter: { search: "${FAMILY}" }) { nodes { id } `);
    expect(errorCode(parse)).toBe('BAD_USER_INPUT');
    const other = await makeOtherSector();
    expect(errorCode(await gql(h, other.token, REGISTER, { input }))).toBe('FORBIDDEN');

    // A database error: the app role loses INSERT on returnee, so the insert fails in PostgreSQL,
    // and the driver's error message carries the statement with the values inlined.
    await db.query(`revoke insert on returnee from ${appRoleName(db.name)}`);
    const failed = await gql(h, social.token, REGISTER, { input }, { 'x-request-id': randomUUID() });
    expect(errorCode(failed)).toBe('INTERNAL_SERVER_ERROR');
    expect(JSON.stringify(failed.errors)).not.toMatch(/insert into|permission denied/i);
    await db.query(`grant insert on returnee to ${appRoleName(db.name)}`);

    expect(await hub.stop()).toBe(0);
    const output = hub.output();
    for (const secret of SECRETS)
      expect({ secret, found: output.toLowerCase().includes(secret.toLowerCase()) }).toEqual({ secret, found: false });
    expect(output).not.toContain(social.token);
    expect(output).not.toContain(social.token.split('.')[2]); // not even the signature

    // What the logs do say: one line per request with ids, operation and timing …
    const lines = hub.logLines();
    const requests = lines.filter((l) => l.msg === 'graphql');
    expect(requests.length).toBeGreaterThanOrEqual(7);
    for (const l of requests)
      expect(l).toEqual(
        expect.objectContaining({
          requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
          ms: expect.any(Number),
          status: expect.any(Number),
        }),
      );
    expect(requests.find((l) => l.operation === 'registerReturnee' && !l.errors)).toMatchObject({ actor: social.staff.id, status: 200 });
    expect(requests.find((l) => l.operation === 'updateReturnee')).toMatchObject({ errors: ['BAD_USER_INPUT'] });
    // … and the database error, with its type and SQLSTATE but without the statement or values.
    const error = lines.find((l) => l.msg === 'request failed');
    expect(error).toMatchObject({ operation: 'registerReturnee', actor: social.staff.id, err: { code: '42501' } });
    expect(error!.err.message).toMatch(/^<sql> - permission denied/);
  });
});

async function makeOtherSector(): Promise<StaffFixture> {
  const orm = await openOrm(db.url, { pool: { min: 0, max: 1 } });
  try {
    return await makeSectorUser(orm, 'HEALTH');
  } finally {
    await orm.close(true);
  }
}

describe('the log serializers', () => {
  it("keep an error's type, codes and stack frames, not its SQL, values or detail", () => {
    const pgError = Object.assign(
      new Error(
        `insert into "returnee" ("given_name", "case_number") values ('${GIVEN}', 'KZ-1') - duplicate key value violates unique constraint "returnee_case_number_unique"\n - detail: Key (case_number)=(${DOC_NUMBER}) already exists.`,
      ),
      {
        name: 'UniqueConstraintViolationException',
        code: '23505',
        constraint: 'returnee_case_number_unique',
        table: 'returnee',
        detail: `Key (case_number)=(${DOC_NUMBER}) already exists.`,
        parameters: [GIVEN],
        sql: `insert … '${GIVEN}'`,
      },
    );
    const safe = safeError(pgError)!;
    expect(safe).toMatchObject({
      type: 'UniqueConstraintViolationException',
      code: '23505',
      constraint: 'returnee_case_number_unique',
      table: 'returnee',
    });
    const text = JSON.stringify(safe);
    for (const secret of [GIVEN, DOC_NUMBER]) expect(text).not.toContain(secret);
    expect(safe.message).toBe('<sql> - duplicate key value violates unique constraint "…"\n - detail: Key (…)=(…) already exists.');
    expect(safe.stack).toMatch(/^\s+at /);
    expect(scrubMessage(`invalid input syntax for type date: "${GIVEN}"`)).toBe('invalid input syntax for type date: "…"');
  });

  it('redact headers, tokens and variables wherever they are put', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = createLogger('info', sink);
    log.info(
      {
        req: { headers: { authorization: 'Bearer abc.def.ghi', cookie: 'sid=1' } },
        variables: { givenName: GIVEN },
        headers: { authorization: 'Bearer x' },
      },
      'careless',
    );
    log.error({ err: new Error(`update "returnee" set "given_name" = '${GIVEN}' - deadlock detected`) }, 'failed');
    const text = lines.join('');
    expect(text).not.toMatch(/abc\.def|Bearer|sid=1/);
    expect(text).not.toContain(GIVEN);
    expect(JSON.parse(lines[0])).toMatchObject({ variables: '[redacted]', req: { headers: { authorization: '[redacted]' } } });
  });
});
