import type { Task } from '../plan/task.js';
import type { AccountingRecord } from '../slurm/sacct.js';
import type { QueueJob } from '../slurm/squeue.js';
import type { LedgerEntry } from '../submit/ledger.js';
import { entryResultsDir, jobResultsDir, readJobMark } from '../submit/job-mark.js';
import { jobLabel } from '../submit/submit-tasks.js';

/**
 * A ptb job as Slurm sees it (squeue while queued, sacct once it left), joined with its task and
 * its ledger entry, before its run folder is read. Array tasks are jobs of their own.
 */
export interface UndiagnosedJob {
  /** `1234`, or `1230_4` for an array task: what squeue, sacct and scancel call it. */
  id: string;
  /** The job's own numeric id (an array task has one once it started); the run's cluster id. */
  ownId: number | null;
  arrayJobId: number | null;
  arrayIndex: number | null;
  state: string;
  reason: string | null;
  node: string | null;
  elapsedSeconds: number;
  limitSeconds: number | null | undefined;
  exitCode: { code: number; signal: number } | null;
  name: string;
  partition: string;
  submitTime: string | null;
  startTime: string | null;
  endTime: string | null;
  key: string | null;
  task: Task | null;
  script: string | null;
  /** The job this one resubmits, and the one that resubmitted it. */
  resubmitOf: string | null;
  resubmittedAs: string | null;
  /** In squeue at the last look; false: history. */
  inQueue: boolean;
  /** Where the final state came from, for a job that left the queue. */
  final: 'sacct' | 'results' | 'unknown' | null;
  /** The results folder of the setup the job belongs to, where its script or manifest tells. */
  setupDir: string | null;
}

/**
 * One ptb job, as the monitor, the status command and the actions know it: what Slurm and the
 * ledger say, the diagnosis of a finished one (its evidence and the action it calls for), whether
 * its run scored, and an action Slurm took for it that the queue does not show yet.
 */
export type PtbJob = UndiagnosedJob & {
  diagnosis: string | null;
  diagnosisKind: string | null;
  evidence: string | null;
  action: string | null;
  scored: boolean;
  requested?: 'cancel' | 'requeue';
};

/** Finished for good: nothing will change its state any more. */
export const isFinal = (state: string): boolean =>
  !['PENDING', 'RUNNING', 'CONFIGURING', 'COMPLETING', 'SUSPENDED', 'REQUEUED', 'RESIZING', 'SIGNALING', 'STAGE_OUT', 'UNKNOWN'].includes(state);

/** Ledger entries by the label of their job, the latest first when a job was recorded twice. */
export function ledgerIndex(entries: readonly LedgerEntry[]): Map<string, LedgerEntry> {
  const byId = new Map<string, LedgerEntry>();
  for (const e of entries) byId.set(jobLabel(e.jobId, e.arrayIndex), e);
  return byId;
}

/** Which ptb task a queued job runs: its comment names it, directly or through its array's manifest. */
export function queueTask(job: QueueJob, manifest: (file: string) => { key: string; task: Task }[] | null): { key: string; task: Task } | null {
  const mark = readJobMark(job.comment);
  if (mark?.kind === 'task') return { key: mark.key, task: mark.task };
  if (mark?.kind === 'array' && job.arrayTaskId !== null && /^\d+$/.test(job.arrayTaskId)) return manifest(mark.manifest)?.[Number(job.arrayTaskId)] ?? null;
  return null;
}

/** Looks up a job's Slurm state by its numeric id among the monitor's rows (the ladder names its jobs so). */
export const stateOfJob =
  (jobs: readonly Pick<UndiagnosedJob, 'id' | 'state'>[]) =>
  (jobId: number): string | undefined =>
    jobs.find((j) => j.id === String(jobId))?.state;

/** A queued ptb job as a row (null for a job that is not ptb's, or an array's unexpanded remainder). */
export function rowFromQueue(job: QueueJob, ran: { key: string; task: Task } | null, ledger: Map<string, LedgerEntry>): PtbJob | null {
  const isArrayTask = job.arrayJobId !== null && job.arrayTaskId !== null && /^\d+$/.test(job.arrayTaskId);
  if (!ran || (job.arrayJobId !== null && !isArrayTask)) return null;
  const id = isArrayTask ? jobLabel(job.arrayJobId, Number(job.arrayTaskId)) : String(job.rawJobId);
  const entry = ledger.get(id);
  return {
    id,
    // A pending array task has no job id of its own yet: squeue shows the array's.
    ownId: isArrayTask && job.state === 'PENDING' ? null : job.rawJobId,
    arrayJobId: isArrayTask ? job.arrayJobId : null,
    arrayIndex: isArrayTask ? Number(job.arrayTaskId) : null,
    state: job.state,
    reason: job.reason,
    node: job.nodes,
    elapsedSeconds: job.elapsedSeconds,
    limitSeconds: job.timeLimitSeconds,
    exitCode: null,
    name: job.name,
    partition: job.partition,
    submitTime: job.submitTime,
    startTime: job.startTime,
    endTime: null,
    key: ran.key,
    // The ledger's copy carries what a comment cannot: the run an evaluation-only rerun writes into.
    task: entry && entry.key === ran.key ? entry.task : ran.task,
    script: entry?.script || null,
    resubmitOf: entry?.resubmitOf ?? null,
    resubmittedAs: null,
    inQueue: true,
    final: null,
    setupDir: jobResultsDir(job) ?? (entry ? entryResultsDir(entry) : null),
    // Written out, not spread: every row of a look is built with one shape, at once (bench/monitor.mjs).
    diagnosis: null,
    diagnosisKind: null,
    evidence: null,
    action: null,
    scored: false,
  };
}

/** A recorded job not in the queue: history, its state unknown until sacct (or the results) says. */
export function rowFromLedger(entry: LedgerEntry): PtbJob {
  const id = jobLabel(entry.jobId, entry.arrayIndex);
  return {
    id,
    ownId: entry.arrayIndex === undefined ? entry.jobId : null,
    arrayJobId: entry.arrayIndex === undefined ? null : entry.jobId,
    arrayIndex: entry.arrayIndex ?? null,
    state: 'UNKNOWN',
    reason: null,
    node: null,
    elapsedSeconds: 0,
    limitSeconds: null,
    exitCode: null,
    name: '',
    partition: '',
    submitTime: entry.at,
    startTime: null,
    endTime: null,
    key: entry.key,
    task: entry.task,
    script: entry.script || null,
    resubmitOf: entry.resubmitOf ?? null,
    resubmittedAs: null,
    inQueue: false,
    final: null,
    setupDir: entryResultsDir(entry),
    // Written out, not spread: every row of a look is built with one shape, at once (bench/monitor.mjs).
    diagnosis: null,
    diagnosisKind: null,
    evidence: null,
    action: null,
    scored: false,
  };
}

/** A job that left the queue, with its final record from sacct. */
export function withAccounting(row: UndiagnosedJob, record: AccountingRecord): UndiagnosedJob {
  return {
    ...row,
    ownId: record.rawId ?? row.ownId,
    state: record.state,
    exitCode: record.exitCode,
    elapsedSeconds: record.elapsedSeconds,
    node: record.nodeList ?? row.node,
    startTime: record.start ?? row.startTime,
    endTime: record.end,
    partition: record.partition || row.partition,
    name: record.name || row.name,
    reason: null,
    inQueue: false,
    final: 'sacct',
  };
}
