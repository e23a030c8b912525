import { createHash } from 'node:crypto';

/**
 * Names for statements sent as prepared statements. PostgreSQL keeps a named statement's parse
 * and, after five runs, usually a generic plan on each connection, so a by-id read or a section
 * write is planned once per connection instead of on every request (planning cost 2-5 times the
 * execution: docs/bench.md). The name is a hash of the text, which holds no values (all are
 * parameters), so one shape of statement has one name.
 *
 * A connection keeps every statement prepared on it for its life (about 0.5 MB of backend
 * memory each for byId and byIdFull, measured in pg_backend_memory_contexts), and the shapes are
 * chosen by callers (a selection set, the fields a write sends), so the names are capped per
 * process: the first MAX_NAMES shapes are prepared, any later one is sent unnamed (planned each
 * time, as before). A caller sending ever new selections can then cost the hub planning time,
 * and the database at most MAX_NAMES × 0.5 MB per pooled connection (20), never more.
 */
export const MAX_NAMES = 64;
const names = new Set<string>();
let naming = true;

/** HUB_PREPARED_STATEMENTS (config.ts): off, every statement goes unnamed. */
export function nameStatements(on: boolean): void {
  naming = on;
}

/**
 * `fixed`: a text the hub writes itself, one of a handful whatever callers send (the audit
 * INSERT): named outside the cap, so callers filling it with shapes of their own cannot push it
 * back to being planned on every request.
 */
export function statementName(prefix: string, text: string, fixed = false): string | undefined {
  if (!naming) return undefined;
  const name = `${prefix}_${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
  if (fixed || names.has(name)) return name;
  if (names.size >= MAX_NAMES) return undefined;
  names.add(name);
  return name;
}

/** How many names this process has handed out (tests, metrics). */
export function statementNamesInUse(): number {
  return names.size;
}
