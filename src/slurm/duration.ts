/**
 * Slurm durations, as `--time` takes them and squeue/sinfo print them:
 * `M`, `M:S`, `H:M:S`, `D-H`, `D-H:M`, `D-H:M:S`, and `UNLIMITED`/`INFINITE`.
 */

/** Seconds, `null` for unlimited, `undefined` when the text is not a duration (`INVALID`, `N/A`, ...). */
export function parseDuration(text: string): number | null | undefined {
  const value = text.trim();
  if (value === 'UNLIMITED' || value === 'INFINITE' || value === 'infinite') return null;
  const match = /^(?:(\d+)-)?(\d+)(?::(\d+))?(?::(\d+))?$/.exec(value);
  if (!match) return undefined;
  const [, days, a, b, c] = match;
  const n = (s: string | undefined) => (s === undefined ? 0 : Number(s));
  if (days !== undefined) {
    // D-H, D-H:M, D-H:M:S
    return n(days) * 86400 + n(a) * 3600 + n(b) * 60 + n(c);
  }
  if (c !== undefined) return n(a) * 3600 + n(b) * 60 + n(c);
  // M:S as squeue prints elapsed time ("0:01", "12:34"); a bare number is minutes.
  if (b !== undefined) return n(a) * 60 + n(b);
  return n(a) * 60;
}

/**
 * Checks a `--time` value before it reaches sbatch, which accepts `-5` with exit 0 and then
 * stores a garbage limit. Returns a reason when the value is not a positive duration.
 */
export function invalidTimeLimit(text: string): string | undefined {
  const seconds = parseDuration(text);
  if (seconds === undefined) return `"${text}" is not a Slurm time limit (use minutes, H:MM:SS or D-HH:MM:SS, e.g. 12:00:00)`;
  if (seconds === 0) return 'a time limit must be longer than zero';
  return undefined;
}

/** `D-HH:MM:SS` or `H:MM:SS`, the way a user reads a limit. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return 'unlimited';
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const pad = (x: number) => String(x).padStart(2, '0');
  return d > 0 ? `${d}-${pad(h)}:${pad(m)}:${pad(s)}` : `${h}:${pad(m)}:${pad(s)}`;
}
