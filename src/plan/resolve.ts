import { containerFor } from '../catalog/agent-configs.js';
import type { Config } from '../config/schema.js';
import { parseMemoryMb } from '../slurm/fields.js';
import { agentLimit } from './throttle.js';
import { taskKey, taskTimeLimit, timeLimitReason, type Task } from './task.js';

/**
 * What a task asks of the cluster, decided once from the task and the setup: the review shows
 * it, the batch script is written from it, and the ledger keeps it with the job.
 */
export interface Resolved {
  /** The image the run's agent (or the container test) runs in: POST_TRAIN_BENCH_CONTAINER_NAME. */
  image: string;
  gres: string;
  cpus: number;
  mem: string;
  /** `--tmp`; empty when the setup asks none. */
  tmp: string;
  timeLimit: string;
  /** How the time limit was made up, in words (the script's comment). */
  timeLimitReason: string;
}

/** A task of a plan with its key, what it resolved, and its throttle slot (see planTasks). */
export interface PlannedTask {
  task: Task;
  key: string;
  resolved: Resolved;
  slot: number | null;
}

/** GRES for a task: the configured one with the task's GPU count (`gpu:h100:1` → `gpu:h100:8`). */
export function gresFor(gres: string, gpus: number): string {
  return /:\d+$/.test(gres) ? gres.replace(/:\d+$/, `:${gpus}`) : `${gres}:${gpus}`;
}

/** What upstream's judge-only reruns ask for: no GPU, 4 CPUs, 81920 MB. */
const JUDGE_MEMORY_MB = 81920;

/** Upstream's one multi-GPU recipe with resources asks 512 GB for 8 GPUs: 64 GB a GPU, never less than the setup's. */
const MEMORY_PER_GPU_MB = 64 * 1024;

/**
 * A task's CPUs, memory and node-local disk: its recipe's, where commit.sh gives them; else the
 * setup's, scaled with the GPUs as upstream's multi-GPU recipe does (16 CPUs and 64 GB a GPU
 * there: CPUs times the GPUs, memory at least 64 GB a GPU). A recipe's disk needs nodes that
 * report TmpDisk: where the setup asks no `--tmp`, none is asked.
 */
export function taskResources(
  task: Pick<Task, 'gpus' | 'resources'>,
  slurm: Pick<Config['slurm'], 'cpusPerTask' | 'mem' | 'tmp'>,
): { cpus: number; mem: string; tmp: string } {
  const r = task.resources ?? {};
  const configured = parseMemoryMb(slurm.mem);
  // 0 is Slurm's "all the node's memory": nothing to scale.
  const scaled =
    configured !== null && configured > 0 && task.gpus > 1 && configured < MEMORY_PER_GPU_MB * task.gpus ? `${MEMORY_PER_GPU_MB * task.gpus}M` : slurm.mem;
  return {
    cpus: r.cpus ?? slurm.cpusPerTask * task.gpus,
    mem: r.memoryMb !== undefined ? `${r.memoryMb}M` : scaled,
    tmp: slurm.tmp === '' ? '' : (r.disk ?? slurm.tmp),
  };
}

export function resolveTask(task: Task, config: Config): Resolved {
  const settings = { time: config.slurm.time, hours: config.hours };
  const image = task.kind === 'container-test' ? task.config : task.kind === 'baseline' ? config.containerName : containerFor(config, task.agent, task.config);
  // Upstream evaluates on one GPU, whatever the agent had (its single_evaluation.sub asks for one).
  const asked = task.kind === 'eval-only' ? { gpus: 1 } : task;
  // Its judges run on no GPU, with 4 CPUs and 80 GB (rerun_judge.sub).
  const judging = task.kind === 'judge-only';
  return {
    image,
    gres: judging ? '' : gresFor(config.slurm.gres, asked.gpus),
    ...(judging ? { cpus: 4, mem: `${JUDGE_MEMORY_MB}M`, tmp: '' } : taskResources(asked, config.slurm)),
    timeLimit: taskTimeLimit(task, settings),
    timeLimitReason: timeLimitReason(task, settings),
  };
}

/**
 * Every task of a plan, resolved, with its throttle slot. Jobs of one slot share a job name and
 * `--dependency=singleton`, so Slurm runs one of them at a time: N slots, at most N at once, also
 * across submissions, since later ones reuse the same names. Slots count over the whole plan, in
 * its order: a task has the same slot whether it is reviewed, dry-run or submitted.
 */
export function planTasks(tasks: readonly Task[], config: Config): PlannedTask[] {
  const next = new Map<string, number>();
  return tasks.map((task) => {
    const limit = task.kind === 'agent' ? agentLimit(config, task.agent) : null;
    let slot: number | null = null;
    if (limit !== null) {
      const n = next.get(task.agent) ?? 0;
      next.set(task.agent, n + 1);
      slot = n % limit;
    }
    return { task, key: taskKey(task), resolved: resolveTask(task, config), slot };
  });
}
