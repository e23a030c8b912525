import { badInput } from '../errors';

/** Opaque keyset cursors: (sort value, id) of the last row seen, base64url JSON. */
export function encodeCursor(value: string, id: string): string {
  return Buffer.from(JSON.stringify([value, id])).toString('base64url');
}

/** What the sort value must look like, so a forged cursor cannot reach SQL as a bad date or an odd id. */
export type CursorValue = 'text' | 'date' | 'timestamp';

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

export function decodeCursor(cursor: string, kind: CursorValue = 'text'): { value: string; id: string } {
  try {
    if (cursor.length <= 1000) {
      const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'string' && typeof parsed[1] === 'string'
        && UUID.test(parsed[1]) && VALUE[kind](parsed[0])) {
        return { value: parsed[0], id: parsed[1] };
      }
    }
  } catch {
    // fall through to the error below
  }
  throw badInput('after is not a cursor this hub issued: pass the endCursor or an edge cursor of a previous page');
}
