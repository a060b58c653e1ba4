import type { Config } from '../config/schema.js';
import { runClusterId, runDir } from '../plan/task.js';
import { formatUsd, readRunSpend, type RunSpend } from '../run/spend.js';
import type { PtbJob } from './ptb-job.js';

/** An agent job's API spend, from its run folder once it has one (the folder's name needs the job's own id). */
export function jobRunSpend(job: PtbJob, config: Config | null): RunSpend | null {
  const task = job.task;
  if (!config || !task || task.kind !== 'agent') return null;
  const clusterId = runClusterId(task, job.ownId);
  return clusterId === null ? null : readRunSpend(runDir(config.resultsDir, task, clusterId), task.config, config.prices ?? {});
}

/** What a group of jobs (one experiment, or one agent configuration in it) has cost so far. */
export interface SpendGroup {
  experiment: string;
  /** `claude/claude-sonnet-4-5`, `baseline`, `container test`, `evaluation reruns`, `judge reruns`. */
  what: string;
  jobs: number;
  /** GPUs x Slurm's elapsed time of every job, running ones so far. */
  gpuHours: number;
  /** The API cost of the agent runs whose cost is known, and how many runs it is of. */
  usd: number;
  knownRuns: number;
  /** Agent runs without a known cost (no folder yet, no cost in the trace, no price). */
  unknownRuns: number;
}

const groupOf = (job: PtbJob): string => {
  const t = job.task;
  if (!t) return 'unknown';
  switch (t.kind) {
    case 'agent':
      return `${t.agent}/${t.config}`;
    case 'container-test':
      return 'container test';
    case 'eval-only':
      return 'evaluation reruns';
    case 'judge-only':
      return 'judge reruns';
    default:
      return t.kind;
  }
};

/**
 * The spend of this setup's jobs, per experiment and per agent configuration (each experiment's
 * groups after its total, `what` = ''), the experiments in the order they were first submitted.
 * Reads each agent run's solve_out.txt.
 */
export function spendSummary(jobs: readonly PtbJob[], config: Config): SpendGroup[] {
  const groups = new Map<string, SpendGroup>();
  const add = (experiment: string, what: string, job: PtbJob, usd: number | null, agentRun: boolean) => {
    const key = `${experiment}\u0000${what}`;
    const g = groups.get(key) ?? { experiment, what, jobs: 0, gpuHours: 0, usd: 0, knownRuns: 0, unknownRuns: 0 };
    g.jobs += 1;
    g.gpuHours += (job.elapsedSeconds / 3600) * (job.task?.gpus ?? 1);
    if (agentRun && usd !== null) {
      g.usd += usd;
      g.knownRuns += 1;
    } else if (agentRun) g.unknownRuns += 1;
    groups.set(key, g);
  };
  for (const job of [...jobs].reverse()) {
    const task = job.task;
    const experiment = task?.experiment ?? '';
    const agentRun = task?.kind === 'agent';
    const usd = jobRunSpend(job, config)?.usd ?? null;
    add(experiment, '', job, usd, agentRun);
    add(experiment, groupOf(job), job, usd, agentRun);
  }
  return [...groups.values()];
}

/** `$12.30 over 7 run(s), 2 unknown`, `none`, `unknown for 3 run(s)`. */
export function spendCell(g: SpendGroup): string {
  if (g.knownRuns === 0 && g.unknownRuns === 0) return '-';
  if (g.knownRuns === 0) return `unknown for ${g.unknownRuns} run(s)`;
  return `${formatUsd(g.usd)} over ${g.knownRuns} run(s)${g.unknownRuns ? `, ${g.unknownRuns} unknown` : ''}`;
}
