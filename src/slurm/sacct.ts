import { invoke, SEP, type SlurmContext } from './context.js';
import { parseDuration } from './duration.js';
import { success, type SlurmResult } from './errors.js';
import { emptyToNull, intOrNull, parseExitCode, parseRecords } from './fields.js';

/** A job's final record from accounting. */
export interface AccountingRecord {
  jobId: string;
  /** First word only: sacct says `CANCELLED by 0`. */
  state: string;
  exitCode: { code: number; signal: number } | null;
  elapsedSeconds: number;
  start: string | null;
  end: string | null;
  nodeList: string | null;
  partition: string;
  name: string;
  /** The job's own numeric id: for an array task (`1505_2`), not the array's (`1506`). */
  rawId: number | null;
}

const FIELDS = ['JobID', 'State', 'ExitCode', 'Elapsed', 'Start', 'End', 'NodeList', 'Partition', 'JobName', 'JobIDRaw'];

export function sacctArgs(ids: readonly string[]): string[] {
  // Without --starttime, sacct only looks at today's jobs in some versions.
  return [
    '--allocations',
    '--noheader',
    '--parsable2',
    `--delimiter=${SEP}`,
    '--starttime=1970-01-01',
    `--format=${FIELDS.join(',')}`,
    `--jobs=${ids.join(',')}`,
  ];
}

export function parseSacct(stdout: string): AccountingRecord[] {
  return parseRecords(stdout, SEP, FIELDS.length, ([jobId, state, exit, elapsed, start, end, nodes, partition, name, raw]) => ({
    jobId: (jobId ?? '').trim(),
    state: (state ?? '').trim().split(' ')[0] ?? '',
    exitCode: parseExitCode(exit),
    elapsedSeconds: parseDuration(elapsed ?? '') ?? 0,
    start: emptyToNull(start),
    end: emptyToNull(end),
    nodeList: emptyToNull(nodes === 'None assigned' ? undefined : nodes),
    partition: (partition ?? '').trim(),
    name: name ?? '',
    rawId: intOrNull(raw),
  }));
}

/**
 * The array task labels a sacct record stands for: `1505_2` itself, and for the never-started
 * remainder of an array, `1505_[3-7%3]`, every index it covers (`1505_3` ... `1505_7`).
 */
export function recordLabels(jobId: string): string[] {
  const m = /^(\d+)_\[([\d,-]+)(?:%\d+)?\]$/.exec(jobId);
  if (!m) return [jobId];
  const labels: string[] = [];
  for (const part of (m[2] ?? '').split(',')) {
    const [from, to] = part.split('-').map(Number);
    if (from === undefined || !Number.isInteger(from)) continue;
    for (let i = from; i <= (to ?? from) && i - from < 100_000; i++) labels.push(`${m[1]}_${i}`);
  }
  return labels;
}

/**
 * Final state and exit code of jobs that left the queue, in one sacct call (text output:
 * `sacct --json` in 22.05 reports exit code 0 for failed jobs). A cluster without accounting
 * gives the typed error `accounting-disabled`, which callers turn into their fallback.
 */
export async function accountingRecords(ctx: SlurmContext, ids: readonly (string | number)[]): Promise<SlurmResult<AccountingRecord[]>> {
  const list = ids.map(String);
  if (list.length === 0) return success([]);
  const out = await invoke(ctx, 'sacct', sacctArgs(list));
  if (!out.ok) return out;
  return success(parseSacct(out.value.stdout).filter((r) => intOrNull(r.jobId.split('_')[0]) !== null));
}
