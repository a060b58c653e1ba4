/** A table column before layout: what it shows and how it behaves when space is short. */
export interface ColumnSpec<K extends string = string> {
  key: K;
  title: string;
  /** Narrowest useful width. */
  min: number;
  /** Width beyond which extra space is wasted on it. */
  max: number;
  /** Lower numbers survive longer on a narrow terminal. */
  priority: number;
}

export interface Column<K extends string = string> {
  key: K;
  title: string;
  width: number;
}

/** One space between columns. */
export const GAP = 1;

/**
 * Fits columns into `width`: drops the least important ones until the rest fit at their
 * minimum, then hands out the remaining space in order up to each column's maximum.
 * Pure, so that 80x24 and 250x70 layouts are unit-tested.
 */
export function fitColumns<K extends string>(specs: readonly ColumnSpec<K>[], width: number): Column<K>[] {
  let kept = [...specs];
  const needed = (cols: readonly ColumnSpec<K>[]) => cols.reduce((sum, c) => sum + c.min, 0) + GAP * Math.max(0, cols.length - 1);
  while (kept.length > 1 && needed(kept) > width) {
    const worst = kept.reduce((a, b) => (b.priority > a.priority ? b : a));
    kept = kept.filter((c) => c !== worst);
  }
  const widths = kept.map((c) => c.min);
  let spare = width - needed(kept);
  for (let i = 0; i < kept.length && spare > 0; i++) {
    const spec = kept[i];
    if (!spec) continue;
    const grow = Math.min(spare, spec.max - spec.min);
    widths[i] = (widths[i] ?? 0) + grow;
    spare -= grow;
  }
  return kept.map((c, i) => ({ key: c.key, title: c.title, width: Math.max(1, Math.min(widths[i] ?? c.min, width)) }));
}

/** Cuts or pads `text` to exactly `width` cells, marking a cut with an ellipsis. */
export function fit(text: string, width: number): string {
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, ' ');
  if (clean.length <= width) return clean.padEnd(width);
  if (width <= 1) return clean.slice(0, width);
  return clean.slice(0, width - 1) + '…';
}

/** Word-wraps `text` into lines of at most `width` cells; a word longer than a line is cut. */
export function wrapLines(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.replace(/[\u0000-\u001f\u007f]/g, ' ').split(' ')) {
    for (let rest = word; ;) {
      const joined = line === '' ? rest : `${line} ${rest}`;
      if (joined.length <= width) {
        line = joined;
        break;
      }
      if (line !== '') {
        lines.push(line);
        line = '';
        continue;
      }
      lines.push(rest.slice(0, width));
      rest = rest.slice(width);
      if (rest === '') break;
    }
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}

/** The first `height` lines, the last replaced by `… N more line(s)` and `where` (where to see them) when some do not fit. */
export function clipLines(lines: readonly string[], height: number, where = ''): string[] {
  if (lines.length <= height) return [...lines];
  const kept = lines.slice(0, Math.max(0, height - 1));
  return [...kept, `… ${lines.length - kept.length} more line(s)${where}`];
}
