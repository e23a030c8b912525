import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { badInput } from '../errors';

/**
 * The one cursor module of every connection (returnees, referrals, auditEvents). A keyset
 * cursor must hold the sort value of the last row (a date of birth, a name, a time), which the
 * audit trail never records as a value: so it is sealed, never merely encoded. AES-256-GCM
 * under a key derived (HKDF-SHA256) from the hub's secret, which every hub process behind a
 * balancer shares, so any process opens a cursor another issued. The additional data binds it
 * to the staff member it was issued to, the connection and the order: another caller, another
 * list or another sort gets BAD_USER_INPUT, and a cursor cannot be forged or altered. The IV is
 * random, so two cursors of the same position do not even compare equal.
 */

/** What a position's sort value must look like once opened (defence in depth: the seal already vouches for it). */
export type CursorValue = 'text' | 'date' | 'timestamp';
export type CursorId = 'uuid' | 'bigint';

export interface CursorSpec {
  /** The root field, e.g. `returnees`. */
  connection: string;
  /** The order the positions belong to, e.g. `dateOfBirth asc`. */
  order: string;
  value: CursorValue;
  id: CursorId;
}

/** What an operation offers to seal with: the hub's secret and the caller's staff id. */
export interface CursorOwner {
  readonly actor: { readonly staffId: string };
  readonly ctx: { readonly runtime: { readonly jwtSecret: string } };
}

export interface Cursors {
  seal(value: string, id: string): string;
  openOrThrow(cursor: string): { value: string; id: string };
}

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Cursors carry a value of at most 300 characters (names: 100), so a longer string is not one of ours. */
const MAX_CURSOR_CHARS = 2048;

const keys = new Map<string, Buffer>();

function keyOf(secret: string): Buffer {
  let key = keys.get(secret);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', secret, 'returnee-hub cursor salt', 'cursor key v1', 32));
    if (keys.size > 8) keys.clear(); // one secret per process in practice; tests start hubs with a few
    keys.set(secret, key);
  }
  return key;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A real calendar instant: the digits survive a round trip through Date (2024-02-30 does not). */
export function isRealInstant(iso: string): boolean {
  const ms = Date.parse(iso);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 19) === iso.slice(0, 19);
}

const VALUE: Record<CursorValue, (v: string) => boolean> = {
  text: (v) => v.length <= 300 && !v.includes('\u0000'),
  date: (v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && isRealInstant(`${v}T00:00:00Z`),
  timestamp: (v) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/.test(v) && isRealInstant(v),
};

const ID: Record<CursorId, (v: string) => boolean> = {
  uuid: (v) => UUID.test(v),
  // bigint keys (audit events): at most 2^63 - 1, or PostgreSQL refuses the comparison
  bigint: (v) => /^\d{1,19}$/.test(v) && BigInt(v) <= 9223372036854775807n,
};

const refused = () =>
  badInput(
    'after is not a cursor this hub issued to you for this list and order: pass the endCursor or an edge cursor of a previous page of the same query',
  );

/** Seals and opens the cursors of one connection, in one order, for the operation's caller. */
export function cursorsFor(op: CursorOwner, spec: CursorSpec): Cursors {
  const key = keyOf(op.ctx.runtime.jwtSecret);
  const aad = Buffer.from(JSON.stringify(['hub-cursor', VERSION, op.actor.staffId, spec.connection, spec.order]));
  return {
    seal(value, id) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(aad);
      const body = Buffer.concat([cipher.update(JSON.stringify([value, id]), 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.from([VERSION]), iv, body, cipher.getAuthTag()]).toString('base64url');
    },
    openOrThrow(cursor) {
      if (typeof cursor !== 'string' || cursor.length > MAX_CURSOR_CHARS || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw refused();
      const raw = Buffer.from(cursor, 'base64url');
      if (raw.length < 1 + IV_BYTES + TAG_BYTES + 2 || raw[0] !== VERSION) throw refused();
      let parsed: unknown;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(1, 1 + IV_BYTES), { authTagLength: TAG_BYTES });
        decipher.setAAD(aad);
        decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
        const text = Buffer.concat([decipher.update(raw.subarray(1 + IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString(
          'utf8',
        );
        parsed = JSON.parse(text);
      } catch {
        throw refused(); // another caller's, another list's or order's, altered, or sealed under another secret
      }
      if (
        Array.isArray(parsed) &&
        parsed.length === 2 &&
        typeof parsed[0] === 'string' &&
        typeof parsed[1] === 'string' &&
        VALUE[spec.value](parsed[0]) &&
        ID[spec.id](parsed[1])
      ) {
        return { value: parsed[0], id: parsed[1] };
      }
      throw refused();
    },
  };
}
