import path from 'node:path';

export const CONTENDERS = ['hub', 'hubAuditOff', 'raw', 'postgraphile'] as const;
export type ContenderName = (typeof CONTENDERS)[number];
export const SCENARIOS = ['list50', 'byId', 'write'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/** `npm run bench -- [flags]`; every flag has a default, so the bare command is the full run. */
export interface BenchOptions {
  returnees: number;
  /** Measured seconds per contender per round. */
  duration: number;
  /** Seconds of unmeasured load per contender before a scenario's first round. */
  warmup: number;
  /** Rounds per scenario; each round runs every contender once, the order rotating. */
  rounds: number;
  connections: number;
  contenders: ContenderName[];
  scenarios: ScenarioName[];
  /** Sequential requests per contender and scenario in the statement-counting pass. */
  countRequests: number;
  out: string;
  seed: number;
}

export const USAGE = `npm run bench -- [--returnees N] [--duration S] [--warmup S] [--rounds N] [--connections N]
  [--contenders hub,hubAuditOff,raw,postgraphile] [--scenarios list50,byId,write] [--out FILE] [--seed N]
Defaults: 10000 returnees, 5 s per contender per round, 2 s warm-up, 3 rounds, 32 connections,
every contender and scenario, bench/results/latest.json. PostgreSQL: BENCH_DATABASE_URL or
DATABASE_URL (a scratch database is created on that server and dropped), else an embedded one.`;

function value(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const v = argv[i + 1];
  if (v === undefined || v.startsWith('--')) throw new Error(`--${name} needs a value\n${USAGE}`);
  return v;
}

function num(argv: string[], name: string, fallback: number, min: number, max: number): number {
  const raw = value(argv, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) throw new Error(`--${name} must be a number between ${min} and ${max}, got "${raw}"\n${USAGE}`);
  return n;
}

function list<T extends string>(argv: string[], name: string, all: readonly T[]): T[] {
  const raw = value(argv, name);
  if (raw === undefined) return [...all];
  const picked = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = picked.filter((p) => !all.includes(p as T));
  if (unknown.length > 0 || picked.length === 0) throw new Error(`--${name} takes some of ${all.join(', ')}; got "${raw}"\n${USAGE}`);
  return all.filter((a) => picked.includes(a));
}

export function parseOptions(argv: string[], root: string): BenchOptions {
  const known = new Set(['returnees', 'duration', 'warmup', 'rounds', 'connections', 'contenders', 'scenarios', 'out', 'seed', 'count-requests']);
  for (const a of argv) {
    if (a === '--help' || a === '-h') throw new Error(USAGE);
    if (a.startsWith('--') && !known.has(a.slice(2))) throw new Error(`unknown flag ${a}\n${USAGE}`);
  }
  return {
    returnees: Math.round(num(argv, 'returnees', 10_000, 1, 1_000_000)),
    duration: num(argv, 'duration', 5, 0.5, 600),
    warmup: num(argv, 'warmup', 2, 0, 600),
    rounds: Math.round(num(argv, 'rounds', 3, 1, 50)),
    connections: Math.round(num(argv, 'connections', 32, 1, 1000)),
    contenders: list(argv, 'contenders', CONTENDERS),
    scenarios: list(argv, 'scenarios', SCENARIOS),
    countRequests: Math.round(num(argv, 'count-requests', 20, 1, 1000)),
    out: path.resolve(root, value(argv, 'out') ?? 'bench/results/latest.json'),
    seed: Math.round(num(argv, 'seed', 1, 0, 2 ** 31)),
  };
}
