import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import { describeTask, runClusterId, runDir, taskKey } from '../plan/task.js';
import { formatDuration } from '../slurm/duration.js';
import { experimentLogsDir } from '../submit/experiment-dir.js';
import type { PtbJob } from './ptb-job.js';
import { formatUsd, type RunSpend } from '../run/spend.js';

/** The Slurm fields worth a line in the details: the state first, the rest after the task's lines. */
const SLURM_FIRST = ['JobState', 'Reason', 'ExitCode', 'RunTime', 'TimeLimit', 'NodeList'];
const SLURM_LATER = ['SubmitTime', 'StartTime', 'EndTime', 'Partition', 'TRES', 'Restarts', 'WorkDir'];

/** `%j` and friends in a path as Slurm resolves them for this job. */
function resolveLogPath(pattern: string, job: PtbJob): string {
  const own = job.ownId !== null ? String(job.ownId) : job.id;
  return pattern
    .replace(/%j/g, own)
    .replace(/%A/g, String(job.arrayJobId ?? own))
    .replace(/%a/g, String(job.arrayIndex ?? ''));
}

/**
 * What `enter` shows about a job: Slurm's fields (from `scontrol show job` while Slurm still
 * knows the job, else the monitor's own record from squeue/sacct), the task, the logs, the run
 * folder, the batch script and the resubmission chain. Pure: the caller fetched `fields`.
 */
export function detailLines(
  job: PtbJob,
  config: Config | null,
  fields: Record<string, string> | null,
  chain: readonly string[],
  spend: RunSpend | null = null,
): [string, string][] {
  const lines: [string, string][] = [['job', `${job.id}${job.ownId !== null && String(job.ownId) !== job.id ? ` (own id ${job.ownId})` : ''}`]];
  if (fields) {
    for (const f of SLURM_FIRST) if (fields[f]) lines.push([f, fields[f] ?? '']);
  } else {
    lines.push([
      'state',
      `${job.state}${job.final === 'unknown' ? ' (left the queue; no accounting to say how)' : job.final === 'results' ? ' (from the run folder; no accounting)' : ''}`,
    ]);
    if (job.exitCode) lines.push(['exit code', `${job.exitCode.code}:${job.exitCode.signal}`]);
    lines.push(['elapsed', `${formatDuration(job.elapsedSeconds)}${job.limitSeconds ? ` of ${formatDuration(job.limitSeconds)}` : ''}`]);
    if (job.node) lines.push(['node', job.node]);
    if (job.startTime) lines.push(['started', job.startTime]);
    if (job.endTime) lines.push(['ended', job.endTime]);
  }
  if (job.diagnosis) lines.push(['diagnosis', job.diagnosis]);
  if (job.evidence) lines.push(['evidence', job.evidence]);
  if (job.action && job.action !== 'none') lines.push(['what to do', job.action]);
  if (job.task) {
    lines.push(['task', describeTask(job.task)], ['task key', taskKey(job.task)]);
    // Each GPU is held for the job's whole elapsed time, whatever the run did with it.
    const gpuHours = (job.elapsedSeconds / 3600) * job.task.gpus;
    lines.push(['GPU-hours', `${gpuHours.toFixed(2)} (${job.task.gpus} GPU x ${formatDuration(job.elapsedSeconds)} elapsed)`]);
    if (job.task.kind === 'agent') lines.push(['API spend', spend ? spendText(spend) : 'unknown until the run folder exists']);
    if (config) {
      const logs = join(experimentLogsDir(config, job.task.experiment), '%j');
      lines.push(['stdout', fields?.StdOut ?? resolveLogPath(`${logs}.out`, job)], ['stderr', fields?.StdErr ?? resolveLogPath(`${logs}.err`, job)]);
      const clusterId = runClusterId(job.task, job.ownId);
      if (job.task.kind !== 'container-test')
        lines.push([
          'EVAL_DIR',
          clusterId !== null ? runDir(config.resultsDir, job.task, clusterId) : 'known once the job starts (its own job id is the cluster id)',
        ]);
    }
  }
  if (job.script) lines.push(['batch script', job.script]);
  if (chain.length > 1) lines.push(['resubmissions', chain.join(' -> ')]);
  if (fields) for (const f of SLURM_LATER) if (fields[f]) lines.push([f, fields[f] ?? '']);
  return lines;
}

/** The resubmission chain through a job, oldest first: `12 -> 40 -> 57`. */
export function resubmissionChain(job: PtbJob, byId: (id: string) => PtbJob | undefined): string[] {
  const chain = [job.id];
  const seen = new Set(chain);
  for (let j = job; j.resubmitOf && !seen.has(j.resubmitOf);) {
    chain.unshift(j.resubmitOf);
    seen.add(j.resubmitOf);
    const prev = byId(j.resubmitOf);
    if (!prev) break;
    j = prev;
  }
  for (let j: PtbJob | undefined = job; j?.resubmittedAs && !seen.has(j.resubmittedAs); j = byId(j.resubmittedAs)) {
    chain.push(j.resubmittedAs);
    seen.add(j.resubmittedAs);
  }
  return chain;
}

/** `$1.23 (reported by the agent; 2,986,163 tokens in, 38,210 out)`. */
export function spendText(spend: RunSpend): string {
  const tokens =
    spend.inputTokens !== null || spend.outputTokens !== null
      ? `; ${(spend.inputTokens ?? 0).toLocaleString('en-US')} tokens in, ${(spend.outputTokens ?? 0).toLocaleString('en-US')} out`
      : '';
  return `${formatUsd(spend.usd)} (${spend.how}${tokens})`;
}
