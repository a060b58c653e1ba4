import type { Redactor } from './redact.js';

/** Longest line kept for display: a megabyte of JSON on one line must not stall the layout. */
export const MAX_LINE = 2000;

/**
 * Starts a line whose beginning was not read (a tail from the middle of a huge line): such a
 * line is shown by its end, where a log's news is, not by the middle of the file it starts in.
 */
export const CUT_MARK = '…';

/**
 * Text that starts in the middle of a line, without its first word: that word may be the end of
 * a key whose start was not read, which no redaction could recognise. NULs count as spaces.
 */
export const withoutFirstWord = (text: string): string => text.replace(/^[^\s\0]+/, '');

// CSI (colours, cursor moves), OSC (titles, hyperlinks), and any other two-character escape.
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]/g;

/** What a terminal prints of raw text, line breaks aside: escape sequences and NULs (which terminals ignore) removed. */
export const withoutEscapes = (raw: string): string => raw.replace(ANSI, '').replace(/\0/g, '');

/**
 * A log line as the screen can show it: escape sequences and NULs removed, a carriage-return
 * progress bar reduced to its last state, tabs expanded, other control characters (binary junk)
 * made visible as `?`, and cut to `max` characters (by its end for a line marked CUT_MARK).
 */
export function sanitizeLine(raw: string, max = MAX_LINE): string {
  let line = withoutEscapes(raw);
  const cr = line.lastIndexOf('\r', line.length - 2);
  if (cr >= 0) line = line.slice(cr + 1);
  return cutLine(visibleCharacters(line.replace(/\r$/, '')), max, raw.startsWith(CUT_MARK));
}

const visibleCharacters = (line: string): string => line.replace(/\t/g, '    ').replace(/[\x00-\x08\x0b-\x1f\x7f\ufffd]/g, '?');

function cutLine(line: string, max: number, byItsEnd: boolean): string {
  if (line.length <= max) return line;
  return byItsEnd ? `${CUT_MARK}${line.slice(line.length - max)}` : `${line.slice(0, max)}${CUT_MARK}`;
}

/**
 * A raw log line as ptb shows it, redacted as the terminal would print it: a key split by an
 * escape sequence (`sk-ant-ABCD\x1b[0mEFGH`), a carriage return or another control character
 * is whole on the screen, so it is matched with those removed. A line where something was redacted is shown flat (its carriage
 * returns dropped) rather than as its last progress state, which could not be redacted alone.
 */
export function displayLine(raw: string, redact: Redactor, options: { unterminated?: boolean; max?: number } = {}): string {
  const max = options.max ?? MAX_LINE;
  const flat = withoutEscapes(raw);
  // Control characters print nothing (or move the cursor back over the same line): a key they split shows whole.
  const joined = flat.replace(/[\r\x00-\x08\x0b-\x1f\x7f]/g, '');
  const hidden = redact(joined, { unterminated: options.unterminated });
  if (hidden === joined) return sanitizeLine(raw, max);
  return cutLine(visibleCharacters(hidden), max, raw.startsWith(CUT_MARK));
}
