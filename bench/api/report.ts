import type { Measurement } from './load';
import type { ContenderName, ScenarioName } from './options';

/** What `bench/results/latest.json` holds for one contender in one scenario. */
export interface ContenderResult {
  /** Median of the rounds. */
  rps: number;
  p50: number;
  p99: number;
  /** Summed over the rounds. */
  errors: number;
  /** Median of the rounds: the contender's own CPU time per request under load (ms). */
  cpuMsPerRequest: number;
  requests: number;
  rounds: Measurement[];
  sqlPerRequest: number | null;
  statements?: { text: string; perRequest: number }[];
}

export interface ScenarioResult {
  contenders: Partial<Record<ContenderName, ContenderResult>>;
  ratios: { hubOverPostgraphile: number | null; hubOverRaw: number | null; auditOnOverOff: number | null };
  /** Only list50: the same-rows check and statements per request at other page sizes. */
  sameRows?: Partial<Record<ContenderName, boolean>>;
  sqlByPageSize?: Partial<Record<ContenderName, Record<string, number>>>;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export function summarise(
  rounds: Measurement[],
  sqlPerRequest: number | null,
  statements?: ContenderResult['statements'],
): ContenderResult {
  return {
    rps: Math.round(median(rounds.map((r) => r.rps))),
    p50: round(median(rounds.map((r) => r.p50))),
    p99: round(median(rounds.map((r) => r.p99))),
    errors: rounds.reduce((n, r) => n + r.errors, 0),
    cpuMsPerRequest: round(median(rounds.map((r) => r.cpuMsPerRequest))),
    requests: rounds.reduce((n, r) => n + r.requests, 0),
    rounds: rounds.map((r) => ({ ...r, rps: Math.round(r.rps) })),
    sqlPerRequest,
    statements,
  };
}

/**
 * Ratios of medians, and also the median of the per-round ratios (each round runs the
 * contenders back to back, so a round's ratio cancels most of what the shared machine does
 * to both); the reported ratio is the per-round one when there are rounds for both.
 */
export function ratio(a: ContenderResult | undefined, b: ContenderResult | undefined): number | null {
  if (!a || !b || b.rps === 0) return null;
  const n = Math.min(a.rounds.length, b.rounds.length);
  if (n === 0) return round(a.rps / b.rps);
  return round(median(Array.from({ length: n }, (_, i) => a.rounds[i].rps / Math.max(b.rounds[i].rps, 1e-9))));
}

function fmt(n: number | null | undefined, digits = 2): string {
  if (n === null || n === undefined) return 'n/a';
  return Number.isInteger(n) ? String(n) : n.toFixed(digits);
}

/** `list50: hub 1234 req/s, raw 2345 req/s, postgraphile 1500 req/s, hub/postgraphile 0.82, hub/raw 0.53, audit-on/off 0.91, sql/request 3` */
export function summaryLine(name: ScenarioName, s: ScenarioResult): string {
  const c = s.contenders;
  const rps = (n: ContenderName) => (c[n] ? `${c[n]!.rps} req/s` : 'n/a');
  const sql = c.hub?.sqlPerRequest;
  return (
    `${name}: hub ${rps('hub')}, raw ${rps('raw')}, postgraphile ${rps('postgraphile')}, ` +
    `hub/postgraphile ${fmt(s.ratios.hubOverPostgraphile)}, hub/raw ${fmt(s.ratios.hubOverRaw)}, ` +
    `audit-on/off ${fmt(s.ratios.auditOnOverOff)}, sql/request ${fmt(sql ?? null, 1)}`
  );
}

export function table(scenarios: Partial<Record<ScenarioName, ScenarioResult>>): string {
  const rows = [
    '| scenario | contender | req/s | p50 ms | p99 ms | p99/p50 | errors | sql/request | CPU ms/request |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const [name, s] of Object.entries(scenarios) as [ScenarioName, ScenarioResult][]) {
    for (const [contender, r] of Object.entries(s.contenders) as [ContenderName, ContenderResult][]) {
      rows.push(
        `| ${name} | ${contender} | ${r.rps} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.p50 > 0 ? round(r.p99 / r.p50, 1) : null, 1)} | ${r.errors} | ${fmt(r.sqlPerRequest, 1)} | ${fmt(r.cpuMsPerRequest)} |`,
      );
    }
  }
  return rows.join('\n');
}
