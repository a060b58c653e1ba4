import { wrapLines } from '../text/columns.js';

/**
 * The scroll that brings the next line containing `query` (case-insensitive) into view, searching
 * upwards from the current window's last line (`direction` 1), or downwards (-1). Null: no match.
 */
export function scrollToMatch(lines: readonly string[], scroll: number, query: string, direction: 1 | -1): number | null {
  const q = query.toLowerCase();
  if (q === '') return null;
  const current = lines.length - 1 - scroll;
  for (let i = current - direction; i >= 0 && i < lines.length; i -= direction) if (lines[i]?.toLowerCase().includes(q)) return lines.length - 1 - i;
  return null;
}

/** The window of lines shown: the end while following, else `scroll` lines up from it. */
export function logWindow(logs: { lines: readonly string[]; scroll: number; wrap: boolean }, width: number, height: number): string[] {
  const all = logs.wrap ? logs.lines.flatMap((l) => wrapLines(l, width)) : logs.lines;
  const end = Math.max(0, all.length - logs.scroll);
  return all.slice(Math.max(0, end - height), end);
}
