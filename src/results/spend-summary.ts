import { formatUsd } from '../run/spend.js';
import type { LeaderboardCell } from './leaderboard.js';
import type { ResultRow } from './result-row.js';

/**
 * One method's API spend, for the results table: the total of the runs whose cost is known, and how
 * many are unknown and why (an unknown cost is never counted as 0). Null for a baseline.
 */
export function spendLine(runs: readonly ResultRow[]): string | null {
  const agentRuns = runs.filter((r) => r.spend !== null);
  if (agentRuns.length === 0) return null;
  const known = agentRuns.filter((r) => r.spend?.usd !== null && r.spend?.usd !== undefined);
  const unknown = agentRuns.filter((r) => !known.includes(r));
  const total = known.reduce((sum, r) => sum + (r.spend?.usd ?? 0), 0);
  const why = unknown[0]?.spend?.how;
  if (known.length === 0) return `API spend unknown for ${agentRuns.length} run(s): ${why ?? ''}`;
  return `API spend ${formatUsd(total)} over ${known.length} run(s)${unknown.length ? `; ${unknown.length} unknown (${why ?? ''})` : ''}`;
}

/** The results table's API column for one model row: its runs' known costs summed, `?` marking unknown ones. */
export function modelSpendCell(cells: readonly LeaderboardCell[], model: string): string {
  const runs = cells.filter((c) => c.model === model && c.run && c.run.spend !== null).map((c) => c.run?.spend);
  if (runs.length === 0) return '-';
  const known = runs.filter((s) => s?.usd !== null && s?.usd !== undefined);
  if (known.length === 0) return 'unknown';
  return `${formatUsd(known.reduce((n, s) => n + (s?.usd ?? 0), 0))}${known.length < runs.length ? '+?' : ''}`;
}
