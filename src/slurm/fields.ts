/** Small helpers shared by the parsers of Slurm's text output. */

/** Slurm's ways of saying "nothing here". */
export function emptyToNull(value: string | undefined): string | null {
  if (value === undefined) return null;
  const v = value.trim();
  return v === '' || v === '(null)' || v === 'N/A' || v === 'n/a' || v === 'None' || v === '(None)' || v === 'NONE' || v === 'Unknown' ? null : v;
}

export function intOrNull(value: string | undefined): number | null {
  const v = emptyToNull(value);
  if (v === null || !/^-?\d+$/.test(v)) return null;
  return Number(v);
}

/** Splits `a,b(c,d),e` on the commas outside parentheses (GRES lists carry `(S:0-1)` and `(IDX:0,2)`). */
export function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth = Math.max(0, depth - 1);
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  if (current !== '') parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/**
 * Splits one line of a format we built with {@link SEP}, into exactly `count` fields: the last
 * field keeps any separators it contains (we always put the free-text job name last).
 */
export function splitFields(line: string, sep: string, count: number): string[] | undefined {
  const parts = line.split(sep);
  if (parts.length === count) return parts;
  if (parts.length < count) return undefined;
  return [...parts.slice(0, count - 1), parts.slice(count - 1).join(sep)];
}

/**
 * The records of a format we built: one per non-blank line that has all `count` fields,
 * mapped by `toRecord`. Lines Slurm mangled are skipped rather than misread.
 */
export function parseRecords<T>(stdout: string, sep: string, count: number, toRecord: (fields: string[]) => T): T[] {
  const records: T[] = [];
  for (const line of stdout.split('\n')) {
    if (line.trim() === '') continue;
    const fields = splitFields(line, sep, count);
    if (fields) records.push(toRecord(fields));
  }
  return records;
}

/** `3:0` → exit code 3, signal 0. */
export function parseExitCode(text: string | undefined): { code: number; signal: number } | null {
  const match = /^(\d+):(\d+)$/.exec((text ?? '').trim());
  return match ? { code: Number(match[1]), signal: Number(match[2]) } : null;
}

/** Slurm's memory notation (`256M`, `128G`, `512000` MB) in megabytes. */
export function parseMemoryMb(text: string | undefined): number | null {
  const match = /^(\d+(?:\.\d+)?)([KMGTP]?)n?c?$/i.exec((text ?? '').trim());
  if (!match) return null;
  const value = Number(match[1]);
  const unit = (match[2] ?? '').toUpperCase();
  const factor: Record<string, number> = { '': 1, K: 1 / 1024, M: 1, G: 1024, T: 1024 * 1024, P: 1024 ** 3 };
  return Math.round(value * (factor[unit] ?? 1));
}
