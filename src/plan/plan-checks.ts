import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { acceptedGpus, gpuAccepted, type Checkout } from '../checkout/detect.js';
import { dotEnvFile } from '../checkout/dot-env.js';
import { GENERATION_TITLES } from '../checkout/generation.js';
import { credentialsForRuns, isKnownKey, silentAgents } from '../config/agent-needs.js';
import type { Config } from '../config/schema.js';
import { formatDuration, parseDuration } from '../slurm/duration.js';
import type { Partition } from '../slurm/sinfo.js';
import type { PlannedTask } from './resolve.js';
import { taskTimeLimit, type Task, type TimeSettings } from './task.js';

/** How to store missing keys: the wizard asks for those it knows; a newer name goes into the file by hand. */
export function keyFix(missing: readonly string[], secretsFile: string): string {
  const unknown = missing.filter((k) => !isKnownKey(k));
  return [
    unknown.length < missing.length ? 'Type them in `ptb setup` (step 5)' : '',
    unknown.length > 0
      ? `add ${unknown.map((k) => `${k}=...`).join(', ')} to ${secretsFile} by hand (a line each; ptb setup asks only for the keys it knows, and keeps these)`
      : '',
  ]
    .filter(Boolean)
    .join('; ');
}

/** A note for the agents of a plan for which ptb found no key or auth file to check (null when there are none). */
export function silentAgentsNote(tasks: readonly Task[], checkout: Pick<Checkout, 'credentials'> | null): string | null {
  const silent = silentAgents(
    tasks.filter((t) => t.kind === 'agent').map((t) => t.agent),
    checkout?.credentials,
  );
  if (silent.length === 0) return null;
  return `ptb found no key or auth file that ${silent.map((a) => `agents/${a}`).join(', ')} log(s) in with (their api_keys.json and solve.sh name none, and ptb's table does not know them): if they need one, make sure the runs get it before they spend their GPU slot`;
}

/** GPU-hours a set of tasks may take: each holds its GPUs for its whole time limit. */
export function gpuHours(tasks: readonly Pick<Task, 'gpus' | 'kind' | 'hours'>[], settings: TimeSettings): number {
  return tasks.reduce((sum, t) => sum + ((parseDuration(taskTimeLimit(t, settings)) ?? 0) / 3600) * t.gpus, 0);
}

export const timeSettings = (config: Config): TimeSettings => ({ time: config.slurm.time, hours: config.hours });

/** `1.5` under 10, whole numbers above: a 10-minute test should not read "0 GPU-hours". */
export const formatHours = (h: number): string => (h < 10 ? String(Math.round(h * 10) / 10) : String(Math.round(h)));

const limitHours = (p: PlannedTask): number => ((parseDuration(p.resolved.timeLimit) ?? 0) / 3600) * p.task.gpus;

/** `56 task(s), up to 672 GPU-hours (12:00:00 each)`. */
export function planSummary(planned: readonly PlannedTask[]): string {
  const limits = [...new Set(planned.map((p) => p.resolved.timeLimit))];
  return `${planned.length} task(s), up to ${formatHours(planned.reduce((sum, p) => sum + limitHours(p), 0))} GPU-hours (${limits.join(' or ')} each)`;
}

/** The images the agent tasks run in, each once. */
export function planContainers(planned: readonly PlannedTask[]): string[] {
  return [...new Set(planned.filter((p) => p.task.kind === 'agent').map((p) => p.resolved.image))];
}

/**
 * What would make these tasks fail on the node, each with its fix: a key the agents (or the
 * contamination judge) need and that is not stored, a subscription agent's auth file, an image
 * that is not built (the agent's, and those the checkout's scripts name, such as the evaluation's
 * `vllm_debug.sif`: without it a run spends its budget, then fails). Baselines need no key.
 */
export function planBlockers(
  planned: readonly PlannedTask[],
  config: Config,
  stored: { keys: readonly string[]; secretsFile: string },
  checkout: Pick<Checkout, 'images' | 'generation' | 'credentials'> | null = null,
): string[] {
  const blockers: string[] = [];
  const tasks = planned.map((p) => p.task);
  const runs = tasks.some((t) => t.kind === 'agent' || t.kind === 'baseline');
  if (runs && checkout?.generation.readsDotEnv && !existsSync(dotEnvFile(config.checkout))) {
    blockers.push(
      `${dotEnvFile(config.checkout)} is missing: this checkout (${GENERATION_TITLES[checkout.generation.id]}) stops every job without it. \`ptb setup\` writes one with the setup's paths and no key (the keys a job gets from ptb win over .env).`,
    );
  }
  const named = new Map<string, string>();
  if (tasks.some((t) => t.kind === 'agent')) for (const image of checkout?.images.run ?? []) named.set(image, 'src/run_task.sh');
  if (tasks.some((t) => t.kind === 'baseline'))
    for (const image of checkout?.images.baseline ?? []) if (!named.has(image)) named.set(image, 'src/baselines/run_baseline.sh');
  for (const [image, script] of named) {
    const sif = join(config.containersDir, `${image}.sif`);
    if (!existsSync(sif))
      blockers.push(
        `${sif} is missing: the checkout's ${script} runs every task in it too (a run would spend its budget, then fail). Build it with \`bash containers/build_container.sh ${image}\`, or point the containers folder at where it is (\`ptb setup\`).`,
      );
  }
  for (const image of new Set(tasks.filter((t) => t.kind === 'container-test').map((t) => t.config))) {
    const sif = join(config.containersDir, `${image}.sif`);
    if (!existsSync(sif))
      blockers.push(
        `${sif} is missing: build it with \`bash containers/build_container.sh ${image}\` before testing it, or point the containers folder at where it is (\`ptb setup\`).`,
      );
  }
  const agentRuns = planned.filter((p) => p.task.kind === 'agent');
  const agentTasks = agentRuns.map((p) => p.task);
  if (agentTasks.length === 0) return blockers;
  const needs = credentialsForRuns(agentTasks, checkout?.credentials);
  const missing = needs.keys.filter((k) => !stored.keys.includes(k));
  if (missing.length > 0)
    blockers.push(
      `no ${missing.join(', ')} in ${stored.secretsFile}; the agents (and the contamination judge) need them. ${keyFix(missing, stored.secretsFile)}.`,
    );
  for (const file of needs.authFiles)
    if (!existsSync(join(config.checkout, file))) {
      const judges = checkout?.credentials.everyRun.authFiles.includes(file)
        ? "the checkout's judges log in with it on every run, whatever the agent"
        : 'the subscription agent logs in with it';
      blockers.push(
        `${join(config.checkout, file)} is missing: ${judges} (log in with the agent CLI, e.g. \`codex login --device-auth\`, and copy the file there; see agents/*/README in the checkout).`,
      );
    }
  for (const container of planContainers(agentRuns)) {
    const sif = join(config.containersDir, `${container}.sif`);
    if (existsSync(sif)) continue;
    const users = [...new Set(agentRuns.filter((p) => p.resolved.image === container).map((p) => `${p.task.agent}/${p.task.config}`))];
    const build = `${sif} is missing (the image of ${users.join(', ')}): build it with \`bash containers/build_container.sh ${container}\``;
    blockers.push(
      container === config.containerName
        ? `${build}, or point the containers folder at where it is (\`ptb setup\`).`
        : `${build}, or run ${users.length > 1 ? 'them' : 'it'} in your default image with "containers": {"${users[0]}": "${config.containerName}"} in the configuration.`,
    );
  }
  return blockers;
}

/**
 * Tasks whose time limit the partition does not allow. Slurm takes such a job (sbatch exits 0)
 * and, where EnforcePartLimits is not set, leaves it PENDING (PartitionTimeLimit) for ever: a 50 h
 * budget on a 24 h partition would wait in the queue instead of failing. Null when all fit, or
 * when sinfo did not say (its own failure is reported elsewhere).
 */
export function partitionTimeBlocker(planned: readonly PlannedTask[], config: Config, partitions: readonly Partition[] | null): string | null {
  const partition = partitions?.find((p) => p.name === config.slurm.partition);
  const max = partition?.maxTimeSeconds;
  if (!partition || max === null || max === undefined) return null;
  const tooLong = planned.map((p) => ({ t: p.task, seconds: parseDuration(p.resolved.timeLimit) ?? 0 })).filter((x) => x.seconds > max);
  if (tooLong.length === 0) return null;
  const longest = Math.max(...tooLong.map((x) => x.seconds));
  const hours = [...new Set(tooLong.map((x) => `${x.t.hours} h`))].join(', ');
  return `${tooLong.length} task(s) need up to ${formatDuration(longest)} (budget ${hours} plus the setup's margin), longer than partition ${partition.name} allows (${formatDuration(max)}): Slurm would keep them PENDING (PartitionTimeLimit) for ever. Choose fewer hours, or a partition with a longer limit (\`ptb setup\`).`;
}

/**
 * A plan whose GPUs the checkout's CUDA check refuses (upstream's wants "H100" in a GPU's name):
 * every run would stop before its agent starts. Read from the setup's GRES type, else from the
 * GPU types sinfo gives the partition; null when they fit or nothing tells.
 */
export function gpuModelBlocker(config: Config, partitions: readonly Partition[] | null, required: string | null): string | null {
  if (!required) return null;
  const fits = (type: string) => gpuAccepted(type, required);
  const wanted = acceptedGpus(required);
  const asked = /^gpu:([^:]+):\d+$/.exec(config.slurm.gres)?.[1];
  const fix = `choose an ${wanted} partition or GRES type in \`ptb setup\`, or change the checkout's src/utils/check_cuda*.py first (its results then differ from the leaderboard's)`;
  if (asked)
    return fits(asked)
      ? null
      : `the setup asks for ${config.slurm.gres}, and the checkout's CUDA check (src/utils/check_cuda.py) stops every run on a node without an ${wanted} before its agent starts: ${fix}.`;
  const types = (partitions?.find((p) => p.name === config.slurm.partition)?.gpus ?? []).map((g) => g.type).filter((t): t is string => t !== null);
  if (types.length === 0 || types.some(fits)) return null;
  return `partition ${config.slurm.partition} has ${types.join(', ')} GPUs, no ${wanted}: the checkout's CUDA check (src/utils/check_cuda.py) stops every run there before its agent starts; ${fix}.`;
}
