import { formatUsd } from '../run/spend.js';
import { runningTotals, scatter, type Point } from '../text/chart.js';
import type { ResultRow } from './result-row.js';

/** Each method's known API spend as it accrued (a run counts when its agent stopped), one row per method. */
export function spendOverTime(rows: readonly ResultRow[], width: number): string[] {
  const byMethod = new Map<string, { t: number; value: number }[]>();
  for (const r of rows) {
    if (r.spend?.usd === null || r.spend?.usd === undefined || r.endedAt === null) continue;
    byMethod.set(r.method, [...(byMethod.get(r.method) ?? []), { t: r.endedAt, value: r.spend.usd }]);
  }
  const lines = runningTotals(
    [...byMethod].map(([label, points]) => ({ label, points })),
    width,
    formatUsd,
  );
  return lines.length ? ['API spend over time, per method (running total, one scale for all)', ...lines] : ['no run with a known API cost yet'];
}

/** Each method as a point: its mean API spend per run against its mean score, lettered, with the legend. */
export function scoreAgainstSpend(rows: readonly ResultRow[], width: number, height: number): string[] {
  const methods = new Map<string, { spend: number[]; score: number[] }>();
  for (const r of rows) {
    if (r.spend === null) continue;
    const m = methods.get(r.method) ?? { spend: [], score: [] };
    if (r.spend.usd !== null) m.spend.push(r.spend.usd);
    if (r.score !== null) m.score.push(r.score);
    methods.set(r.method, m);
  }
  const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const known = [...methods].filter(([, m]) => m.spend.length > 0 && m.score.length > 0);
  if (known.length === 0) return ['no method has both a known API cost and a score yet'];
  const marks = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const points: Point[] = known.map(([, m], i) => ({ x: mean(m.spend), y: mean(m.score), mark: marks[i % marks.length] ?? '?' }));
  const legend = known.map(
    ([method, m], i) => `${marks[i % marks.length] ?? '?'} ${method}: ${formatUsd(mean(m.spend))} per run, mean score ${mean(m.score).toFixed(1)}`,
  );
  const plot = scatter(points, width, Math.max(5, height - legend.length - 1), { x: formatUsd, y: (v) => v.toFixed(1) });
  return ['mean score (x100) against mean API spend per run, per method', ...plot, ...legend];
}
