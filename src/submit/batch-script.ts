import { containerFor } from '../catalog/agent-configs.js';
import type { Config } from '../config/schema.js';
import { shellQuote } from '../process/shell-quote.js';
import { dirname } from 'node:path';
import { taskKey, taskTimeLimit, timeLimitReason, type Task } from '../plan/task.js';
import { containerTestMarker } from './experiment-dir.js';
import { parseMemoryMb } from '../slurm/fields.js';

export interface ScriptPaths {
  logsDir: string;
  secretsFile: string;
  /** The task's throttle slot (see throttle.ts), if its agent is limited. */
  slot?: number | null;
}

/**
 * `ptb-gsm8k-claude`: recognisable in squeue; the exact task is in the comment. A throttled
 * task's name is its slot's (`ptb-gemini-slot3`), which `--dependency=singleton` counts on.
 */
export function jobName(task: Task, slot: number | null = null): string {
  if (slot !== null) return `ptb-${task.agent}-slot${slot}`;
  if (task.kind === 'container-test') return 'ptb-container-test';
  return `ptb-${task.eval}-${task.kind === 'baseline' ? 'baseline' : task.agent}`;
}

/** GRES for a task: the configured one with the task's GPU count (`gpu:h100:1` → `gpu:h100:8`). */
export function gresFor(gres: string, gpus: number): string {
  return /:\d+$/.test(gres) ? gres.replace(/:\d+$/, `:${gpus}`) : `${gres}:${gpus}`;
}

/** Upstream's one multi-GPU recipe with resources asks 512 GB for 8 GPUs: 64 GB a GPU, never less than the setup's. */
const MEMORY_PER_GPU_MB = 64 * 1024;

/**
 * A task's CPUs, memory and node-local disk: its recipe's, where commit.sh gives them; else the
 * setup's, scaled with the GPUs as upstream's multi-GPU recipe does (16 CPUs and 64 GB a GPU
 * there: CPUs times the GPUs, memory at least 64 GB a GPU). A recipe's disk needs nodes that
 * report TmpDisk: where the setup asks no `--tmp`, none is asked.
 */
export function taskResources(task: Pick<Task, 'gpus' | 'resources'>, slurm: Pick<Config['slurm'], 'cpusPerTask' | 'mem' | 'tmp'>): { cpus: number; mem: string; tmp: string } {
  const r = task.resources ?? {};
  const configured = parseMemoryMb(slurm.mem);
  // 0 is Slurm's "all the node's memory": nothing to scale.
  const scaled = configured !== null && configured > 0 && task.gpus > 1 && configured < MEMORY_PER_GPU_MB * task.gpus ? `${MEMORY_PER_GPU_MB * task.gpus}M` : slurm.mem;
  return {
    cpus: r.cpus ?? slurm.cpusPerTask * task.gpus,
    mem: r.memoryMb !== undefined ? `${r.memoryMb}M` : scaled,
    tmp: slurm.tmp === '' ? '' : (r.disk ?? slurm.tmp),
  };
}

/** #SBATCH lines carry no quoting: a value with whitespace, a quote or a newline cannot go there. */
function sbatchLine(flag: string, value: string): string {
  if (/[\s'"\\]/.test(value) || value === '') throw new Error(`--${flag} "${value}" cannot go into an #SBATCH line (it contains whitespace or a quote, or is empty)`);
  return `#SBATCH --${flag}=${value}`;
}

/** The #SBATCH lines of a task (for an array, of its first task: all share agent, GPUs and limits). */
function directivesFor(task: Task, config: Config, paths: ScriptPaths, extra: { name: string; array?: string }): string[] {
  const s = config.slurm;
  const resources = taskResources(task, s);
  return [
    sbatchLine('job-name', extra.name),
    extra.array ? sbatchLine('array', extra.array) : '',
    paths.slot !== undefined && paths.slot !== null ? sbatchLine('dependency', 'singleton') : '',
    sbatchLine('partition', s.partition),
    sbatchLine('gres', gresFor(s.gres, task.gpus)),
    s.constraint ? sbatchLine('constraint', s.constraint) : '',
    s.account ? sbatchLine('account', s.account) : '',
    s.qos ? sbatchLine('qos', s.qos) : '',
    sbatchLine('cpus-per-task', String(resources.cpus)),
    sbatchLine('mem', resources.mem),
    sbatchLine('time', taskTimeLimit(task, { time: s.time, hours: config.hours })),
    resources.tmp ? sbatchLine('tmp', resources.tmp) : '',
    // %j is each job's own id, array tasks included: one log pattern for every kind of job.
    sbatchLine('output', `${paths.logsDir}/%j.out`),
    sbatchLine('error', `${paths.logsDir}/%j.err`),
    sbatchLine('chdir', config.checkout),
    `# Time limit ${timeLimitReason(task, { time: s.time, hours: config.hours }).replace(/[\r\n]/g, ' ')}.`,
  ].filter(Boolean);
}

/** The image a task runs in. */
function imageOf(task: Task, config: Config): string {
  return task.kind === 'container-test' ? task.config : task.kind === 'agent' ? containerFor(config, task.agent, task.config) : config.containerName;
}

/** The environment of a run, the image aside; then the keys, read from the private file when the job starts. */
function runEnvironment(config: Config, experiment: string, secretsFile: string): string[] {
  const q = shellQuote;
  return [
    `export POST_TRAIN_BENCH_EXPERIMENT_NAME=${q(experiment)}`,
    'export POST_TRAIN_BENCH_JOB_SCHEDULER=slurm',
    ...(config.slurm.scratch === 'tmpdir' ? ['# Scratch: the job\'s $TMPDIR (Slurm\'s per-job space) for every tool that honours it.', 'export TMPDIR="${TMPDIR:-/tmp}"'] : []),
    '# The API keys are read here, when the job starts, from the private file: never written into this script.',
    `SECRETS=${q(secretsFile)}`,
    'if [ ! -r "$SECRETS" ]; then echo "ptb: cannot read the secrets file $SECRETS on $(hostname): the agents would have no API keys" >&2; exit 1; fi',
    'set -a',
    '. "$SECRETS"',
    'set +a',
  ];
}

function baseExports(config: Config): string[] {
  const q = shellQuote;
  return [
    'set -u',
    // The job got only the variables its --export named; a step run inside it (srun) gets all of the job's.
    'export SLURM_EXPORT_ENV=ALL',
    `export HOME=${q(config.slurm.home)}`,
    `export HF_HOME=${q(config.hfHome)}`,
    `export POST_TRAIN_BENCH_RESULTS_DIR=${q(config.resultsDir)}`,
    `export POST_TRAIN_BENCH_CONTAINERS_DIR=${q(config.containersDir)}`,
  ];
}

/** run_task.sh (or run_baseline.sh) for one task; the cluster id is the job's own plain id. */
function runCommand(task: Task): string {
  const q = shellQuote;
  return task.kind === 'baseline'
    ? `exec bash src/baselines/run_baseline.sh ${q(task.eval)} ${q(task.model)} "$SLURM_JOB_ID"`
    : `exec bash src/run_task.sh ${q(task.eval)} ${q(task.agent)} ${q(task.model)} "$SLURM_JOB_ID" ${q(String(task.hours))} ${q(task.config)} ${q(String(task.gpus))}`;
}

/**
 * The batch script of one task, equivalent to the guide's single_task.sbatch. Every value is
 * single-quoted; the API keys are not in it: it sources the user's 0600 secrets file when the
 * job starts, so neither `scontrol write batch_script` nor the file reveals them.
 * Throws only for a value an #SBATCH line cannot carry (callers check with `scriptProblem`).
 */
export function renderBatchScript(task: Task, config: Config, paths: ScriptPaths): string {
  const q = shellQuote;
  const directives = directivesFor(task, config, paths, { name: jobName(task, paths.slot ?? null) });
  const image = imageOf(task, config);
  const exports = [...baseExports(config), `export POST_TRAIN_BENCH_CONTAINER_NAME=${q(image)}`];
  if (task.kind === 'container-test') {
    const marker = containerTestMarker(config, image);
    return [
      '#!/bin/bash',
      `# The guide's container test, written by ptb-slurm; its key: ${taskKey(task).replace(/[\r\n]/g, ' ')}`,
      ...directives,
      ...exports,
      `apptainer exec --nv "$POST_TRAIN_BENCH_CONTAINERS_DIR/$POST_TRAIN_BENCH_CONTAINER_NAME.sif" nvidia-smi || exit $?`,
      '# The marker tells ptb (the composer\'s trial ladder) that this step passed.',
      `mkdir -p ${q(dirname(marker))} && echo "$SLURM_JOB_ID $(hostname) $(date -u +%Y-%m-%dT%H:%M:%SZ)" > ${q(marker)}`,
      '',
    ].join('\n');
  }
  return [
    '#!/bin/bash',
    // The task key goes to Slurm as --comment on sbatch's argv: an #SBATCH line could not carry every value.
    `# PostTrainBench task written by ptb-slurm; its key: ${taskKey(task).replace(/[\r\n]/g, ' ')}`,
    ...directives,
    ...exports,
    ...runEnvironment(config, task.experiment, paths.secretsFile),
    runCommand(task),
    '',
  ].join('\n');
}

/**
 * One script for many tasks of one agent (or of baselines): a job array whose task i runs the
 * plan's task i, from the manifest in the script itself (a `case` on SLURM_ARRAY_TASK_ID, every
 * value single-quoted). Each array task is a job of its own: CLUSTER_ID is its own
 * SLURM_JOB_ID, as upstream's aggregators need. `limit` becomes the array's `%N` throttle.
 */
export function renderArrayScript(tasks: readonly Task[], config: Config, paths: ScriptPaths & { manifest: string; limit: number | null }): string {
  const first = tasks[0];
  if (!first) throw new Error('an array needs at least one task');
  const q = shellQuote;
  const name = first.kind === 'baseline' ? 'ptb-array-baseline' : `ptb-array-${first.agent}`;
  const range = `0-${tasks.length - 1}${paths.limit !== null ? `%${paths.limit}` : ''}`;
  const arms = tasks.map((t, i) => {
    const values = t.kind === 'baseline' ? [t.eval, t.model] : [t.eval, t.agent, t.model, String(t.hours), t.config, String(t.gpus)];
    return `  ${i}) set -- ${values.map(q).join(' ')}; export POST_TRAIN_BENCH_CONTAINER_NAME=${q(imageOf(t, config))} ;;`;
  });
  const run = first.kind === 'baseline' ? 'exec bash src/baselines/run_baseline.sh "$1" "$2" "$SLURM_JOB_ID"' : 'exec bash src/run_task.sh "$1" "$2" "$3" "$SLURM_JOB_ID" "$4" "$5" "$6"';
  return [
    '#!/bin/bash',
    `# A PostTrainBench job array written by ptb-slurm: ${tasks.length} task(s), listed in ${paths.manifest.replace(/[\r\n]/g, ' ')}`,
    ...directivesFor(first, config, paths, { name, array: range }),
    ...baseExports(config),
    'case "${SLURM_ARRAY_TASK_ID:-}" in',
    ...arms,
    '  *) echo "ptb: this array has no task ${SLURM_ARRAY_TASK_ID:-(none)}" >&2; exit 2 ;;',
    'esac',
    ...runEnvironment(config, first.experiment, paths.secretsFile),
    run,
    '',
  ].join('\n');
}
