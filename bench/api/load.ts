import type { Running } from './contenders';
import { isErrorResponse, type RequestFactory, type RequestSpec } from './scenarios';

// autocannon ships no types; this is the part of its programmatic API the bench uses.
interface AutocannonRequest extends Partial<RequestSpec> {
  setupRequest?: (req: RequestSpec, context: Record<string, unknown>) => RequestSpec;
  onResponse?: (status: number, body: string, context: Record<string, unknown>) => void;
}
interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  requests: { total: number; average: number };
  latency: { p50: number; p99: number; mean: number };
}
type Autocannon = (opts: Record<string, unknown>, done: (error: Error | null, result: AutocannonResult) => void) => { stop(): void };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as Autocannon;

export interface Measurement {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
  /** CPU time the contender's process spent per request (ms), PostgreSQL's not included. */
  cpuMsPerRequest: number;
}

let drives = 0;

/**
 * Drives one contender with autocannon over loopback for `seconds`. No two requests in flight
 * work on the same record, so concurrent writes never race for one (a lost race would be the
 * bench's fault, not the contender's): a request takes a record no other in-flight request
 * holds and gives it back with its response. (Not a fixed slice per connection: autocannon
 * resets a connection's context after every request when there is one request in the list.)
 * Consecutive drives use alternate halves of `ids`: when autocannon stops, the requests it
 * abandons are still being served while the next drive (often another contender, on the same
 * database) starts, and they must not meet on a record either. Errors: socket errors,
 * timeouts, non-2xx answers and 200 answers carrying GraphQL errors.
 */
export async function drive(
  target: Running,
  factory: RequestFactory,
  ids: string[],
  connections: number,
  seconds: number,
): Promise<Measurement> {
  let gqlErrors = 0;
  const half = drives++ % 2;
  const mine = ids.length >= 4 * connections ? ids.filter((_id, i) => i % 2 === half) : ids;
  const busy = new Set<string>();
  const take = (): string => {
    for (let tries = 0; tries < 20; tries++) {
      const id = mine[Math.floor(Math.random() * mine.length)];
      if (!busy.has(id)) return id;
    }
    return mine.find((id) => !busy.has(id)) ?? mine[Math.floor(Math.random() * mine.length)];
  };
  let firstError: string | undefined;
  // autocannon builds the Host header from the request object setupRequest returns, and a fresh
  // one without `host` made it send "Host: undefined:undefined", which the hub refuses (421).
  const host = new URL(target.url).host;
  const request: AutocannonRequest = {
    setupRequest: (_req, context) => {
      context.id = undefined; // a request that takes no record (a page) must not give back its predecessor's
      return {
        host,
        ...factory(() => {
          const id = take();
          busy.add(id);
          context.id = id;
          return id;
        }),
      };
    },
    onResponse: (status, body, context) => {
      if (typeof context.id === 'string') busy.delete(context.id);
      if (status >= 200 && status < 300 && isErrorResponse(status, body)) {
        gqlErrors++;
        firstError ??= body.slice(0, 300);
      }
    },
  };
  const cpuBefore = (await target.sqlCount(false)).cpuMs;
  const result = await new Promise<AutocannonResult>((resolve, reject) => {
    autocannon({ url: target.url, connections, duration: seconds, requests: [request], timeout: 30 }, (error, r) =>
      error ? reject(error) : resolve(r),
    );
  });
  if (firstError) process.stderr.write(`  ${target.name}: GraphQL error: ${firstError}\n`);
  const cpuAfter = (await target.sqlCount(false)).cpuMs;
  return {
    cpuMsPerRequest: Math.round(((cpuAfter - cpuBefore) / Math.max(result.requests.total, 1)) * 100) / 100,
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.timeouts + result.non2xx + gqlErrors,
  };
}

/** One request over fetch, for the checks and the counting pass. */
export async function once(target: Running, spec: RequestSpec): Promise<{ status: number; body: string }> {
  const res = await fetch(`${target.url}${spec.path}`, { method: spec.method, headers: spec.headers, body: spec.body });
  return { status: res.status, body: await res.text() };
}

/**
 * Statements per request: `n` requests one after another, and the statements the contender
 * sent on their behalf (sql-counter.js counts those issued in a request's async context, so
 * the hub's audit sealer, on its own timer, is left out), with the texts seen.
 */
export async function statementsPerRequest(
  target: Running,
  factory: RequestFactory,
  ids: string[],
  n: number,
): Promise<{ perRequest: number; cpuMsPerRequest: number; statements: { text: string; perRequest: number }[]; errors: number }> {
  const before = await target.sqlCount(true);
  let errors = 0;
  for (let i = 0; i < n; i++) {
    const res = await once(
      target,
      factory(() => ids[(i * 7919) % ids.length]),
    );
    if (isErrorResponse(res.status, res.body)) errors++;
  }
  await new Promise((r) => setTimeout(r, 50)); // work a response does not wait for (none expected) still counts
  const after = await target.sqlCount(false);
  return {
    perRequest: Math.round(((after.inRequests - before.inRequests) / n) * 10) / 10,
    cpuMsPerRequest: Math.round(((after.cpuMs - before.cpuMs) / n) * 100) / 100,
    statements: after.statements.map((s) => ({ text: s.text, perRequest: Math.round((s.calls / n) * 100) / 100 })),
    errors,
  };
}
