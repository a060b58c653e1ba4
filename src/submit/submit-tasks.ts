import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { containerTestMarker, experimentDir } from './experiment-dir.js';
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { methodFolder, runFolderPrefix, taskKey, upstreamSafe, type Task } from '../plan/task.js';
import type { Slurm } from '../slurm/adapter.js';
import { renderBatchScript } from './batch-script.js';
import { throttleSlots } from './throttle.js';
import { appendLedger, readLedger, type LedgerEntry } from './ledger.js';

export type TaskOutcome =
  | { task: Task; status: 'submitted'; jobId: number; script: string }
  | { task: Task; status: 'skipped'; reason: 'active' | 'scored'; jobId: number | null }
  | { task: Task; status: 'checked'; script: string; startTime: string | null }
  | { task: Task; status: 'failed'; message: string };

export interface SubmitResult {
  outcomes: TaskOutcome[];
  /** Why submission stopped early, with what to do; null when every task was handled. */
  stopped: string | null;
}

/** Whether a finished run of the task already has a numeric accuracy in the results folder (a container test: passed). */
export function alreadyScored(config: Config, task: Task): boolean {
  if (task.kind === 'container-test') return existsSync(containerTestMarker(config, task.config));
  const method = join(config.resultsDir, methodFolder(task));
  const prefix = runFolderPrefix(task);
  let runs: string[];
  try {
    runs = readdirSync(method).filter((name) => name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length)));
  } catch {
    return false;
  }
  return runs.some((run) => {
    try {
      const metrics = JSON.parse(readFileSync(join(method, run, 'metrics.json'), 'utf8')) as { accuracy?: unknown };
      return typeof metrics.accuracy === 'number';
    } catch {
      return false;
    }
  });
}

/**
 * Submits tasks, never twice: a task whose job is pending or running (found by its comment in
 * one squeue call, ledger or not) or that already scored is skipped unless `force`. Each job
 * is written to the ledger (fsync) as soon as sbatch answers; a job sbatch created just before
 * a crash is found by its comment next time and reconciled into the ledger. The first failure
 * stops the run: what was submitted stays submitted, and running the same plan again resumes.
 * With `dryRun`, every task is checked with `sbatch --test-only` and nothing is submitted.
 */
export async function submitTasks(
  slurm: Slurm,
  config: Config,
  tasks: readonly Task[],
  options: { ledgerFile: string; secretsFile: string; dryRun?: boolean; force?: boolean; onOutcome?: (o: TaskOutcome, index: number) => void },
): Promise<SubmitResult> {
  const outcomes: TaskOutcome[] = [];
  const report = (o: TaskOutcome) => {
    outcomes.push(o);
    options.onOutcome?.(o, outcomes.length - 1);
  };
  const queue = await slurm.jobs({ user: 'me' });
  if (!queue.ok) return { outcomes, stopped: `cannot list your jobs, so duplicates cannot be ruled out: ${queue.error.message}. Nothing was submitted; try again when squeue answers.` };
  const active = new Map<string, number>();
  for (const job of queue.value) if (job.comment?.startsWith('ptb1|')) active.set(job.comment, job.rawJobId);
  const ledger = readLedger(options.ledgerFile);
  const known = new Set(ledger.map((e) => `${e.key}#${e.jobId}`));
  for (const [key, jobId] of active) {
    if (known.has(`${key}#${jobId}`)) continue;
    const task = tasks.find((t) => taskKey(t) === key);
    if (task && !options.dryRun) appendLedger(options.ledgerFile, { at: new Date().toISOString(), key, task, jobId, script: '', reconciled: true } satisfies LedgerEntry);
  }

  let first = true;
  const slots = throttleSlots(tasks, config);
  for (const [index, task] of tasks.entries()) {
    const key = taskKey(task);
    if (!options.force && active.has(key)) {
      report({ task, status: 'skipped', reason: 'active', jobId: active.get(key) ?? null });
      continue;
    }
    if (!options.force && alreadyScored(config, task)) {
      report({ task, status: 'skipped', reason: 'scored', jobId: null });
      continue;
    }
    const dir = experimentDir(config, task.experiment);
    const logsDir = join(dir, 'logs');
    const script = join(dir, 'scripts', `${upstreamSafe(key.slice('ptb1|'.length).split('|').filter(Boolean).join('__'))}.sbatch`);
    let text: string;
    try {
      text = renderBatchScript(task, config, { logsDir, secretsFile: options.secretsFile, slot: slots[index] ?? null });
      mkdirSync(logsDir, { recursive: true });
      writeFileAtomic(script, text, { mode: 0o644, dirMode: 0o755 });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      report({ task, status: 'failed', message });
      return { outcomes, stopped: `${message}. Nothing more was submitted.` };
    }
    if (options.dryRun) {
      const check = await slurm.testSubmit({ payload: { script }, comment: key });
      if (!check.ok) {
        report({ task, status: 'failed', message: check.error.message });
        return { outcomes, stopped: `Slurm would refuse it: ${check.error.message}` };
      }
      report({ task, status: 'checked', script, startTime: check.value.startTime });
      continue;
    }
    // Every task has the same resource shape but for the GPU count: check the first with --test-only.
    const submitted = await slurm.submit({ payload: { script }, comment: key }, { precheck: first });
    first = false;
    if (!submitted.ok) {
      report({ task, status: 'failed', message: submitted.error.message });
      const done = outcomes.filter((o) => o.status === 'submitted').length;
      return { outcomes, stopped: `Slurm refused it: ${submitted.error.message}. ${done} job(s) were submitted and recorded; fix the cause and run the same plan again to submit the rest (submitted ones are skipped).` };
    }
    appendLedger(options.ledgerFile, { at: new Date().toISOString(), key, task, jobId: submitted.value.jobId, script });
    report({ task, status: 'submitted', jobId: submitted.value.jobId, script });
  }
  return { outcomes, stopped: null };
}

