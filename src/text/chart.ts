// Terminal charts drawn with block characters: a few lines of code, no dependency, no colour needed
// (a terminal without colour, a pager, a copy-paste keep them), and any width from 80 columns up.

const BLOCKS = ' ▁▂▃▄▅▆▇█';

/** One cell per value, its height a share of `max`: `▁▂▄█`. */
export function sparkline(values: readonly number[], max: number): string {
  return values.map((v) => (max <= 0 || v <= 0 ? BLOCKS[0] : BLOCKS[Math.max(1, Math.round((v / max) * (BLOCKS.length - 1)))])).join('');
}

export interface Series {
  label: string;
  /** Time (ms since the epoch) and amount of each event. */
  points: readonly { t: number; value: number }[];
}

/**
 * Each series' running total over one time axis, one row per series: its label, the sparkline of
 * its total at the end of each of `cols` equal spans (every row on the same scale), the total.
 * Then the axis: the first and the last day.
 */
export function runningTotals(series: readonly Series[], width: number, format: (v: number) => string): string[] {
  const all = series.flatMap((s) => s.points.map((p) => p.t));
  if (all.length === 0) return [];
  const [from, to] = [Math.min(...all), Math.max(...all)];
  const totals = series.map((s) => s.points.reduce((n, p) => n + p.value, 0));
  const labelWidth = Math.min(32, Math.max(...series.map((s) => s.label.length)));
  const valueWidth = Math.max(...totals.map((t) => format(t).length));
  const cols = Math.max(8, width - labelWidth - valueWidth - 2);
  const span = Math.max(1, to - from) / cols;
  const rows = series.map((s) => {
    const ends = Array.from({ length: cols }, (_, i) =>
      s.points.filter((p) => p.t <= from + (i + 1) * span || i === cols - 1).reduce((n, p) => n + p.value, 0),
    );
    return ends;
  });
  const max = Math.max(...totals);
  const day = (t: number) => new Date(t).toISOString().slice(0, 10);
  const axis = `${' '.repeat(labelWidth + 1)}${day(from)}${day(to).padStart(Math.max(0, cols - 10))}`;
  return [
    ...series.map(
      (s, i) => `${s.label.slice(0, labelWidth).padEnd(labelWidth)} ${sparkline(rows[i] ?? [], max)} ${format(totals[i] ?? 0).padStart(valueWidth)}`,
    ),
    axis,
  ];
}

export interface Point {
  x: number;
  y: number;
  /** One character drawn at the point: a letter the legend explains. */
  mark: string;
}

/**
 * Points on a `width` x `height` grid of characters, y up, with the axes' ends labelled; a cell
 * two points fall on shows `+`.
 */
export function scatter(points: readonly Point[], width: number, height: number, labels: { x: (v: number) => string; y: (v: number) => string }): string[] {
  if (points.length === 0) return [];
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  // Both axes from 0 (or below): a spend and a score read against nothing else.
  const [x0, x1, y0, y1] = [Math.min(0, ...xs), Math.max(...xs), Math.min(0, ...ys), Math.max(...ys)];
  const yLabel = Math.max(labels.y(y0).length, labels.y(y1).length);
  const cols = Math.max(10, width - yLabel - 2);
  const rows = Math.max(3, height - 2);
  const grid = Array.from({ length: rows }, () => Array.from({ length: cols }, () => ' '));
  for (const p of points) {
    const c = Math.round(((p.x - x0) / Math.max(1e-9, x1 - x0)) * (cols - 1));
    const r = rows - 1 - Math.round(((p.y - y0) / Math.max(1e-9, y1 - y0)) * (rows - 1));
    const row = grid[r];
    if (row) row[c] = row[c] === ' ' ? p.mark : '+';
  }
  const left = (i: number) => (i === 0 ? labels.y(y1) : i === rows - 1 ? labels.y(y0) : '').padStart(yLabel);
  return [
    ...grid.map((row, i) => `${left(i)} |${row.join('')}`),
    `${' '.repeat(yLabel)} +${'-'.repeat(cols)}`,
    `${' '.repeat(yLabel + 2)}${labels.x(x0)}${labels.x(x1).padStart(Math.max(0, cols - labels.x(x0).length))}`,
  ];
}
