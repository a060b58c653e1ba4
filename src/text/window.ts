/**
 * The rows a table of `height` lines shows out of `total`: the window follows the selection (it
 * stays in view at the bottom edge), and `more` says how many are not shown. Only these rows are
 * built: a grid of 5,000 jobs lays out what fits, not 5,000 rows.
 */
export function tableWindow(total: number, selected: number | undefined, height: number): { start: number; end: number; more: number } {
  const visible = Math.max(1, height);
  const start = selected === undefined ? 0 : Math.max(0, Math.min(selected - visible + 1, total - visible));
  const end = Math.min(total, start + visible);
  return { start, end, more: total > visible ? total - visible : 0 };
}
