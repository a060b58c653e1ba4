import { formatDuration, parseDuration } from '../slurm/duration.js';
/**
 * One job of the trial ladder: a PostTrainBench run (what `run_task.sh` or `run_baseline.sh` gets,
 * plus the experiment), or the guide's container test (`apptainer exec --nv IMAGE.sif nvidia-smi`).
 */
export interface Task {
  kind: TaskKind;
  /** Empty for a container test. */
  eval: string;
  model: string;
  /** Empty for a baseline and a container test. */
  agent: string;
  /** The agent configuration; for a container test, the image's name. */
  config: string;
  hours: number;
  gpus: number;
  experiment: string;
  /**
   * For an evaluation-only (or judge-only) rerun: the cluster id of the run (its EVAL_DIR) whose
   * saved model is evaluated (or whose trace is judged) again. Not part of the task's identity:
   * one rerun per cell at a time.
   */
  rerunOf?: number;
  /**
   * What upstream's recipe asks beyond the defaults (`request_memory` in MB, `request_cpus`,
   * `request_disk`), for a task from commit.sh. Not part of the task's identity (its key).
   */
  resources?: TaskResources;
}

export interface TaskResources {
  memoryMb?: number;
  cpus?: number;
  disk?: string;
}

/**
 * The task's identity, stable across runs: the ledger's key and the job's `--comment`, so that
 * a job submitted just before a crash is recognised in squeue afterwards.
 */
export function taskKey(t: Task): string {
  return ['ptb1', t.kind, t.eval, t.model, t.agent, t.config, String(t.hours), String(t.gpus), t.experiment].join('|');
}

export const TASK_KINDS = ['agent', 'baseline', 'container-test', 'eval-only', 'judge-only'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

/** The container test of an image: one GPU, a few minutes. */
export const containerTest = (image: string): Task => ({
  kind: 'container-test',
  eval: '',
  model: '',
  agent: '',
  config: image,
  hours: 0,
  gpus: 1,
  experiment: '',
});

/** A container test needs minutes: a short limit lets backfill start it beside long jobs. */
export const CONTAINER_TEST_TIME = '0:15:00';

/** The setup's time limit and the agent budget it was chosen for (`hours`, e.g. 12:00:00 for 10 h). */
export interface TimeSettings {
  time: string;
  hours: number;
}

/**
 * A task's Slurm time limit. An agent run of another budget than the setup's keeps the setup's
 * margin over the budget (12:00:00 for 10 h gives 3:00:00 for 1 h, 2-04:00:00 for 50 h), so that
 * a 50-hour run is not killed at 12 and a 1-hour smoke run is not held for 12.
 */
export function taskTimeLimit(t: Pick<Task, 'kind' | 'hours'>, settings: TimeSettings): string {
  if (t.kind === 'container-test') return CONTAINER_TEST_TIME;
  if (t.kind === 'eval-only' || t.kind === 'judge-only') return formatDuration(evalOnlySeconds(settings));
  if (t.kind !== 'agent' || t.hours === settings.hours) return settings.time;
  const configured = parseDuration(settings.time);
  if (configured === null || configured === undefined) return settings.time;
  const margin = Math.max(0, configured - settings.hours * 3600);
  return formatDuration(t.hours * 3600 + margin);
}

/**
 * An evaluation-only rerun gets what a whole run leaves after its agent (the setup's margin over
 * the budget, the grace aside), at least an hour: when it goes well the evaluation takes well under one.
 */
function evalOnlySeconds(settings: TimeSettings): number {
  const margin = (parseDuration(settings.time) ?? 0) - settings.hours * 3600 - AGENT_GRACE_SECONDS;
  return Math.max(3600, margin);
}

/** Upstream's agent timeout: the budget plus 5 minutes, then 30 s before the kill (`timeout --kill-after=30s "$((H*60+5))m"`). */
export const AGENT_GRACE_SECONDS = 5 * 60 + 30;

/** A margin under this leaves the judges and one evaluation attempt too little time: the run is killed unscored. */
export const MIN_AFTER_AGENT_SECONDS = 3600;

/**
 * How a task's time limit is made up, in words a batch script carries as a comment: the budget,
 * upstream's agent grace, and what is left for the judges and the evaluation (which may retry up
 * to 9 times, 8 h each at most, but takes well under an hour when it goes well).
 */
export function timeLimitReason(t: Pick<Task, 'kind' | 'hours'>, settings: TimeSettings): string {
  const limit = taskTimeLimit(t, settings);
  if (t.kind === 'container-test') return `${limit}: a container test takes minutes`;
  if (t.kind === 'baseline') return `${limit}: the setup's limit, for the evaluation of the untrained model`;
  if (t.kind === 'eval-only') return `${limit}: what the setup leaves a run after its agent (at least 1 h), for the evaluation alone`;
  if (t.kind === 'judge-only') return `${limit}: what the setup leaves a run after its agent (at least 1 h), for the judges alone`;
  const seconds = parseDuration(limit) ?? 0;
  const after = seconds - t.hours * 3600 - AGENT_GRACE_SECONDS;
  if (after < 0)
    return `${limit}: shorter than the ${t.hours} h budget and upstream's ${formatDuration(AGENT_GRACE_SECONDS)} agent grace: Slurm stops the agent early`;
  return `${limit} = the ${t.hours} h budget + ${formatDuration(AGENT_GRACE_SECONDS)} agent grace (upstream's timeout) + ${formatDuration(after)} for the judges and the evaluation (the setup's margin)`;
}

/** Tasks whose limit leaves the judges and evaluation too little time after the agent, as one warning; null when none. */
export function shortTimeLimits(planned: readonly { task: Pick<Task, 'kind' | 'hours'>; resolved: { timeLimit: string } }[]): string | null {
  const short = planned
    .filter((p) => p.task.kind === 'agent' && (parseDuration(p.resolved.timeLimit) ?? 0) - p.task.hours * 3600 - AGENT_GRACE_SECONDS < MIN_AFTER_AGENT_SECONDS)
    .map((p) => p.task);
  if (short.length === 0) return null;
  const budgets = [...new Set(short.map((t) => `${t.hours} h`))].join(', ');
  return `${short.length} task(s) (budget ${budgets}) leave less than an hour after the agent for the judges and the evaluation: raise the time limit in \`ptb setup\`, or a run may be killed before it is scored`;
}

export function parseTaskKey(key: string): Task | undefined {
  const [tag, kind, evalId, model, agent, config, hours, gpus, experiment] = key.split('|');
  if (tag !== 'ptb1' || !TASK_KINDS.includes(kind as TaskKind) || evalId === undefined || model === undefined) return undefined;
  return {
    kind: kind as TaskKind,
    eval: evalId,
    model,
    agent: agent ?? '',
    config: config ?? '',
    hours: Number(hours),
    gpus: Number(gpus),
    experiment: experiment ?? '',
  };
}

/** `tr '/:[]' '____'`, as upstream names result folders. */
export const upstreamSafe = (text: string): string => text.replace(/[/:[\]]/g, '_');

/** Upstream's method folder: `claude_claude-opus-4-6_1m__10h_run1` (a baseline: `baseline`). */
export function methodFolder(t: Task): string {
  if (t.kind === 'baseline') return 'baseline';
  return `${t.agent}_${upstreamSafe(t.config)}_${t.hours}h${t.gpus > 1 ? `_${t.gpus}gpu` : ''}${t.experiment}`;
}

/** The run folder's prefix, before the cluster id: `gsm8k_Qwen_Qwen3-1.7B-Base_`. */
export function runFolderPrefix(t: Task): string {
  const model = t.kind === 'baseline' ? t.model.replace(/[/:]/g, '_') : upstreamSafe(t.model);
  return `${t.eval}_${model}_`;
}

/** `gsm8k x Qwen3-1.7B-Base x claude/claude-opus-4-6 x 10h`. */
export function describeTask(t: Task): string {
  const model = t.model.split('/').pop() ?? t.model;
  if (t.kind === 'container-test') return `container test: ${t.config}.sif sees a GPU (nvidia-smi)`;
  if (t.kind === 'eval-only' || t.kind === 'judge-only')
    return `${t.eval} x ${model} x ${t.agent}/${t.config} x ${t.hours}h${t.gpus > 1 ? ` x ${t.gpus} GPUs` : ''}: ${t.kind === 'eval-only' ? 'evaluation' : 'judges'} only, of run ${t.rerunOf ?? '?'}`;
  return t.kind === 'baseline'
    ? `${t.eval} x ${model} (baseline)`
    : `${t.eval} x ${model} x ${t.agent}/${t.config} x ${t.hours}h${t.gpus > 1 ? ` x ${t.gpus} GPUs` : ''}`;
}

/**
 * The cluster id of the run folder a job writes into: its own id, or for an evaluation-only or
 * judge-only rerun the run it reruns (null when that is not known).
 */
export function runClusterId(t: Pick<Task, 'kind' | 'rerunOf'>, ownId: number | null): number | null {
  return t.kind === 'eval-only' || t.kind === 'judge-only' ? (t.rerunOf ?? null) : ownId;
}

/** The run's folder (upstream's EVAL_DIR): `<results>/<method>/<eval>_<model>_<cluster id>`. */
export function runDir(resultsDir: string, t: Task, clusterId: number): string {
  return `${resultsDir.replace(/\/+$/, '')}/${methodFolder(t)}/${runFolderPrefix(t)}${clusterId}`;
}
