/**
 * Raw requests to /graphql for the hardening suites: any method, headers and body bytes,
 * and the answer read as text first (a refusal must be JSON with a code, so the suites
 * check that instead of assuming it).
 */
export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  json?: { data?: any; errors?: { message: string; extensions?: { code?: string; [k: string]: unknown }; path?: unknown }[] };
}

export interface RawRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export async function raw(hub: { url: string }, req: RawRequest): Promise<RawResponse> {
  const res = await fetch(`${hub.url}${req.path ?? '/graphql'}`, {
    method: req.method ?? 'POST',
    headers: req.headers,
    body: req.body,
  });
  const text = await res.text();
  let json: RawResponse['json'];
  try {
    json = JSON.parse(text) as RawResponse['json'];
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** A JSON POST of one operation, as a well-behaved client sends it. */
export function postJson(hub: { url: string }, body: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
  return raw(hub, {
    headers: { 'content-type': 'application/json', 'x-purpose-of-use': 'test: hardening', ...headers },
    body: JSON.stringify(body),
  });
}

export function firstError(res: RawResponse) {
  return res.json?.errors?.[0];
}

/** Stack frames, driver and SQL text: none of it may reach a client. */
export const LEAK_PATTERNS: readonly RegExp[] = [
  /\bat (?:async )?[\w$.<>]+ \(?[^\s()]*:\d+:\d+\)?/, // a stack frame
  /node_modules|\/src\/|\.ts:\d+/,
  /\b(?:select|delete) .{0,200}\bfrom "/i,
  /\binsert into "/i,
  /\bupdate "[a-z_]+" set\b/i,
  /syntax error at or near|invalid input syntax for type|violates [a-z -]*constraint|duplicate key value|relation "[a-z_]+" does not exist/i,
  /DriverException|QueryFailedError|TypeError:|ReferenceError:|RangeError:/,
];

export function leaks(text: string): RegExp | undefined {
  return LEAK_PATTERNS.find((p) => p.test(text));
}
