import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import { containerTestMarker } from '../submit/experiment-dir.js';
import type { LedgerEntry } from '../submit/ledger.js';
import { isFinal } from '../monitor/ptb-job.js';
import { metricsAccuracy } from '../run/folder.js';
import { scoreLookup } from '../submit/submit-tasks.js';

/** The guide's trial order before a full submission: each step catches a different 12-hour waste. */
export type LadderStepName = 'container' | 'baseline' | 'smoke';

export interface LadderStep {
  name: LadderStepName;
  label: string;
  state: 'passed' | 'submitted' | 'not yet';
  /** The latest job of the step, when one was submitted. */
  jobId: number | null;
  /** The smoke step's: how many distinct agent tasks the experiment has submitted (more than one: a bigger run). */
  agentTasks?: number;
}

/** Any baseline in the results folder scored, whoever ran it (ptb or run_baseline.sh by hand). */
function someBaselineScored(config: Config): boolean {
  try {
    return readdirSync(join(config.resultsDir, 'baseline')).some((run) => metricsAccuracy(join(config.resultsDir, 'baseline', run, 'metrics.json')) !== null);
  } catch {
    return false;
  }
}

/**
 * Where the experiment stands on the ladder: a step passed when its result is there (the container
 * test's marker, a baseline's score, an agent run's score in this experiment), submitted when the
 * ledger has a job for it.
 */
export function ladderStatus(config: Config, ledger: readonly LedgerEntry[]): LadderStep[] {
  const latest = (match: (e: LedgerEntry) => boolean) => ledger.filter(match).at(-1)?.jobId ?? null;
  const state = (passed: boolean, jobId: number | null): LadderStep['state'] => (passed ? 'passed' : jobId !== null ? 'submitted' : 'not yet');
  const containerJob = latest((e) => e.task.kind === 'container-test' && e.task.config === config.containerName);
  const baselineJob = latest((e) => e.task.kind === 'baseline');
  const isSmoke = (e: LedgerEntry) => e.task.kind === 'agent' && e.task.experiment === config.experimentName;
  const smokeJob = latest(isSmoke);
  const smokeTasks = new Map(ledger.filter(isSmoke).map((e) => [e.key, e.task]));
  return [
    {
      name: 'container',
      label: `container test (${config.containerName}.sif)`,
      state: state(existsSync(containerTestMarker(config, config.containerName)), containerJob),
      jobId: containerJob,
    },
    { name: 'baseline', label: 'baseline', state: state(someBaselineScored(config), baselineJob), jobId: baselineJob },
    {
      name: 'smoke',
      label: 'smoke agent run',
      state: state([...smokeTasks.values()].some(scoreLookup(config)), smokeJob),
      jobId: smokeJob,
      agentTasks: smokeTasks.size,
    },
  ];
}

/** `container test passed | baseline submitted (job 12, no result yet) | smoke agent run not yet`: the steps, without the full run. */
export function ladderLine(guide: LadderGuide): string {
  return guide.rows
    .slice(0, -1)
    .map((r) => `${r.label} ${r.state}`)
    .join(' | ');
}

/** Before a plan bigger than a smoke run: what of the ladder has not passed, or null. */
export function ladderWarning(steps: readonly LadderStep[]): string | null {
  const open = steps.filter((s) => s.state !== 'passed');
  if (open.length === 0) return null;
  return `the trial ladder is not done (${open.map((s) => `${s.label}: ${s.state}`).join(', ')}); a mistake it would catch costs every job of this plan`;
}

/** The images a plan's agent runs use whose container test has not passed: each is a 12-hour risk. */
export function untestedImages(config: Config, images: readonly string[]): string[] {
  return images.filter((image) => !existsSync(containerTestMarker(config, image)));
}

/** The ladder as the overview shows it: the guide's four steps, each with its state, and the next thing to do. */
export interface LadderGuide {
  rows: { step: number; label: string; state: string }[];
  next: string;
}

/** The composer's key for each step's preset (4 opens the composer, enter reviews, s submits). */
const PRESET_KEY: Record<LadderStepName, string> = { container: 'c', baseline: 'b', smoke: 's' };

/**
 * `stateOf` gives a step's job's Slurm state when the monitor knows it: a job that ended without
 * the step passing is said so, with where to look, instead of "wait".
 */
export function ladderGuide(steps: readonly LadderStep[], stateOf: (jobId: number) => string | undefined = () => undefined): LadderGuide {
  const ended = (s: LadderStep): string | null => {
    const state = s.state === 'submitted' && s.jobId !== null ? stateOf(s.jobId) : undefined;
    return state && isFinal(state) ? state : null;
  };
  const rows = steps.map((s, i) => {
    const over = ended(s);
    const state = over
      ? `${over} (job ${s.jobId ?? '?'}), not passed`
      : s.state === 'submitted' && s.jobId !== null
        ? `submitted (job ${s.jobId}, no result yet)`
        : s.state;
    return { step: i + 1, label: s.label, state };
  });
  const open = steps.find((s) => s.state !== 'passed');
  const agentTasks = steps.find((s) => s.name === 'smoke')?.agentTasks ?? 0;
  const full = !open && agentTasks > 1;
  rows.push({
    step: steps.length + 1,
    label: 'full submission',
    state: open ? 'after the steps above' : full ? `submitted (${agentTasks} agent tasks in this experiment)` : 'ready',
  });
  const over = open ? ended(open) : null;
  const next = full
    ? 'next: 6 follows the runs (r resubmits a failure), 7 shows the scores and what they cost'
    : !open
      ? 'next: the full run: 4 composes, f picks it, enter reviews, s submits'
      : over
        ? `next: job ${open.jobId ?? '?'} ended ${over}: 6 shows why (enter, l); r on its row resubmits it once fixed`
        : open.state === 'submitted'
          ? `next: wait for job ${open.jobId ?? '?'}: 6 monitors it, l shows its log`
          : `next: ${open.label.replace(/ \(.*\)$/, '')}: 4 composes, ${PRESET_KEY[open.name]} picks it, enter reviews, s submits`;
  return { rows, next };
}
