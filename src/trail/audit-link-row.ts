import { CANONICAL_VERSION } from './audit-canonical';
import { copyField } from './copy-out';

/**
 * A chain link with its event as one row of COPY's text format (`LINK_COLUMNS`), and the
 * canonical event rebuilt from it with string work: the reference form of the streamed walk
 * (audit-link-bytes.ts builds the same bytes without strings, and falls back to this for any
 * row it does not take) and the form the archive writes (audit-archive.ts).
 *
 * The values the database renders as text are the ones `canonicalEvent` reads; the text arrays
 * come as `to_json`, which is what `JSON.stringify` makes of them.
 */
export const LINK_COLUMNS = `c.position, encode(c.hash, 'hex'), e.id, e.occurred_at at time zone 'UTC', e.request_id, e.staff_id, e.agency_id,
  e.action, e.entity_type, e.entity_id, e.returnee_id, to_json(e.fields), to_json(e.denied_fields), e.purpose, e.operation,
  e.outcome, e.reason, e.correlation_id, e.basis, to_json(e.basis_keys), c.event_id`;

/** Field indexes in a COPY row: 0 position, 1 hash, then the 18 canonical columns (2..19), then the link's event id. */
export const ID = 2;
export const CANON_END = 19;
export const LINK_EVENT = 20;
/** The 15th canonical column (reason); 17..19 are dropped while trailing nulls. */
export const V1_LAST = 16;

/** How each field is rendered: 0 JSON string, 1 quoted as it is (digits, uuids), 2 raw JSON (to_json), 3 the timestamp. */
export const KIND: readonly number[] = [0, 0, 1, 3, 1, 1, 1, 0, 0, 0, 1, 2, 2, 0, 0, 0, 0, 0, 0, 2];

const TIMESTAMP = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,6})?$/;

/** `to_char(… at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')` from the timestamp's ISO text, or null when not in that form. */
function isoMicros(text: string): string | null {
  if (!TIMESTAMP.test(text)) return null;
  const frac = text.length > 19 ? text.slice(20).padEnd(6, '0') : '000000';
  return `${text.slice(0, 10)}T${text.slice(11, 19)}.${frac}Z`;
}

/** The canonical event (canonicalEvent) from a COPY row's fields, or null when a value cannot be rendered here. */
export function canonicalFromCopy(f: (string | null)[]): string | null {
  let last = V1_LAST;
  for (let i = CANON_END; i > V1_LAST; i--) {
    if (f[i] !== null) {
      last = i;
      break;
    }
  }
  let out = `["${CANONICAL_VERSION}"`;
  for (let i = ID; i <= last; i++) {
    const v = f[i];
    if (v === null) out += ',null';
    else {
      const kind = KIND[i];
      if (kind === 1) out += `,"${v}"`;
      else if (kind === 2) out += `,${v}`;
      else if (kind === 0) out += `,${JSON.stringify(v)}`;
      else {
        const iso = isoMicros(v);
        if (iso === null) return null;
        out += `,"${iso}"`;
      }
    }
  }
  return `${out}]`;
}

/** A COPY row of LINK_COLUMNS split into its fields. */
export const copyFields = (chunk: Buffer): (string | null)[] =>
  chunk
    .toString('utf8', 0, chunk.length - 1)
    .split('\t')
    .map(copyField);

/** The position as the link hash commits to it: 8 bytes, big-endian. */
export function positionBytes(buf: Buffer, n: number): Buffer {
  buf.writeUInt32BE(Math.floor(n / 0x1_0000_0000), 0);
  buf.writeUInt32BE(n >>> 0, 4);
  return buf;
}
