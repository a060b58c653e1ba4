import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { containerTestMarker } from './experiment-dir.js';
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { methodFolder, runFolderPrefix, taskKey, type Task } from '../plan/task.js';
import type { QueueJob } from '../slurm/squeue.js';
import type { Slurm } from '../slurm/adapter.js';
import { metricsAccuracy } from '../run/folder.js';
import { planTasks, type PlannedTask } from '../plan/resolve.js';
import { jobUnits, unitBatchSpec, unitFiles, unitScript, unitShape } from './job-units.js';
import { appendLedger, type LedgerEntry } from './ledger.js';
import { jobOwner, readJobMark, readOwnLedger } from './job-mark.js';
import { isSetupPath, setupIdentity, type SetupIdentity } from './setup-identity.js';
import { submitLockFile, withSubmitLock, type LockHolder } from './submit-lock.js';
import { errorMessage } from '../text/error-message.js';

export type TaskOutcome =
  | { task: Task; status: 'submitted'; jobId: number; arrayIndex?: number; script: string }
  | { task: Task; status: 'skipped'; reason: 'active' | 'scored' | 'resubmitted' | 'duplicate'; jobId: number | null; arrayIndex?: number }
  | { task: Task; status: 'checked'; script: string; startTime: string | null }
  | { task: Task; status: 'failed'; message: string };

export interface SubmitResult {
  outcomes: TaskOutcome[];
  /** Why submission stopped early, with what to do; null when every task was handled. */
  stopped: string | null;
}

/**
 * Whether a finished run of a task already has a numeric accuracy in the results folder (a
 * container test: passed). Each method folder is listed once per lookup: a full experiment asks
 * for hundreds of tasks that share a handful of folders, on shared storage.
 */
export function scoreLookup(config: Config): (task: Task) => boolean {
  const listings = new Map<string, string[]>();
  const runsOf = (method: string): string[] => {
    let runs = listings.get(method);
    if (!runs) {
      try {
        runs = readdirSync(method);
      } catch {
        runs = [];
      }
      listings.set(method, runs);
    }
    return runs;
  };
  return (task) => {
    if (task.kind === 'container-test') return existsSync(containerTestMarker(config, task.config));
    // Judging a run again is asked for scored runs too: their score says nothing of their verdict.
    if (task.kind === 'judge-only') return false;
    const method = join(config.resultsDir, methodFolder(task));
    const prefix = runFolderPrefix(task);
    return runsOf(method).some(
      (run) => run.startsWith(prefix) && /^\d+$/.test(run.slice(prefix.length)) && metricsAccuracy(join(method, run, 'metrics.json')) !== null,
    );
  };
}

/** Why a task was skipped, in words: `job 1234 is already in the queue`. */
export function describeSkip(o: Extract<TaskOutcome, { status: 'skipped' }>): string {
  switch (o.reason) {
    case 'active':
      return `job ${jobLabel(o.jobId, o.arrayIndex)} is already in the queue`;
    case 'scored':
      return 'already scored in the results folder';
    case 'resubmitted':
      return `already resubmitted as job ${jobLabel(o.jobId, o.arrayIndex)}`;
    case 'duplicate':
      return 'the same task is earlier in this submission';
  }
}

/** `1234`, or `1234_5` for the task of a job array, as squeue and sacct name it. */
export const jobLabel = (jobId: number | null, arrayIndex?: number): string =>
  jobId === null ? '?' : arrayIndex === undefined ? String(jobId) : `${jobId}_${arrayIndex}`;

/** What a job array's manifest holds: the task of each array index, in order. */
export interface ArrayManifest {
  tasks: { key: string; task: Task }[];
}

export function readManifest(file: string): ArrayManifest | null {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as ArrayManifest;
    return Array.isArray(data.tasks) ? data : null;
  } catch {
    return null;
  }
}

/** A queued job's task, as its comment says: directly, or through its array's manifest. */
export interface ActiveTask {
  key: string;
  /** The job id the ledger knows: the job's own, or its array's. */
  jobId: number;
  arrayIndex?: number;
  task?: Task;
  /** The job's batch script, as squeue gives it. */
  script: string | null;
}

/**
 * This setup's ptb tasks pending or running, from one squeue listing (arrays expanded). Another
 * setup's jobs on the same account run other tasks (they score into another results folder):
 * they are not listed. `recorded` tells the jobs this setup's ledger has (`1234`, `1230_4`).
 */
export function activeTasks(jobs: readonly QueueJob[], setup: SetupIdentity, recorded: ReadonlySet<string>): ActiveTask[] {
  const manifests = new Map<string, ArrayManifest | null>();
  const active: ActiveTask[] = [];
  for (const job of jobs) {
    const mark = readJobMark(job.comment);
    if (!mark) continue;
    if (mark.kind === 'task') {
      if (jobOwner(job, setup, recorded.has(String(job.rawJobId))).kind === 'mine')
        active.push({ key: mark.key, jobId: job.rawJobId, task: mark.task, script: job.command });
      continue;
    }
    if (job.arrayJobId === null || !isSetupPath(setup, mark.manifest)) continue;
    if (!manifests.has(mark.manifest)) manifests.set(mark.manifest, readManifest(mark.manifest));
    const index = Number(job.arrayTaskId);
    const entry = manifests.get(mark.manifest)?.tasks[index];
    if (entry && Number.isInteger(index)) active.push({ key: entry.key, jobId: job.arrayJobId, arrayIndex: index, task: entry.task, script: job.command });
  }
  return active;
}

/**
 * Submits tasks, never twice: a task whose job is pending or running (found by its comment in
 * one squeue call, ledger or not) or that already scored is skipped unless `force`. Each job
 * is written to the ledger (fsync) as soon as sbatch answers; a job sbatch created just before
 * a crash is found by its comment next time and reconciled into the ledger. The first failure
 * stops the run: what was submitted stays submitted, and running the same plan again resumes.
 * With `dryRun`, every task is checked with `sbatch --test-only` and nothing is submitted.
 * With `array`, the tasks of each agent go into one job array (one sbatch call, the agent's
 * throttle as `%N`); container tests stay single jobs. The whole check-then-submit holds the
 * setup's submission lock (beside the ledger): a second ptb submitting to the same setup from the
 * same state folder waits for this one, then finds its jobs in the queue (or, for a resubmission,
 * in the ledger) and skips them. Should the lock end early, nothing more is submitted.
 */
export async function submitTasks(
  slurm: Slurm,
  config: Config,
  tasks: readonly Task[],
  options: {
    ledgerFile: string;
    secretsFile: string;
    dryRun?: boolean;
    force?: boolean;
    array?: boolean;
    /** Resubmissions: the job each task's new job replaces, by task key (recorded in the ledger). */
    resubmitOf?: ReadonlyMap<string, string>;
    onOutcome?: (o: TaskOutcome, index: number) => void;
    /** Who submits, for the message another submitter waiting for the lock shows (`ptb submit --plan p.yaml`). */
    what?: string;
    /** Another ptb holds the setup's submission lock: this one waits (see withSubmitLock), until `signal` aborts. */
    onWaiting?: (holder: LockHolder | null) => void;
    onAcquired?: () => void;
    lockWaitSeconds?: number;
    signal?: AbortSignal;
  },
): Promise<SubmitResult> {
  // A dry run submits nothing and writes no ledger: it needs no lock.
  if (options.dryRun) return submitLocked(slurm, config, tasks, options, () => true);
  const lock = {
    what: options.what ?? 'ptb',
    waitSeconds: options.lockWaitSeconds,
    onWaiting: options.onWaiting,
    onAcquired: options.onAcquired,
    signal: options.signal,
  };
  const locked = await withSubmitLock(submitLockFile(options.ledgerFile, setupIdentity(config)), lock, (held) =>
    submitLocked(slurm, config, tasks, options, held),
  );
  return locked.ok ? locked.value : { outcomes: [], stopped: locked.message };
}

async function submitLocked(
  slurm: Slurm,
  config: Config,
  tasks: readonly Task[],
  options: Parameters<typeof submitTasks>[3],
  lockHeld: () => boolean,
): Promise<SubmitResult> {
  const outcomes: TaskOutcome[] = [];
  const report = (o: TaskOutcome) => {
    outcomes.push(o);
    options.onOutcome?.(o, outcomes.length - 1);
  };
  const queue = await slurm.jobs({ user: 'me', expandArrays: true });
  if (!queue.ok)
    return {
      outcomes,
      stopped: `cannot list your jobs, so duplicates cannot be ruled out: ${queue.error.message}. Nothing was submitted; try again when squeue answers.`,
    };
  const setup = setupIdentity(config);
  const ledger = readOwnLedger(options.ledgerFile, setup);
  const known = new Set(ledger.map((e) => `${e.key}#${e.jobId}`));
  const active = new Map<string, ActiveTask>();
  for (const a of activeTasks(queue.value, setup, new Set(ledger.map((e) => jobLabel(e.jobId, e.arrayIndex))))) active.set(a.key, a);
  // Only this plan's tasks: another ptb (another state folder) may keep the other jobs in its own ledger.
  const planned = new Set(tasks.map(taskKey));
  for (const a of active.values()) {
    if (known.has(`${a.key}#${a.jobId}`) || !a.task || !planned.has(a.key) || options.dryRun) continue;
    appendLedger(options.ledgerFile, {
      at: new Date().toISOString(),
      key: a.key,
      task: a.task,
      jobId: a.jobId,
      arrayIndex: a.arrayIndex,
      script: a.script ?? '',
      setup: setup.id,
      reconciled: true,
    } satisfies LedgerEntry);
  }

  const toSubmit: PlannedTask[] = [];
  const scored = scoreLookup(config);
  // A resubmission decided before this lock was taken: another ptb may have resubmitted the same job meanwhile.
  const successor = new Map(ledger.flatMap((e) => (e.resubmitOf ? [[e.resubmitOf, e] as const] : [])));
  // The same task twice in one call (two failed jobs of one task resubmitted together) is one job, force or not.
  const taken = new Set<string>();
  for (const planned of planTasks(tasks, config)) {
    const { task, key } = planned;
    if (taken.has(key)) {
      report({ task, status: 'skipped', reason: 'duplicate', jobId: null });
      continue;
    }
    taken.add(key);
    const queued = active.get(key);
    const replaced = options.resubmitOf?.get(key);
    const already = replaced === undefined ? undefined : successor.get(replaced);
    if (!options.force && queued) report({ task, status: 'skipped', reason: 'active', jobId: queued.jobId, arrayIndex: queued.arrayIndex });
    else if (!options.force && scored(task)) report({ task, status: 'skipped', reason: 'scored', jobId: null });
    else if (already) report({ task, status: 'skipped', reason: 'resubmitted', jobId: already.jobId, arrayIndex: already.arrayIndex });
    else toSubmit.push(planned);
  }

  const checkedShapes = new Set<string>();
  for (const unit of jobUnits(toSubmit, config, options.array === true)) {
    const head = unit.members[0];
    if (!head) continue;
    const files = unitFiles(unit, config, `${new Date().toISOString().replace(/[:.]/g, '-')}-${outcomes.length}`);
    const script = files.script;
    try {
      if (files.manifest)
        writeFileAtomic(files.manifest, JSON.stringify({ tasks: unit.members.map(({ key, task }) => ({ key, task })) } satisfies ArrayManifest, null, 1), {
          mode: 0o644,
          dirMode: 0o755,
        });
      writeFileAtomic(script, unitScript(unit, config, { secretsFile: options.secretsFile, logsDir: files.logsDir, manifest: files.manifest }), {
        mode: 0o644,
        dirMode: 0o755,
      });
      mkdirSync(files.logsDir, { recursive: true });
    } catch (error) {
      const message = errorMessage(error);
      report({ task: head.task, status: 'failed', message });
      return { outcomes, stopped: `${message}. Nothing more was submitted.` };
    }
    const spec = unitBatchSpec(unit, config, setup, files);
    if (options.dryRun) {
      const check = await slurm.testSubmit(spec);
      if (!check.ok) {
        report({ task: head.task, status: 'failed', message: check.error.message });
        return { outcomes, stopped: `Slurm would refuse it: ${check.error.message}` };
      }
      for (const { task } of unit.members) report({ task, status: 'checked', script, startTime: check.value.startTime });
      continue;
    }
    if (!lockHeld()) {
      const done = outcomes.filter((o) => o.status === 'submitted').length;
      return {
        outcomes,
        stopped: `the submission lock ended before this submission did (its flock process is gone): ${done} task(s) were submitted and recorded, nothing more. Run the same plan again to submit the rest.`,
      };
    }
    // Jobs of one shape (kind, GPUs, time limit, resources, array or not) ask Slurm for the same: the first of each is checked with --test-only.
    const shape = unitShape(unit);
    const submitted = await slurm.submit(spec, { precheck: !checkedShapes.has(shape) });
    checkedShapes.add(shape);
    if (!submitted.ok) {
      report({ task: head.task, status: 'failed', message: submitted.error.message });
      const done = outcomes.filter((o) => o.status === 'submitted').length;
      return {
        outcomes,
        stopped: `Slurm refused it: ${submitted.error.message}. ${done} task(s) were submitted and recorded; fix the cause and run the same plan again to submit the rest (submitted ones are skipped).`,
      };
    }
    for (const [index, { task, key, resolved }] of unit.members.entries()) {
      const arrayIndex = unit.asArray ? index : undefined;
      appendLedger(options.ledgerFile, {
        at: new Date().toISOString(),
        key,
        task,
        resolved,
        jobId: submitted.value.jobId,
        arrayIndex,
        script,
        setup: setup.id,
        resubmitOf: options.resubmitOf?.get(key),
      });
      report({ task, status: 'submitted', jobId: submitted.value.jobId, arrayIndex, script });
    }
  }
  return { outcomes, stopped: null };
}
