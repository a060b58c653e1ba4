import type { Config } from '../config/schema.js';
import { runClusterId, runDir, taskKey, type Task } from '../plan/task.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EVAL_ONLY_SCRIPT, JUDGE_ONLY_SCRIPT } from '../submit/batch-script.js';
import { readRunFiles } from '../run/folder.js';
import type { Slurm } from '../slurm/adapter.js';
import type { LockHolder } from '../submit/submit-lock.js';
import { describeSkip, jobLabel, submitTasks, type SubmitResult } from '../submit/submit-tasks.js';
import { stateFamily } from '../slurm/state-family.js';
import type { PtbJob } from './ptb-job.js';
import { isFinal } from './ptb-job.js';

/** Text for one action's result: what happened to each job, in one line a person can read. */
export interface ActionReport {
  ok: boolean;
  text: string;
  /** The jobs the action changed, as the tracker should know them at once (see noteActions). */
  done?: { requested?: { ids: readonly string[]; action: 'cancel' | 'requeue' }; resubmitted?: readonly (readonly [string, string])[] };
}

const list = (ids: readonly string[]): string => (ids.length <= 6 ? ids.join(', ') : `${ids.slice(0, 6).join(', ')} and ${ids.length - 6} more`);

/** What a cancellation would touch: this setup's queued jobs, not already cancelled or completing. */
export const cancellable = (jobs: readonly PtbJob[]): PtbJob[] =>
  jobs.filter((j) => j.inQueue && j.requested !== 'cancel' && j.state !== 'COMPLETING' && !isFinal(j.state));

/** What `R` may requeue: running or suspended batch jobs (Slurm refuses a pending one), not requeued or cancelled already. */
export const requeueable = (jobs: readonly PtbJob[]): PtbJob[] =>
  jobs.filter((j) => j.inQueue && j.requested === undefined && (j.state === 'RUNNING' || j.state === 'SUSPENDED'));

/**
 * What `r` may resubmit: finished without a score (failed, cancelled, timed out, ended), not yet
 * resubmitted. A COMPLETED job counts once its files are read: upstream's run_task.sh exits 0
 * whatever failed inside it, so COMPLETED alone says nothing of a score.
 */
export const resubmittable = (jobs: readonly PtbJob[]): PtbJob[] =>
  jobs.filter(
    (j) => !j.inQueue && j.final !== null && j.task !== null && !j.scored && j.resubmittedAs === null && (j.state !== 'COMPLETED' || j.diagnosisKind !== null),
  );

/** How a job's task runs again: all of it, only the evaluation of the model its run saved, or only its judges. */
export type RerunMode = 'full' | 'eval-only' | 'judge-only' | 'cheapest';

/** What `--judge-only` may judge again: finished jobs of runs, scored or not, not resubmitted yet. */
export const rejudgeable = (jobs: readonly PtbJob[]): PtbJob[] =>
  jobs.filter(
    (j) => !j.inQueue && j.final !== null && j.task !== null && j.task.kind !== 'baseline' && j.task.kind !== 'container-test' && j.resubmittedAs === null,
  );

/**
 * The judge-only rerun of a finished run: the checkout's run_judge.sh (v1.1, qol) on its folder,
 * which needs the run's task/ and its trace. Null, with the reason, when it cannot be one.
 */
export function judgeOnlyRerun(job: PtbJob, config: Pick<Config, 'resultsDir' | 'checkout'>): { task: Task } | { reason: string } {
  const task = job.task;
  if (!task || task.kind === 'baseline' || task.kind === 'container-test') return { reason: 'only an agent run has judges' };
  if (!existsSync(join(config.checkout, JUDGE_ONLY_SCRIPT)))
    return { reason: `the checkout has no ${JUDGE_ONLY_SCRIPT} (upstream v1.0 has none; v1.1 and qol do)` };
  const clusterId = runClusterId(task, job.ownId);
  if (clusterId === null) return { reason: 'its run folder is not known' };
  const dir = runDir(config.resultsDir, task, clusterId);
  if (!existsSync(join(dir, 'task'))) return { reason: `${dir}/task/ is missing: the judges read what the agent left there` };
  if (!existsSync(join(dir, 'solve_parsed.txt')) && !existsSync(join(dir, 'solve_out.txt')))
    return { reason: `${dir} has no solve_parsed.txt or solve_out.txt for the judges to read` };
  return { task: { ...task, kind: 'judge-only', rerunOf: clusterId } };
}

/**
 * The evaluation-only rerun of a finished agent run (or of such a rerun): its run saved a model
 * and wrote no metrics.json (upstream's script does nothing while one exists). Null, with the
 * reason, when it cannot be one.
 */
export function evalOnlyRerun(job: PtbJob, config: Pick<Config, 'resultsDir' | 'checkout'>): { task: Task } | { reason: string } {
  const task = job.task;
  if (!task || (task.kind !== 'agent' && task.kind !== 'eval-only' && task.kind !== 'judge-only'))
    return { reason: 'only an agent run can have its evaluation alone run again' };
  if (!existsSync(join(config.checkout, EVAL_ONLY_SCRIPT))) return { reason: `the checkout has no ${EVAL_ONLY_SCRIPT}, which runs the evaluation alone` };
  const clusterId = runClusterId(task, job.ownId);
  if (clusterId === null) return { reason: 'its run folder is not known' };
  const dir = runDir(config.resultsDir, task, clusterId);
  const files = readRunFiles(dir);
  if (!files.hasFinalModel) return { reason: `${dir} has no saved model (final_model/ is missing or empty): only a full rerun can make one` };
  if (files.hasMetrics) return { reason: `${dir}/metrics.json exists: upstream's evaluation-only script does nothing while it does; move it away first` };
  return { task: { ...task, kind: 'eval-only', rerunOf: clusterId } };
}

/**
 * The task a rerun of a job submits: the whole task (an evaluation-only rerun's agent task), the
 * evaluation alone (null when the run saved no model to evaluate), or the cheapest of the two
 * that can fix it. An evaluation-only rerun that failed too is not tried a third time that way:
 * the cheapest fix is then the whole task.
 */
export function rerunTask(job: PtbJob, config: Pick<Config, 'resultsDir' | 'checkout'>, mode: RerunMode): Task | null {
  const whole = job.task?.kind === 'eval-only' || job.task?.kind === 'judge-only' ? { ...job.task, kind: 'agent' as const, rerunOf: undefined } : job.task;
  if (mode === 'judge-only') {
    const judge = judgeOnlyRerun(job, config);
    return 'task' in judge ? judge.task : null;
  }
  if (mode === 'full' || (mode === 'cheapest' && job.task?.kind === 'eval-only')) return whole;
  const evalOnly = evalOnlyRerun(job, config);
  if ('task' in evalOnly) return evalOnly.task;
  return mode === 'cheapest' ? whole : null;
}

/**
 * `ptb resubmit --failed`: resubmittable and failed (a cancellation was someone's decision), and
 * the latest job of its task: an older failure whose task ran again (by a new plan) is history.
 */
export function failedToResubmit(jobs: readonly PtbJob[]): PtbJob[] {
  const order = (j: PtbJob) => (j.arrayJobId ?? j.ownId ?? 0) * 100_000 + (j.arrayIndex ?? 0);
  // A rerun (evaluation or judges only) is a job of its agent task's cell: a newer job of the cell makes it history too.
  const cell = (j: PtbJob) =>
    j.task && (j.task.kind === 'eval-only' || j.task.kind === 'judge-only') ? taskKey({ ...j.task, kind: 'agent' }) : (j.key ?? j.id);
  const latest = new Map<string, PtbJob>();
  for (const j of jobs) {
    const key = cell(j);
    const seen = latest.get(key);
    if (!seen || order(j) > order(seen)) latest.set(key, j);
  }
  return resubmittable(jobs).filter((j) => (stateFamily(j.state) === 'failed' || j.state === 'COMPLETED') && latest.get(cell(j)) === j);
}

export async function cancelTracked(slurm: Slurm, jobs: readonly PtbJob[]): Promise<ActionReport> {
  const ids = cancellable(jobs).map((j) => j.id);
  if (ids.length === 0) return { ok: false, text: 'nothing to cancel: none of these jobs is in the queue' };
  const result = await slurm.cancel(ids);
  if (!result.ok) return { ok: false, text: `scancel failed: ${result.error.message}` };
  const gone = ids.filter((id) => result.value[id] === 'signalled');
  const other = ids
    .filter((id) => result.value[id] !== 'signalled')
    .map((id) => {
      const o = result.value[id];
      return `${id}: ${typeof o === 'object' ? o.error : (o ?? 'unknown')}`;
    });
  return {
    ok: other.length === 0,
    text: [gone.length ? `cancelled ${list(gone)}` : '', ...other].filter(Boolean).join('; '),
    done: { requested: { ids: gone, action: 'cancel' } },
  };
}

export async function requeueTracked(slurm: Slurm, jobs: readonly PtbJob[]): Promise<ActionReport> {
  const ids = requeueable(jobs).map((j) => j.id);
  if (ids.length === 0) return { ok: false, text: 'nothing to requeue: only running or suspended jobs can be requeued' };
  const result = await slurm.requeue(ids);
  if (!result.ok) return { ok: false, text: `scontrol requeue failed: ${result.error.message}` };
  const done = ids.filter((id) => result.value[id] === 'requeued');
  const failed = ids
    .filter((id) => result.value[id] !== 'requeued')
    .map((id) => {
      const o = result.value[id];
      return `${id}: ${typeof o === 'object' ? o.error : 'not requeued'}`;
    });
  return {
    ok: failed.length === 0,
    text: [done.length ? `requeued ${list(done)} (Slurm holds a requeued job about two minutes)` : '', ...failed].filter(Boolean).join('; '),
    done: { requested: { ids: done, action: 'requeue' } },
  };
}

/**
 * Resubmits finished jobs' tasks as new jobs, each linked in the ledger to the job it replaces.
 * The scripts are written anew from the current configuration (a fixed memory limit applies);
 * the task, and so its parameters, is the same. Never twice: a task already queued is skipped.
 */
export async function resubmitTracked(
  slurm: Slurm,
  config: Config,
  jobs: readonly PtbJob[],
  options: {
    ledgerFile: string;
    secretsFile: string;
    what: string;
    mode?: RerunMode;
    onWaiting?: (holder: LockHolder | null) => void;
    onAcquired?: () => void;
    signal?: AbortSignal;
  },
): Promise<ActionReport & { result: SubmitResult | null }> {
  const mode = options.mode ?? 'full';
  const chosen = mode === 'judge-only' ? rejudgeable(jobs) : resubmittable(jobs);
  if (chosen.length === 0)
    return {
      ok: false,
      text:
        mode === 'judge-only'
          ? 'nothing to judge again: only finished runs, not resubmitted yet'
          : 'nothing to resubmit: only finished jobs without a score, not resubmitted yet',
      result: null,
    };
  // Two failed jobs of one task (a plan submitted twice) rerun as one job, linked to the newer of them.
  const newest = new Map<string, { job: PtbJob; task: Task | null }>();
  for (const j of chosen) {
    const task = rerunTask(j, config, mode);
    const key = task ? taskKey(task) : `none|${j.id}`;
    const seen = newest.get(key);
    if (!seen || (j.ownId ?? 0) > (seen.job.ownId ?? 0)) newest.set(key, { job: j, task });
  }
  const reruns = [...newest.values()];
  const tasks = reruns.map((r) => r.task).filter((t): t is Task => t !== null);
  if (tasks.length === 0)
    return {
      ok: false,
      text:
        mode === 'judge-only' ? 'nothing to judge again: none of these runs can be' : 'nothing to resubmit: none of these runs saved a model to evaluate again',
      result: null,
    };
  const resubmitOf = new Map(reruns.flatMap((r) => (r.task ? [[taskKey(r.task), r.job.id] as const] : [])));
  const result = await submitTasks(slurm, config, tasks, { ...options, resubmitOf });
  const links = result.outcomes.flatMap((o) => {
    const from = resubmitOf.get(taskKey(o.task));
    return o.status === 'submitted' && from ? [[from, jobLabel(o.jobId, o.arrayIndex)] as const] : [];
  });
  const made = links.map(([from, to]) => `${from} -> ${to}`);
  const skipped = result.outcomes.flatMap((o) => (o.status === 'skipped' ? [`${resubmitOf.get(taskKey(o.task)) ?? '?'} (${describeSkip(o)})`] : []));
  const text = [made.length ? `resubmitted ${list(made)}` : '', skipped.length ? `skipped ${list(skipped)}` : '', result.stopped ?? '']
    .filter(Boolean)
    .join('; ');
  return { ok: result.stopped === null, text, result, done: { resubmitted: links } };
}
