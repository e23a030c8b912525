import path from 'node:path';
import { parseFlags, UsageError } from '../../src/cli/flags';

export const CONTENDERS = ['hub', 'hubAuditOff', 'raw', 'postgraphile'] as const;
export type ContenderName = (typeof CONTENDERS)[number];
/**
 * `byIdFull`: one record with every section the caller reads and its household (a caseworker's screen).
 * `mixed`: 90 % reads (list50, byId and byIdFull in turn), 10 % writes, on the same connections (scenarios.ts).
 */
export const SCENARIOS = ['list50', 'byId', 'byIdFull', 'write', 'mixed'] as const;
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

export const USAGE = `usage: npm run bench -- [--returnees N] [--duration S] [--warmup S] [--rounds N] [--connections N]
  [--contenders hub,hubAuditOff,raw,postgraphile] [--scenarios list50,byId,byIdFull,write,mixed] [--out FILE] [--seed N] [--count-requests N]
Defaults: 10000 returnees, 5 s per contender per round, 2 s warm-up, 3 rounds, 32 connections,
every contender and scenario, bench/results/latest.json. PostgreSQL: BENCH_DATABASE_URL or
DATABASE_URL (a scratch database is created on that server and dropped), else an embedded one.`;

const FLAGS = {
  returnees: { type: 'string' },
  duration: { type: 'string' },
  warmup: { type: 'string' },
  rounds: { type: 'string' },
  connections: { type: 'string' },
  contenders: { type: 'string' },
  scenarios: { type: 'string' },
  out: { type: 'string' },
  seed: { type: 'string' },
  'count-requests': { type: 'string' },
} as const;

function num(raw: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < min || n > max)
    throw new UsageError(`--${name} must be a number between ${min} and ${max}, got "${raw}"`);
  return n;
}

function list<T extends string>(raw: string | undefined, name: string, all: readonly T[]): T[] {
  if (raw === undefined) return [...all];
  const picked = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = picked.filter((p) => !all.includes(p as T));
  if (unknown.length > 0 || picked.length === 0) throw new UsageError(`--${name} takes some of ${all.join(', ')}; got "${raw}"`);
  return all.filter((a) => picked.includes(a));
}

/** Throws UsageError (unknown flag, bad value) or HelpRequested (--help), both from src/cli/flags.ts. */
export function parseOptions(argv: string[], root: string): BenchOptions {
  const { values: v } = parseFlags(argv, FLAGS);
  return {
    returnees: Math.round(num(v.returnees, 'returnees', 10_000, 1, 1_000_000)),
    duration: num(v.duration, 'duration', 5, 0.5, 600),
    warmup: num(v.warmup, 'warmup', 2, 0, 600),
    rounds: Math.round(num(v.rounds, 'rounds', 3, 1, 50)),
    connections: Math.round(num(v.connections, 'connections', 32, 1, 1000)),
    contenders: list(v.contenders, 'contenders', CONTENDERS),
    scenarios: list(v.scenarios, 'scenarios', SCENARIOS),
    countRequests: Math.round(num(v['count-requests'], 'count-requests', 20, 1, 1000)),
    out: path.resolve(root, v.out ?? 'bench/results/latest.json'),
    seed: Math.round(num(v.seed, 'seed', 1, 0, 2 ** 31)),
  };
}
