/**
 * Text on its way into an audit row. Audit rows name what a client asked for — ids it made up
 * among them — and many requests' rows travel to PostgreSQL in one JSON batch, so a value the
 * database cannot take would fail everyone's events, not just the sender's (the outside
 * review's defect 1: an id of 63 ASCII characters and an emoji, cut after 64 UTF-16 units,
 * left half a surrogate pair that jsonb refuses).
 */

/** NUL (PostgreSQL text cannot hold it), the other C0 controls and DEL (log and CSV injection), lone surrogates (not Unicode). */
const UNSTORABLE = /[\u0000-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => UUID.test(value);

/**
 * `value` without what PostgreSQL or a reader of the trail cannot take, at most `max`
 * characters counted as PostgreSQL counts them (code points), so a cut never falls inside a
 * surrogate pair.
 */
export function auditText(value: string, max: number): string {
  const clean = value.replace(UNSTORABLE, '');
  if (clean.length <= max) return clean; // UTF-16 units >= code points: it fits
  let out = '';
  let n = 0;
  for (const ch of clean) {
    if (n++ === max) break;
    out += ch;
  }
  return out;
}
