/** Key prefixes of the providers PostTrainBench uses (upstream's extract_traces.py redacts the same). */
export const KEY_PREFIXES = ['sk-ant-', 'sk-proj-', 'sk-or-', 'sk-', 'AIzaSy'] as const;

const PREFIXED = new RegExp(`(${KEY_PREFIXES.map((p) => p.replace(/-/g, '\\-')).join('|')})[A-Za-z0-9_\\-]{8,}`, 'g');

/**
 * A redactor for everything ptb shows from a log: the values of the user's own keys (whatever
 * they look like) and anything shaped like a provider key. The codex agent echoes its key into
 * solve_out.txt; the screen must never show it.
 */
export function createRedactor(secretValues: readonly string[]): (text: string) => string {
  // Longest first, so that a key containing another is replaced whole. Short values would redact noise.
  const values = [...new Set(secretValues.filter((v) => v.length >= 8))].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const v of values) if (out.includes(v)) out = out.split(v).join('<redacted>');
    return out.replace(PREFIXED, (_, prefix: string) => `${prefix}<redacted>`);
  };
}
