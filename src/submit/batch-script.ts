import { containerFor } from '../catalog/agent-configs.js';
import type { Config } from '../config/schema.js';
import { shellQuote } from '../process/shell-quote.js';
import { dirname } from 'node:path';
import { taskKey, taskTimeLimit, type Task } from '../plan/task.js';
import { containerTestMarker } from './experiment-dir.js';

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

/** #SBATCH lines carry no quoting: a value with whitespace, a quote or a newline cannot go there. */
function sbatchLine(flag: string, value: string): string {
  if (/[\s'"\\]/.test(value) || value === '') throw new Error(`--${flag} "${value}" cannot go into an #SBATCH line (it contains whitespace or a quote, or is empty)`);
  return `#SBATCH --${flag}=${value}`;
}

/**
 * The batch script of one task, equivalent to the guide's single_task.sbatch. Every value is
 * single-quoted; the API keys are not in it: it sources the user's 0600 secrets file when the
 * job starts, so neither `scontrol write batch_script` nor the file reveals them.
 * Throws only for a value an #SBATCH line cannot carry (callers check with `scriptProblem`).
 */
export function renderBatchScript(task: Task, config: Config, paths: ScriptPaths): string {
  const s = config.slurm;
  const q = shellQuote;
  const directives = [
    sbatchLine('job-name', jobName(task, paths.slot ?? null)),
    paths.slot !== undefined && paths.slot !== null ? sbatchLine('dependency', 'singleton') : '',
    sbatchLine('partition', s.partition),
    sbatchLine('gres', gresFor(s.gres, task.gpus)),
    s.constraint ? sbatchLine('constraint', s.constraint) : '',
    s.account ? sbatchLine('account', s.account) : '',
    s.qos ? sbatchLine('qos', s.qos) : '',
    sbatchLine('cpus-per-task', String(s.cpusPerTask * task.gpus)),
    sbatchLine('mem', s.mem),
    sbatchLine('time', taskTimeLimit(task, s.time)),
    s.tmp ? sbatchLine('tmp', s.tmp) : '',
    sbatchLine('output', `${paths.logsDir}/%j.out`),
    sbatchLine('error', `${paths.logsDir}/%j.err`),
    sbatchLine('chdir', config.checkout),
  ].filter(Boolean);
  const image = task.kind === 'container-test' ? task.config : task.kind === 'agent' ? containerFor(config, task.agent, task.config) : config.containerName;
  const exports = [
    'set -u',
    `export HOME=${q(s.home)}`,
    `export HF_HOME=${q(config.hfHome)}`,
    `export POST_TRAIN_BENCH_RESULTS_DIR=${q(config.resultsDir)}`,
    `export POST_TRAIN_BENCH_CONTAINERS_DIR=${q(config.containersDir)}`,
    `export POST_TRAIN_BENCH_CONTAINER_NAME=${q(image)}`,
  ];
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
  const run =
    task.kind === 'baseline'
      ? `exec bash src/baselines/run_baseline.sh ${q(task.eval)} ${q(task.model)} "$SLURM_JOB_ID"`
      : `exec bash src/run_task.sh ${q(task.eval)} ${q(task.agent)} ${q(task.model)} "$SLURM_JOB_ID" ${q(String(task.hours))} ${q(task.config)} ${q(String(task.gpus))}`;
  return [
    '#!/bin/bash',
    // The task key goes to Slurm as --comment on sbatch's argv: an #SBATCH line could not carry every value.
    `# PostTrainBench task written by ptb-slurm; its key: ${taskKey(task).replace(/[\r\n]/g, ' ')}`,
    ...directives,
    ...exports,
    `export POST_TRAIN_BENCH_EXPERIMENT_NAME=${q(task.experiment)}`,
    'export POST_TRAIN_BENCH_JOB_SCHEDULER=slurm',
    ...(s.scratch === 'tmpdir' ? ['# Scratch: the job\'s $TMPDIR (Slurm\'s per-job space) for every tool that honours it.', 'export TMPDIR="${TMPDIR:-/tmp}"'] : []),
    '# The API keys are read here, when the job starts, from the private file: never written into this script.',
    `SECRETS=${q(paths.secretsFile)}`,
    'if [ ! -r "$SECRETS" ]; then echo "ptb: cannot read the secrets file $SECRETS on $(hostname): the agents would have no API keys" >&2; exit 1; fi',
    'set -a',
    '. "$SECRETS"',
    'set +a',
    run,
    '',
  ].join('\n');
}
