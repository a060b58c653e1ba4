import { formatUsd } from '../run/spend.js';
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
