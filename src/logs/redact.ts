/** Key prefixes of the providers PostTrainBench uses (upstream's extract_traces.py redacts the same). */
export const KEY_PREFIXES = ['sk-ant-', 'sk-proj-', 'sk-or-', 'sk-', 'AIzaSy'] as const;

const PREFIX_GROUP = `(${KEY_PREFIXES.map((p) => p.replace(/-/g, '\\-')).join('|')})`;
const PREFIXED = new RegExp(`${PREFIX_GROUP}[A-Za-z0-9_\\-]{8,}`, 'g');
/** A provider key still being written at the end of a line: its prefix, then at least one character. */
const UNFINISHED_PREFIXED = new RegExp(`(?<![A-Za-z0-9])${PREFIX_GROUP}[A-Za-z0-9_\\-]+$`);
/**
 * The start of one of the user's keys shorter than this may show at the end of a line still being
 * written: three characters give nothing away (`sk-` is public), and hiding every line that ends
 * in one or two letters of a key would hide ordinary text all the time.
 */
const MIN_HIDDEN_START = 4;

/** Shorter values are not redacted: they would hide ordinary words of a log (and are refused as keys at setup). */
export const MIN_REDACTED_LENGTH = 8;

export type Redactor = (text: string, options?: { unterminated?: boolean }) => string;

/**
 * A redactor for everything ptb shows from a log: the values of the user's own keys (whatever
 * they look like) and anything shaped like a provider key. The codex agent echoes its key into
 * solve_out.txt; the screen must never show it. A line still being written (`unterminated`) can
 * end in the first half of a key, which matches neither: its end is hidden when it starts a key.
 */
export function createRedactor(secretValues: readonly string[]): Redactor {
  // Longest first, so that a key containing another is replaced whole. Short values would redact noise.
  const values = [...new Set(secretValues.filter((v) => v.length >= MIN_REDACTED_LENGTH).flatMap(writtenForms))].sort((a, b) => b.length - a.length);
  return (text, options) => {
    let out = text;
    for (const v of values) if (out.includes(v)) out = out.split(v).join('<redacted>');
    out = out.replace(PREFIXED, (_, prefix: string) => `${prefix}<redacted>`);
    return options?.unterminated ? hideUnfinishedKey(out, values) : out;
  };
}

/**
 * A key as a log may hold it: as it is, and as JSON writes it inside a string, once or twice
 * (an agent's JSON event quoting a command line), with `/` escaped or not.
 */
function writtenForms(value: string): string[] {
  const once = JSON.stringify(value).slice(1, -1);
  const onceSlashed = once.replace(/\//g, '\\/');
  const twice = (text: string) => JSON.stringify(text).slice(1, -1);
  return [...new Set([value, once, onceSlashed, twice(once), twice(onceSlashed)])];
}

function hideUnfinishedKey(line: string, values: readonly string[]): string {
  let cut = line.length;
  for (const v of values) {
    for (let n = Math.min(v.length - 1, line.length); n >= MIN_HIDDEN_START; n--) {
      if (line.length - n < cut && line.endsWith(v.slice(0, n))) {
        cut = line.length - n;
        break;
      }
    }
  }
  const prefixed = UNFINISHED_PREFIXED.exec(line);
  if (prefixed && prefixed.index + (prefixed[1]?.length ?? 0) < cut) cut = prefixed.index + (prefixed[1]?.length ?? 0);
  return cut < line.length ? `${line.slice(0, cut)}<redacted>` : line;
}
