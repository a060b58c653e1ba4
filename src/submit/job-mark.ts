import { parseTaskKey, taskKey, type Task } from '../plan/task.js';
import type { QueueJob } from '../slurm/squeue.js';
import { readLedger, type LedgerEntry } from './ledger.js';
import { isSetupPath, resultsDirOfPath, type SetupIdentity } from './setup-identity.js';
import { memoized } from '../text/bounded-cache.js';

/** The comment of a job array: its manifest lists the task of each index. */
export const ARRAY_COMMENT_PREFIX = 'ptb1-array|';

/** The number of `|`-separated fields of a task key (see taskKey). */
const KEY_FIELDS = 9;

/**
 * A task's job comment: its key, then the id of the setup that submitted it, and for a rerun the
 * run it writes into (`of1234`). squeue shows it for every job, so a job is known as this setup's
 * task even when a crash kept it out of the ledger, and as another setup's when it is not.
 */
export const jobComment = (task: Task, setup: SetupIdentity): string => `${taskKey(task)}|${setup.id}${task.rerunOf !== undefined ? `|of${task.rerunOf}` : ''}`;

export const arrayComment = (manifest: string): string => `${ARRAY_COMMENT_PREFIX}${manifest}`;

/** What a ptb job's comment says: one task (with its setup, null for an earlier ptb's job), or an array's manifest. */
export type JobMark = { kind: 'task'; key: string; task: Task; setup: string | null } | { kind: 'array'; manifest: string };

/**
 * Marks read, by comment: squeue lists the same comments at every look, 5,000 of them on a big run.
 * At most 50,000 are held (two generations of 25,000): a long session of ever new jobs forgets the
 * oldest rather than grow without end.
 */
const markOf = memoized(25_000, parseJobMark);

export function readJobMark(comment: string | null): JobMark | null {
  return comment ? markOf(comment) : null;
}

function parseJobMark(comment: string): JobMark | null {
  if (comment.startsWith(ARRAY_COMMENT_PREFIX)) return { kind: 'array', manifest: comment.slice(ARRAY_COMMENT_PREFIX.length) };
  if (!comment.startsWith('ptb1|')) return null;
  const parts = comment.split('|');
  const key = parts.slice(0, KEY_FIELDS).join('|');
  const task = parseTaskKey(key);
  if (!task) return null;
  const setup = parts[KEY_FIELDS];
  const of = /^of(\d+)$/.exec(parts[KEY_FIELDS + 1] ?? '')?.[1];
  return { kind: 'task', key, task: of !== undefined ? { ...task, rerunOf: Number(of) } : task, setup: setup && /^s[0-9a-f]{12}$/.test(setup) ? setup : null };
}

/** Whose a queued job is, as far as Slurm's record and the ledger tell (a job that is not ptb's is another's). */
export type JobOwner = { kind: 'mine' } | { kind: 'other'; resultsDir: string | null };

/** The results folder of the setup a job belongs to, read from where its script or manifest lies. */
export function jobResultsDir(job: Pick<QueueJob, 'comment' | 'command'>): string | null {
  const mark = readJobMark(job.comment);
  return resultsDirOfPath(mark?.kind === 'array' ? mark.manifest : job.command);
}

/**
 * Whether a queued job is this setup's. The comment names its setup; an array's manifest lies in
 * its setup's folder. A job of an earlier ptb (no setup in its comment) is this setup's when its
 * batch script is one of this setup's files; only when the script tells nothing (not one of any
 * setup's files) does this setup's ledger decide (`inLedger`): an earlier ptb recorded jobs it
 * found in the queue without their script, another setup's among them.
 */
export function jobOwner(job: Pick<QueueJob, 'comment' | 'command'>, setup: SetupIdentity, inLedger: boolean): JobOwner {
  const mark = readJobMark(job.comment);
  const mine = !mark
    ? false
    : mark.kind === 'array'
      ? isSetupPath(setup, mark.manifest)
      : mark.setup !== null
        ? mark.setup === setup.id
        : resultsDirOfPath(job.command) !== null
          ? isSetupPath(setup, job.command)
          : inLedger;
  return mine ? { kind: 'mine' } : { kind: 'other', resultsDir: jobResultsDir(job) };
}

/**
 * Whether a ledger entry is this setup's: one ledger serves every setup of the account. An entry
 * of an earlier ptb (no setup recorded) is this setup's when its script is, or when it has no
 * script to tell (a job reconciled from the queue).
 */
export const isOwnEntry = (entry: LedgerEntry, setup: SetupIdentity): boolean =>
  entry.setup ? entry.setup === setup.id : entry.script === '' || isSetupPath(setup, entry.script);

/** The results folder of the setup that recorded an entry, when its script tells. */
export const entryResultsDir = (entry: LedgerEntry): string | null => resultsDirOfPath(entry.script);

/** This setup's entries of the ledger. */
export const readOwnLedger = (file: string, setup: SetupIdentity): LedgerEntry[] => readLedger(file).filter((e) => isOwnEntry(e, setup));
