import type { Checkout } from '../checkout/detect.js';
import type { Config } from '../config/schema.js';
import { shellWord } from '../process/shell-quote.js';
import { sbatchArgs } from '../slurm/sbatch.js';
import type { Partition } from '../slurm/sinfo.js';
import { jobUnits, unitBatchSpec, unitFiles, unitScript, type JobUnit } from './job-units.js';
import { setupIdentity } from './setup-identity.js';
import { gpuModelBlocker, partitionTimeBlocker, planBlockers, planSummary, silentAgentsNote } from '../plan/plan-checks.js';
import { expandPlan, type Plan, type PlanVocabulary } from '../plan/plan.js';
import { planTasks, type PlannedTask } from '../plan/resolve.js';
import { shortTimeLimits, type Task } from '../plan/task.js';
import { apiEstimate, budgetWarning } from '../results/cost-history.js';
import { errorMessage } from '../text/error-message.js';

/** What preparing a plan reads: the setup, its checkout, the stored key names, Slurm's partitions (null: unknown). */
export interface PlanInputs {
  config: Config;
  checkout: Checkout;
  vocabulary: PlanVocabulary;
  storedKeys: readonly string[];
  secretsFile: string;
  /** Why the secrets file cannot be used, with its fix: it blocks a plan with agent runs. */
  secretsProblem: string | null;
  partitions: readonly Partition[] | null;
  arrays: boolean;
}

/**
 * A plan made ready to submit, once: its tasks with what each resolved, the sbatch calls, what
 * blocks it (with the fix), the notes worth reading first and the summary. The review shows
 * it, `ptb submit` submits it, the dry run checks it.
 */
export type PreparedPlan =
  | { ok: false; problems: string[] }
  | {
      ok: true;
      tasks: Task[];
      planned: PlannedTask[];
      units: JobUnit[];
      blockers: string[];
      notes: string[];
      summary: string;
      /** The expected API spend, from earlier runs of the same configurations (null: no agent runs). */
      estimate: string[] | null;
    };

export function preparePlan(plan: Plan, inputs: PlanInputs): PreparedPlan {
  const { config, checkout } = inputs;
  const expanded = expandPlan(plan, inputs.vocabulary, config.experimentName);
  if (!expanded.ok) return expanded;
  const tasks = expanded.tasks;
  const planned = planTasks(tasks, config);
  const agents = tasks.some((t) => t.kind === 'agent');
  const timeBlocker = partitionTimeBlocker(planned, config, inputs.partitions);
  const gpuBlocker = tasks.some((t) => t.kind !== 'container-test') ? gpuModelBlocker(config, inputs.partitions, checkout.requiredGpu) : null;
  const blockers = [
    ...(inputs.secretsProblem && agents ? [inputs.secretsProblem] : []),
    ...planBlockers(planned, config, { keys: inputs.storedKeys, secretsFile: inputs.secretsFile }, checkout),
    ...(timeBlocker ? [timeBlocker] : []),
    ...(gpuBlocker ? [gpuBlocker] : []),
  ];
  const estimate = apiEstimate(tasks, config);
  const notes = [
    ...expanded.warnings,
    shortTimeLimits(planned),
    silentAgentsNote(tasks, checkout),
    budgetWarning(config, estimate?.expectedUsd ?? null),
  ].filter((n): n is string => n !== null);
  return {
    ok: true,
    tasks,
    planned,
    units: jobUnits(planned, config, inputs.arrays),
    blockers,
    notes,
    summary: planSummary(planned),
    estimate: estimate?.lines ?? null,
  };
}

/**
 * A unit as it will be submitted, before its files exist: the sbatch command line (the argv
 * `ptb submit` runs, `SCRIPT` and `MANIFEST` standing for the files it writes) and the script.
 * `exported`: the variables the job gets from this shell.
 */
export function unitPreview(unit: JobUnit, config: Config, secretsFile: string, exported: readonly string[]): { sbatch: string; script: string[] } {
  const files = unitFiles(unit, config, '<written when submitted>');
  const spec = unitBatchSpec(unit, config, setupIdentity(config), { script: 'SCRIPT', manifest: files.manifest ? 'MANIFEST' : null });
  const sbatch = ['sbatch', ...sbatchArgs(spec, 'submit', Object.fromEntries(exported.map((name) => [name, ''])))].map(shellWord).join(' ');
  try {
    return { sbatch, script: unitScript(unit, config, { secretsFile, logsDir: files.logsDir, manifest: files.manifest }).split('\n') };
  } catch (error) {
    return { sbatch, script: [`cannot write this task's script: ${errorMessage(error)}`] };
  }
}
