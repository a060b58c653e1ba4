import { describe, expect, it } from 'vitest';
import { scoreAgainstSpend, spendOverTime } from '../../src/results/charts.js';
import type { ResultRow } from '../../src/results/result-row.js';
import { runningTotals, scatter, sparkline } from '../../src/text/chart.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 20);

const row = (method: string, usd: number | null, score: number | null, day: number): ResultRow =>
  ({
    method,
    score,
    endedAt: T0 + day * DAY,
    spend: { usd, how: usd === null ? 'no cost or token counts in solve_out.txt' : 'reported by the agent', inputTokens: null, outputTokens: null },
  }) as ResultRow;

describe('block charts', () => {
  it('draws a sparkline on one scale, nothing as a blank', () => {
    expect(sparkline([0, 1, 2, 4, 8], 8)).toBe(' ▁▂▄█');
  });

  it("draws each series' running total over one time axis, with its total and the first and last day", () => {
    const lines = runningTotals(
      [
        {
          label: 'a',
          points: [
            { t: T0, value: 1 },
            { t: T0 + 9 * DAY, value: 3 },
          ],
        },
        { label: 'bb', points: [{ t: T0 + 5 * DAY, value: 2 }] },
      ],
      30,
      (v) => `$${v}`,
    );
    expect(lines).toEqual(['a  ▂▂▂▂▂▂▂▂▂▂▂▂▂▂▂▂▂▂▂▂▂▂▂█ $4', 'bb              ▄▄▄▄▄▄▄▄▄▄▄ $2', '   2026-11-20    2026-11-29']);
  });

  it('puts points on a grid, y up, two in one cell as +', () => {
    const lines = scatter(
      [
        { x: 0, y: 0, mark: 'A' },
        { x: 10, y: 10, mark: 'B' },
        { x: 10, y: 10, mark: 'C' },
      ],
      16,
      5,
      { x: String, y: String },
    );
    expect(lines).toEqual(['10 |           +', '   |            ', ' 0 |A           ', '   +------------', '    0         10']);
  });
});

describe('the results charts', () => {
  const rows = [
    row('claude_x_10h_run1', 2, 40, 0),
    row('claude_x_10h_run1', 4, 60, 3),
    row('codex_y_10h_run1', null, 30, 1),
    row('gemini_z_10h_run1', 1, 20, 2),
  ];

  it('show API spend over time per method, leaving out runs whose cost is unknown', () => {
    const lines = spendOverTime(rows, 60);
    expect(lines[0]).toBe('API spend over time, per method (running total, one scale for all)');
    expect(lines.slice(1, -1).map((l) => l.split(' ')[0])).toEqual(['claude_x_10h_run1', 'gemini_z_10h_run1']);
    expect(lines[1]).toMatch(/\$6\.00$/);
  });

  it('show each method as a lettered point: mean spend per run against mean score, with the legend', () => {
    const lines = scoreAgainstSpend(rows, 40, 10);
    expect(lines.slice(-2)).toEqual(['A claude_x_10h_run1: $3.00 per run, mean score 50.0', 'B gemini_z_10h_run1: $1.00 per run, mean score 20.0']);
    expect(lines.join('\n')).toMatch(/A/);
    expect(scoreAgainstSpend([row('codex_y_10h_run1', null, 30, 1)], 40, 10)).toEqual(['no method has both a known API cost and a score yet']);
  });
});
