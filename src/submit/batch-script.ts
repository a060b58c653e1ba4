import type { Config } from '../config/schema.js';
import { shellQuote } from '../process/shell-quote.js';
import { dirname } from 'node:path';
import type { PlannedTask } from '../plan/resolve.js';
import { runDir, type Task } from '../plan/task.js';
import { containerTestMarker } from './experiment-dir.js';

export interface ScriptPaths {
  logsDir: string;
  secretsFile: string;
}

/**
 * `ptb-gsm8k-claude`: recognisable in squeue; the exact task is in the comment. A throttled
 * task's name is its slot's (`ptb-gemini-slot3`), which `--dependency=singleton` counts on.
 */
export function jobName(task: Task, slot: number | null = null): string {
  if (slot !== null) return `ptb-${task.agent}-slot${slot}`;
  if (task.kind === 'container-test') return 'ptb-container-test';
  if (task.kind === 'eval-only') return `ptb-${task.eval}-evalonly`;
  if (task.kind === 'judge-only') return `ptb-${task.eval}-judge`;
  return `ptb-${task.eval}-${task.kind === 'baseline' ? 'baseline' : task.agent}`;
}

/** #SBATCH lines carry no quoting: a value with whitespace, a quote or a newline cannot go there. */
function sbatchLine(flag: string, value: string): string {
  if (/[\s'"\\]/.test(value) || value === '')
    throw new Error(`--${flag} "${value}" cannot go into an #SBATCH line (it contains whitespace or a quote, or is empty)`);
  return `#SBATCH --${flag}=${value}`;
}

/** The #SBATCH lines of a task (for an array, of its first task: all share agent, GPUs and limits). */
function directivesFor(p: PlannedTask, config: Config, paths: ScriptPaths, extra: { name: string; array?: string; singleton?: boolean }): string[] {
  const s = config.slurm;
  const r = p.resolved;
  return [
    sbatchLine('job-name', extra.name),
    extra.array ? sbatchLine('array', extra.array) : '',
    extra.singleton ? sbatchLine('dependency', 'singleton') : '',
    sbatchLine('partition', s.partition),
    // A judge-only rerun asks for no GPU.
    r.gres ? sbatchLine('gres', r.gres) : '',
    s.constraint ? sbatchLine('constraint', s.constraint) : '',
    s.account ? sbatchLine('account', s.account) : '',
    s.qos ? sbatchLine('qos', s.qos) : '',
    sbatchLine('cpus-per-task', String(r.cpus)),
    sbatchLine('mem', r.mem),
    sbatchLine('time', r.timeLimit),
    r.tmp ? sbatchLine('tmp', r.tmp) : '',
    ...(s.mailUser ? [sbatchLine('mail-type', 'END,FAIL'), sbatchLine('mail-user', s.mailUser)] : []),
    // %j is each job's own id, array tasks included: one log pattern for every kind of job.
    sbatchLine('output', `${paths.logsDir}/%j.out`),
    sbatchLine('error', `${paths.logsDir}/%j.err`),
    sbatchLine('chdir', config.checkout),
    `# Time limit ${r.timeLimitReason.replace(/[\r\n]/g, ' ')}.`,
  ].filter(Boolean);
}

/** The environment of a run, the image aside; then the keys, read from the private file when the job starts. */
function runEnvironment(config: Config, experiment: string, secretsFile: string): string[] {
  const q = shellQuote;
  return [
    `export POST_TRAIN_BENCH_EXPERIMENT_NAME=${q(experiment)}`,
    'export POST_TRAIN_BENCH_JOB_SCHEDULER=slurm',
    ...(config.slurm.scratch === 'tmpdir'
      ? ["# Scratch: the job's $TMPDIR (Slurm's per-job space) for every tool that honours it.", 'export TMPDIR="${TMPDIR:-/tmp}"']
      : []),
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

/** Upstream's evaluation-only script, in the checkout (`dev_utils/test_evaluation/`). */
export const EVAL_ONLY_SCRIPT = 'dev_utils/test_evaluation/run_only_evaluation.sh';

/** Upstream's judge-only script (v1.1 and qol): the judges again on a run's trace and task/, into `_rerun` files. */
export const JUDGE_ONLY_SCRIPT = 'src/disallowed_usage_judge/run_judge.sh';

/** run_task.sh (or run_baseline.sh, or the evaluation-only script) for one task; the cluster id is the job's own plain id. */
function runCommand(task: Task, config: Config): string {
  const q = shellQuote;
  if (task.kind === 'eval-only') {
    const evalDir = runDir(config.resultsDir, task, task.rerunOf ?? 0);
    return [
      // The script uses REPO_ROOT before it sets it, and RANDOM_UUID it never sets: both are given here.
      'export REPO_ROOT="$PWD"',
      'export RANDOM_UUID="$(cat /proc/sys/kernel/random/uuid)"',
      // It does nothing while metrics.json exists: the run it evaluates again has none (ptb checked before submitting).
      `exec bash ${EVAL_ONLY_SCRIPT} ${q(task.eval)} ${q(evalDir)} "$HOME" "$SLURM_JOB_ID"`,
    ].join('\n');
  }
  if (task.kind === 'judge-only') return `exec bash ${JUDGE_ONLY_SCRIPT} ${q(runDir(config.resultsDir, task, task.rerunOf ?? 0))}`;
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
export function renderBatchScript(p: PlannedTask, config: Config, paths: ScriptPaths): string {
  const q = shellQuote;
  const { task, key } = p;
  const directives = directivesFor(p, config, paths, { name: jobName(task, p.slot), singleton: p.slot !== null });
  const image = p.resolved.image;
  const exports = [...baseExports(config), `export POST_TRAIN_BENCH_CONTAINER_NAME=${q(image)}`];
  if (task.kind === 'container-test') {
    const marker = containerTestMarker(config, image);
    return [
      '#!/bin/bash',
      `# The guide's container test, written by ptb-slurm; its key: ${key.replace(/[\r\n]/g, ' ')}`,
      ...directives,
      ...exports,
      `apptainer exec --nv "$POST_TRAIN_BENCH_CONTAINERS_DIR/$POST_TRAIN_BENCH_CONTAINER_NAME.sif" nvidia-smi || exit $?`,
      "# The marker tells ptb (the composer's trial ladder) that this step passed.",
      `mkdir -p ${q(dirname(marker))} && echo "$SLURM_JOB_ID $(hostname) $(date -u +%Y-%m-%dT%H:%M:%SZ)" > ${q(marker)}`,
      '',
    ].join('\n');
  }
  return [
    '#!/bin/bash',
    // The task key goes to Slurm as --comment on sbatch's argv: an #SBATCH line could not carry every value.
    `# PostTrainBench task written by ptb-slurm; its key: ${key.replace(/[\r\n]/g, ' ')}`,
    ...directives,
    ...exports,
    ...runEnvironment(config, task.experiment, paths.secretsFile),
    runCommand(task, config),
    '',
  ].join('\n');
}

/**
 * One script for many tasks of one agent (or of baselines): a job array whose task i runs the
 * plan's task i, from the manifest in the script itself (a `case` on SLURM_ARRAY_TASK_ID, every
 * value single-quoted). Each array task is a job of its own: CLUSTER_ID is its own
 * SLURM_JOB_ID, as upstream's aggregators need. `limit` becomes the array's `%N` throttle.
 */
export function renderArrayScript(members: readonly PlannedTask[], config: Config, paths: ScriptPaths & { manifest: string; limit: number | null }): string {
  const head = members[0];
  if (!head) throw new Error('an array needs at least one task');
  const first = head.task;
  const q = shellQuote;
  const name = first.kind === 'baseline' ? 'ptb-array-baseline' : `ptb-array-${first.agent}`;
  const range = `0-${members.length - 1}${paths.limit !== null ? `%${paths.limit}` : ''}`;
  const arms = members.map(({ task: t, resolved }, i) => {
    const values = t.kind === 'baseline' ? [t.eval, t.model] : [t.eval, t.agent, t.model, String(t.hours), t.config, String(t.gpus)];
    return `  ${i}) set -- ${values.map(q).join(' ')}; export POST_TRAIN_BENCH_CONTAINER_NAME=${q(resolved.image)} ;;`;
  });
  const run =
    first.kind === 'baseline'
      ? 'exec bash src/baselines/run_baseline.sh "$1" "$2" "$SLURM_JOB_ID"'
      : 'exec bash src/run_task.sh "$1" "$2" "$3" "$SLURM_JOB_ID" "$4" "$5" "$6"';
  return [
    '#!/bin/bash',
    `# A PostTrainBench job array written by ptb-slurm: ${members.length} task(s), listed in ${paths.manifest.replace(/[\r\n]/g, ' ')}`,
    ...directivesFor(head, config, paths, { name, array: range }),
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
