import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import type { Resolved } from '../plan/resolve.js';
import type { Task } from '../plan/task.js';

/** One submission, as recorded the moment sbatch answered. Never a secret: only the task and paths. */
export interface LedgerEntry {
  at: string;
  key: string;
  task: Task;
  /** What the job asked for (image, resources, time limit); absent in reconciled entries and those of earlier ptb versions. */
  resolved?: Resolved;
  /** The job's id; for a task of a job array, the array's id (the task is `<jobId>_<arrayIndex>`). */
  jobId: number;
  arrayIndex?: number;
  script: string;
  /** The id of the setup that submitted it (see setupIdentity); absent in entries of earlier ptb versions. */
  setup?: string;
  /** The job this one replaces (a resubmission), as squeue names it: `1234` or `1230_4`. */
  resubmitOf?: string;
  /** Found in squeue by its comment after a crash between sbatch and the ledger write. */
  reconciled?: boolean;
}

/** `$XDG_STATE_HOME/ptb-slurm/ledger.jsonl`, by default `~/.local/state/ptb-slurm/ledger.jsonl`. */
export function ledgerFile(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_STATE_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(env.HOME && isAbsolute(env.HOME) ? env.HOME : homedir(), '.local', 'state');
  return join(base, 'ptb-slurm', 'ledger.jsonl');
}

/**
 * Appends one entry and waits until it is on disk (fsync): an entry the caller was told about
 * survives a crash or a power cut. Append-only: nothing is ever rewritten.
 */
export function appendLedger(file: string, entry: LedgerEntry): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const fd = openSync(file, 'a', 0o600);
  try {
    writeSync(fd, JSON.stringify(entry) + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Every entry; a line cut short by a crash is skipped, not fatal. */
export function readLedger(file: string): LedgerEntry[] {
  if (!existsSync(file)) return [];
  const entries: LedgerEntry[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      const entry = JSON.parse(line) as LedgerEntry;
      if (typeof entry.key === 'string' && typeof entry.jobId === 'number') entries.push(entry);
    } catch {
      // the last line of a crashed append
    }
  }
  return entries;
}

/** Whether ptb ever submitted a job here: the first screen is then the monitor. Read without parsing (startup time). */
export function ledgerHasJobs(file: string): boolean {
  try {
    return statSync(file).size > 0;
  } catch {
    return false;
  }
}
