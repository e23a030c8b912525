/**
 * Limits on what one request may ask of the hub, read with the rest of the configuration
 * (src/config.ts) and documented in docs/limits.md. Every refusal is BAD_USER_INPUT (or
 * UNAUTHENTICATED for introspection) with `extensions.reason` naming the limit; the rules
 * themselves live in query-limits.ts, request-guards.ts and operation-guards.ts.
 */
interface ConfigReaders {
  intFrom: (env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number) => number;
  /** Makes the error that refuses to start (config.ts's ConfigError). */
  invalid: (message: string) => Error;
  nodeEnv: string;
}

export interface QueryLimits {
  /** Nesting of fields in one operation (fragments do not add a level). */
  maxDepth: number;
  /** Aliased fields in one operation. */
  maxAliases: number;
  /** Directives in one operation. */
  maxDirectives: number;
  /** Lexical tokens in one document. */
  maxTokens: number;
  /** Worst-case number of field values one operation can return (see operation-guards.ts). */
  maxCost: number;
  /** Largest JSON body accepted on POST /graphql, in bytes. */
  maxBodyBytes: number;
  /** Longest a single database statement of a request may run before it is cancelled (ms). */
  statementTimeoutMs: number;
  /** "Did you mean …?" hints in validation errors: they spell out the schema to a guesser. */
  fieldSuggestions: boolean;
  /** Who may introspect the schema: signed-in callers only, or nobody. */
  introspection: 'authenticated' | 'off';
}

export function loadQueryLimits(env: NodeJS.ProcessEnv, { intFrom, invalid, nodeEnv }: ConfigReaders): QueryLimits {
  const choice = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!(allowed as readonly string[]).includes(raw)) throw invalid(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
    return raw as T;
  };
  return {
    maxDepth: intFrom(env, 'HUB_MAX_DEPTH', 8, 2, 50),
    maxAliases: intFrom(env, 'HUB_MAX_ALIASES', 15, 0, 1000),
    maxDirectives: intFrom(env, 'HUB_MAX_DIRECTIVES', 10, 0, 1000),
    maxTokens: intFrom(env, 'HUB_MAX_TOKENS', 2000, 50, 100_000),
    maxCost: intFrom(env, 'HUB_MAX_COST', 20_000, 10, 10_000_000),
    maxBodyBytes: intFrom(env, 'HUB_MAX_BODY_BYTES', 100 * 1024, 1024, 10 * 1024 * 1024),
    statementTimeoutMs: intFrom(env, 'HUB_STATEMENT_TIMEOUT_MS', 15_000, 100, 3_600_000),
    fieldSuggestions: choice('HUB_FIELD_SUGGESTIONS', ['on', 'off'], nodeEnv === 'production' ? 'off' : 'on') === 'on',
    introspection: choice('HUB_INTROSPECTION', ['authenticated', 'off'], 'authenticated'),
  };
}
