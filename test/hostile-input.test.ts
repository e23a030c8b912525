import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import fc from 'fast-check';
import { SignJWT } from 'jose';
import { openOrm } from '../src/db/orm';
import { KNOWN_CODES } from '../src/errors';
import { StaffMember } from '../src/staff/staff.entity';
import { addAssessment, giveConsent, grantAccess, makeAgency, makeReturnee, makeSectorUser, makeStaff } from './support/factories';
import { TEST_JWT_SECRET, testDatabaseUrl, tokenFor } from './support/hub';
import {
  CALLERS,
  callerArb,
  envelopeArb,
  operationArb,
  type Caller,
  type Envelope,
  type GeneratedOperation,
  type IdPool,
} from './support/hostile-arbitraries';
import { leaks, raw, type RawResponse } from './support/raw-http';
import { fillSections } from './support/section-factories';

/**
 * Property: whatever arrives at POST /graphql — documents grown from the schema with right
 * and wrong arguments, corrupted documents, odd bodies, methods, content types and tokens —
 * the hub (a separate process, as in production) stays up; every answer is JSON whose errors
 * carry a known code, none is INTERNAL_SERVER_ERROR or a 5xx without a code, none shows a
 * stack trace or SQL; and no value of a field the caller may not read is ever in the answer.
 * Values planted in every section are the tripwires for that last part.
 */
const DOCUMENT_RUNS = 400;
const ENVELOPE_RUNS = 300;
const SEED = Number(process.env.HUB_FUZZ_SEED ?? 20240611);

let orm: MikroORM;
let child: ChildProcess;
let url: string;
const logged: { level: number; msg?: string; err?: { message?: string } }[] = [];
const auth = {} as Record<Caller, string | undefined>;
/** Per caller, planted values it must never receive. */
const denied = {} as Record<Caller, string[]>;
const ids: IdPool = { real: [] };
const tally = { requests: 0, statuses: new Map<number, number>(), codes: new Map<string, number>(), reasons: new Map<string, number>() };
const bump = <K>(m: Map<K, number>, k: K) => m.set(k, (m.get(k) ?? 0) + 1);

function startHubProcess(): Promise<string> {
  child = spawn(process.execPath, ['-r', './test/support/ts-register.js', './test/support/hub-child.ts'], {
    cwd: path.resolve(__dirname, '..'),
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: testDatabaseUrl(),
      HUB_JWT_SECRET: TEST_JWT_SECRET,
      PORT: '0',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const entry = JSON.parse(line) as { url?: string; level?: number; msg?: string; err?: { message?: string } };
        if (entry.url && entry.level === undefined) resolve(entry.url);
        else if (entry.level !== undefined)
          logged.push({ level: entry.level, msg: entry.msg, err: entry.err && { message: entry.err.message?.slice(0, 500) } });
      }
    });
    child.once('exit', (code) => reject(new Error(`the hub process exited with ${code}`)));
  });
}

async function plant(): Promise<void> {
  const tag = Array.from({ length: 10 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('');
  const social = await makeSectorUser(orm, 'SOCIAL');
  const edu = await makeSectorUser(orm, 'EDUCATION');
  const ngo = await makeSectorUser(orm, 'NGO');
  const health = await makeSectorUser(orm, 'HEALTH');
  const r = await makeReturnee(orm, social.agency, {
    givenName: `Given${tag}`,
    familyName: `Family${tag}`,
    address: `Address${tag}`,
    district: `District${tag}`,
    guardianName: `Guardian${tag}`,
  });
  await grantAccess(orm, r, edu.agency);
  await grantAccess(orm, r, ngo.agency);
  await grantAccess(orm, r, health.agency);
  const consent = await giveConsent(orm, r, social);
  const assessment = await addAssessment(orm, r, health, { findings: `Findings${tag}`, mentalHealthNotes: `Mental${tag}` });
  await fillSections(
    orm,
    r,
    { EDUCATION: edu, SOCIAL: social, NGO: ngo },
    { number: `NUM${tag}`, benefit: `Benefit${tag}`, riskNotes: `Risk${tag}` },
  );
  const auditor = await makeSectorUser(orm, 'OVERSIGHT', ['AUDITOR']);
  const outsider = await makeSectorUser(orm, 'HEALTH', ['SUPERVISOR'], 'UZ');
  const gone = await makeStaff(orm, await makeAgency(orm, 'SOCIAL'), ['SUPERVISOR']);
  await orm.em.fork().nativeUpdate(StaffMember, { id: gone.staff.id }, { active: false, deactivatedAt: new Date() });

  const key = (secret: string) => new TextEncoder().encode(secret);
  const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: social.staff.username, exp: 4102444800 })).toString('base64url')}.`;
  Object.assign(auth, {
    edu: `Bearer ${edu.token}`,
    auditor: `Bearer ${auditor.token}`,
    admin: `Bearer ${await tokenFor('admin')}`,
    outsider: `Bearer ${outsider.token}`,
    anonymous: undefined,
    deactivated: `Bearer ${gone.token}`,
    algNone: `Bearer ${none}`,
    wrongKey: `Bearer ${await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(social.staff.username).setExpirationTime('1h').sign(key('another-secret-another-secret-another'))}`,
    expired: `Bearer ${await tokenFor(social.staff.username, -60)}`,
    garbage: 'Bearer abc.def.ghi',
    basic: `Basic ${Buffer.from('admin:admin').toString('base64')}`,
  });
  const contents = [
    `Address${tag}`,
    `District${tag}`,
    `Guardian${tag}`,
    `Findings${tag}`,
    `Mental${tag}`,
    `NUM${tag}`,
    `Benefit${tag}`,
    `Risk${tag}`,
  ];
  const everything = [...contents, `Given${tag}`, `Family${tag}`, 'Reads simple words in Kazakh'];
  for (const c of CALLERS) denied[c] = [...everything, r.caseNumber];
  denied.edu = contents; // EDUCATION reads identity, flags, education and document status (consented), never these
  denied.auditor = everything; // an auditor sees a returnee as id and case number only
  ids.real = [
    r.id,
    consent.id,
    assessment.id,
    social.agency.id,
    edu.agency.id,
    outsider.agency.id,
    social.staff.id,
    edu.staff.id,
    gone.staff.id,
  ];
}

beforeAll(async () => {
  orm = await openOrm(testDatabaseUrl(), { pool: { min: 0, max: 2 } });
  await plant();
  url = await startHubProcess();
}, 120_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    await new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGTERM');
    });
  }
  await orm?.close(true);
});

function count(res: RawResponse): void {
  tally.requests++;
  bump(tally.statuses, res.status);
  if (res.json?.data && Object.values(res.json.data).some((v) => v !== null)) bump(tally.reasons, 'DATA');
  for (const e of res.json?.errors ?? []) {
    bump(tally.codes, String(e.extensions?.code));
    bump(tally.reasons, String(e.extensions?.reason ?? e.extensions?.code));
  }
}

/** Everything the property asserts about one answer. */
function assertSafe(caller: Caller, res: RawResponse): void {
  count(res);
  const where = `${res.status} ${res.text.slice(0, 400)}`;
  // Node's HTTP parser answers a request line or headers over 16 KiB itself, before the hub.
  if (res.status === 431) return;
  if (!res.json || (res.json.data === undefined && res.json.errors === undefined)) throw new Error(`not a GraphQL JSON answer: ${where}`);
  for (const e of res.json.errors ?? []) {
    const code = e.extensions?.code;
    if (typeof code !== 'string' || !KNOWN_CODES.has(code)) throw new Error(`error without a known code: ${where}`);
    if (code === 'INTERNAL_SERVER_ERROR')
      throw new Error(`internal error: ${where}; hub log: ${JSON.stringify(logged.filter((l) => l.level >= 50).slice(-1))}`);
  }
  if (res.status >= 500 && !(res.json.errors ?? []).length) throw new Error(`5xx without a coded error: ${where}`);
  const leak = leaks(res.text);
  if (leak) throw new Error(`answer leaks ${leak}: ${where}`);
  const seen = denied[caller].find((v) => res.text.includes(v));
  if (seen) throw new Error(`${caller} received "${seen}", which its policy denies: ${where}`);
}

function send(caller: Caller, e: Envelope): Promise<RawResponse> {
  const headers: Record<string, string> = { ...e.headers };
  if (e.contentType) headers['content-type'] = e.contentType;
  if (auth[caller]) headers.authorization = auth[caller]!;
  return raw({ url }, { method: e.method, path: `/graphql${e.query ?? ''}`, headers, body: e.body });
}

const post = (caller: Caller, op: GeneratedOperation) =>
  send(caller, { method: 'POST', contentType: 'application/json', body: JSON.stringify(op), headers: { 'x-purpose-of-use': 'fuzz' } });

it(`answers ${DOCUMENT_RUNS} generated operations safely`, async () => {
  await fc.assert(
    fc.asyncProperty(callerArb, operationArb(ids), async (caller, op) => {
      assertSafe(caller, await post(caller, op));
    }),
    { numRuns: DOCUMENT_RUNS, seed: SEED, endOnFailure: true },
  );
}, 300_000);

it(`answers ${ENVELOPE_RUNS} generated HTTP requests safely`, async () => {
  await fc.assert(
    fc.asyncProperty(callerArb, envelopeArb(operationArb(ids)), async (caller, e) => {
      assertSafe(caller, await send(caller, e));
    }),
    { numRuns: ENVELOPE_RUNS, seed: SEED + 1, endOnFailure: true },
  );
}, 300_000);

it('is still up and healthy afterwards, having logged no unexpected failure', async () => {
  expect(child.exitCode).toBeNull();
  expect((await fetch(`${url}/healthz`)).status).toBe(200);
  expect(logged.filter((l) => l.level >= 50)).toEqual([]);
  // What the runs covered, for the record (and so a generator that stops reaching resolvers shows).
  process.stdout.write(
    `hostile-input: ${tally.requests} requests; statuses ${JSON.stringify(Object.fromEntries(tally.statuses))}; codes ${JSON.stringify(Object.fromEntries(tally.codes))}; reasons ${JSON.stringify(Object.fromEntries(tally.reasons))}\n`,
  );
  expect(tally.requests).toBe(DOCUMENT_RUNS + ENVELOPE_RUNS);
  expect(tally.codes.get('undefined') ?? 0).toBe(0);
  expect([...tally.statuses.keys()]).toEqual(expect.arrayContaining([200, 400, 401]));
});
