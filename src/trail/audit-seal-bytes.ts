import { CANONICAL_VERSION } from './audit-canonical';
import { KIND as LINK_KIND } from './audit-link-row';

/**
 * The canonical event (`canonicalEvent`, audit-canonical.ts) written as UTF-8 straight from a
 * COPY text row of `SEAL_COLUMNS`, for the sealer: no strings, no per-field objects.
 *
 * Every text is JSON-escaped here as `JSON.stringify` does (`"` and `\` escaped, the C0 controls
 * as `\b \f \n \r \t` or `\u00xx`, everything else as it is), from COPY's own escapes: COPY
 * writes `\` as `\\` and `\b \f \n \r \t \v` as backslash and letter, which (but `\v`) are
 * already the JSON escapes. The text arrays come as `to_json`, which is what `JSON.stringify`
 * makes of them; only COPY's doubling of their backslashes is undone. A timestamp of years
 * 0001-9999 in COPY's ISO form is rewritten as `to_char` would. Any other value (a COPY escape
 * a `to_json` text cannot hold, an odd timestamp) makes it return -1, and the sealer takes the
 * string path instead. test/audit-seal-read.test.ts seals hostile values and checks each link
 * against `linkHash` over the row as `canonicalEvent` reads it.
 */
export const SEAL_COLUMNS = `e.id, e.occurred_at at time zone 'UTC', e.request_id, e.staff_id, e.agency_id,
  e.action, e.entity_type, e.entity_id, e.returnee_id, to_json(e.fields), to_json(e.denied_fields), e.purpose, e.operation,
  e.outcome, e.reason, e.correlation_id, e.basis, to_json(e.basis_keys)`;

/** LINK_COLUMNS' kinds without its two leading columns (position, hash): 0 text, 1 as it is (digits, uuids), 2 raw JSON, 3 the timestamp. */
const KIND = LINK_KIND.slice(2, 20);
/** The last column of the v1 form (reason); the later ones are left out while they and every one after are null. */
const V1_LAST = 14;
/** At most what one input byte becomes (a control byte as `\u00xx`). */
export const MAX_GROWTH = 6;

const TAB = 0x09;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const N = 0x4e;
const ZERO = 0x30;
const PREFIX = Buffer.from(`["${CANONICAL_VERSION}"`, 'utf8');
const NULL_BYTES = Buffer.from('null');
const HEX = Buffer.from('0123456789abcdef');
/** COPY's escape letters that are JSON's own escapes too: b f n r t. */
const SAME_ESCAPE = new Uint8Array(256);
for (const c of 'bfnrt') SAME_ESCAPE[c.charCodeAt(0)] = 1;
const V = 0x76;
/** Timestamp shape `YYYY-MM-DD HH:MM:SS[.f{1,6}]`: the byte each place must be (0 = a digit). */
const TS_SHAPE = [0, 0, 0, 0, 0x2d, 0, 0, 0x2d, 0, 0, 0x20, 0, 0, 0x3a, 0, 0, 0x3a, 0, 0];
const isDigit = (b: number) => b >= ZERO && b <= ZERO + 9;

/**
 * Writes the canonical event of `row` (one COPY text row, newline-ended, its event columns from
 * byte `from` on) into `out` from `o` on; returns where it ends, or -1. `out` must hold
 * `row.length * MAX_GROWTH + 64` bytes after `o`. `more`: other columns follow the event's (the
 * verifier's LINK_COLUMNS end with the link's event id); without it the row must end there.
 * The sealer (audit-seal-read.ts) and the verifier's walk (audit-link-bytes.ts) both write the
 * link hash's input with it, so the two cannot drift apart.
 */
export function canonicalInto(row: Buffer, out: Buffer, o: number, from = 0, more = false): number {
  const lim = row.length - 1;
  let p = from;
  for (let i = 0; i < PREFIX.length; i++) out[o++] = PREFIX[i];
  let pendingNulls = 0;
  for (let i = 0; i < KIND.length; i++) {
    if (p > lim) return -1;
    const isNull = row[p] === BACKSLASH && row[p + 1] === N && (p + 2 === lim || row[p + 2] === TAB);
    if (i > V1_LAST) {
      if (isNull) {
        pendingNulls++;
        p += 3;
        continue;
      }
      for (; pendingNulls > 0; pendingNulls--) {
        out[o++] = COMMA;
        for (let k = 0; k < 4; k++) out[o++] = NULL_BYTES[k];
      }
    }
    out[o++] = COMMA;
    if (isNull) {
      for (let k = 0; k < 4; k++) out[o++] = NULL_BYTES[k];
      p += 3;
      continue;
    }
    let end = p;
    while (end < lim && row[end] !== TAB) end++;
    const kind = KIND[i];
    if (kind === 0) o = text(row, p, end, out, o);
    else if (kind === 1) {
      out[o++] = QUOTE;
      for (; p < end; p++) {
        const b = row[p];
        if (b === QUOTE || b === BACKSLASH || b < 0x20) return -1;
        out[o++] = b;
      }
      out[o++] = QUOTE;
    } else if (kind === 2) o = rawJson(row, p, end, out, o);
    else o = timestamp(row, p, end, out, o);
    if (o < 0) return -1;
    p = end + 1;
  }
  if (more ? p > lim : p !== lim + 1) return -1; // fewer columns, or more than the form has
  out[o++] = 0x5d;
  return o;
}

/** A text value as a JSON string, from its COPY form. */
function text(row: Buffer, p: number, end: number, out: Buffer, o: number): number {
  out[o++] = QUOTE;
  for (; p < end; p++) {
    const b = row[p];
    if (b === BACKSLASH) {
      const c = row[++p];
      if (p >= end) return -1;
      if (c === BACKSLASH || SAME_ESCAPE[c] === 1) {
        out[o++] = BACKSLASH;
        out[o++] = c;
      } else if (c === V) o = unicodeEscape(0x0b, out, o);
      else return -1; // COPY TO writes no other escape
    } else if (b === QUOTE) {
      out[o++] = BACKSLASH;
      out[o++] = QUOTE;
    } else if (b < 0x20) o = unicodeEscape(b, out, o);
    else out[o++] = b;
  }
  out[o++] = QUOTE;
  return o;
}

function unicodeEscape(b: number, out: Buffer, o: number): number {
  out[o++] = BACKSLASH;
  out[o++] = 0x75; // u
  out[o++] = ZERO;
  out[o++] = ZERO;
  out[o++] = HEX[b >> 4];
  out[o++] = HEX[b & 15];
  return o;
}

/** A `to_json` value: COPY doubled its backslashes; a JSON text holds no raw control byte. */
function rawJson(row: Buffer, p: number, end: number, out: Buffer, o: number): number {
  for (; p < end; p++) {
    const b = row[p];
    if (b === BACKSLASH) {
      if (row[++p] !== BACKSLASH || p >= end) return -1;
      out[o++] = BACKSLASH;
    } else if (b < 0x20) return -1;
    else out[o++] = b;
  }
  return o;
}

/** `"YYYY-MM-DDTHH:MM:SS.ffffffZ"` from COPY's `YYYY-MM-DD HH:MM:SS[.f{1,6}]`; -1 in any other form. */
function timestamp(row: Buffer, p: number, end: number, out: Buffer, o: number): number {
  const len = end - p;
  if (len !== 19 && (len < 21 || len > 26)) return -1;
  for (let k = 0; k < 19; k++) {
    const b = row[p + k];
    if (TS_SHAPE[k] === 0 ? !isDigit(b) : b !== TS_SHAPE[k]) return -1;
  }
  if (len > 19) {
    if (row[p + 19] !== 0x2e) return -1;
    for (let k = 20; k < len; k++) if (!isDigit(row[p + k])) return -1;
  }
  out[o++] = QUOTE;
  for (let k = 0; k < 10; k++) out[o++] = row[p + k];
  out[o++] = 0x54; // T
  for (let k = 11; k < 19; k++) out[o++] = row[p + k];
  out[o++] = 0x2e;
  for (let k = 20; k < 26; k++) out[o++] = k < len ? row[p + k] : ZERO;
  out[o++] = 0x5a; // Z
  out[o++] = QUOTE;
  return o;
}
