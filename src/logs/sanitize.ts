/** Longest line kept for display: a megabyte of JSON on one line must not stall the layout. */
export const MAX_LINE = 2000;

// CSI (colours, cursor moves), OSC (titles, hyperlinks), and any other two-character escape.
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]/g;

/**
 * A log line as the screen can show it: escape sequences removed, a carriage-return progress bar
 * reduced to its last state, tabs expanded, other control characters (binary junk) made visible
 * as `?`, and cut to MAX_LINE characters.
 */
export function sanitizeLine(raw: string): string {
  let line = raw.replace(ANSI, '');
  const cr = line.lastIndexOf('\r', line.length - 2);
  if (cr >= 0) line = line.slice(cr + 1);
  line = line.replace(/\r$/, '').replace(/\t/g, '    ').replace(/[\x00-\x08\x0b-\x1f\x7f\ufffd]/g, '?');
  return line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}…` : line;
}
