import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import { methodFolder, type Task } from '../plan/task.js';
import { formatUsd, readRunSpend, type Price } from '../run/spend.js';

const median = (sorted: readonly number[]): number => {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

/** The known API costs of the runs in the results folder's method folders that `own` accepts. */
function knownCosts(config: Config, own: (method: string) => boolean, model: string | null, prices: Readonly<Record<string, Price>>): number[] {
  let methods: string[];
  try {
    methods = readdirSync(config.resultsDir).filter(own);
  } catch {
    return [];
  }
  const costs: number[] = [];
  for (const method of methods) {
    let runs: string[];
    try {
      runs = readdirSync(join(config.resultsDir, method));
    } catch {
      continue;
    }
    for (const run of runs) {
      const usd = readRunSpend(join(config.resultsDir, method, run), model, prices).usd;
      if (usd !== null) costs.push(usd);
    }
  }
  return costs;
}

/**
 * The known API costs of earlier runs of one agent configuration at one budget (and GPU count), in
 * any experiment: the method folders `<agent>_<config>_<hours>h[_<n>gpu]<experiment>` of the results folder.
 */
export function earlierCosts(config: Config, task: Task): number[] {
  const prefix = methodFolder({ ...task, experiment: '' });
  const own = (method: string) => {
    const rest = method.slice(prefix.length);
    // `_1h` is not `_10h`, nor a multi-GPU run of the same budget.
    return method.startsWith(prefix) && (rest === '' || (rest.startsWith('_') && !/^_\d+gpu/.test(rest)));
  };
  return knownCosts(config, own, task.config, config.prices ?? {}).sort((a, b) => a - b);
}

/**
 * What a plan's agent runs may cost in API fees, from the earlier runs of each configuration: the
 * median per run times the tasks, with the range and how many runs it rests on; said plainly where
 * there is no history. Null for a plan without agent runs.
 */
export function apiEstimate(
  tasks: readonly Task[],
  config: Config,
  costsOf: (t: Task) => number[] = (t) => earlierCosts(config, t),
): { lines: string[]; expectedUsd: number | null } | null {
  const groups = new Map<string, { task: Task; count: number }>();
  for (const t of tasks) {
    if (t.kind !== 'agent') continue;
    const key = methodFolder({ ...t, experiment: '' });
    const g = groups.get(key) ?? { task: t, count: 0 };
    g.count += 1;
    groups.set(key, g);
  }
  if (groups.size === 0) return null;
  let low = 0;
  let mid = 0;
  let high = 0;
  let covered = 0;
  let based = 0;
  const lines: string[] = [];
  for (const { task, count } of groups.values()) {
    const costs = costsOf(task);
    const what = `${task.agent}/${task.config} x ${task.hours}h${task.gpus > 1 ? ` x ${task.gpus} GPUs` : ''}`;
    if (costs.length === 0) {
      lines.push(`  ${what}: ${count} task(s), no earlier run with a known API cost: no estimate`);
      continue;
    }
    const [min, max, m] = [costs[0] ?? 0, costs[costs.length - 1] ?? 0, median(costs)];
    low += min * count;
    mid += m * count;
    high += max * count;
    covered += count;
    based += costs.length;
    lines.push(`  ${what}: ${count} task(s) x ${formatUsd(m)} (median of ${costs.length} earlier run(s), ${formatUsd(min)}-${formatUsd(max)})`);
  }
  const total = [...groups.values()].reduce((n, g) => n + g.count, 0);
  const head =
    covered === 0
      ? `expected API spend: unknown (no earlier runs of these configurations have a known cost)`
      : `expected API spend: ~${formatUsd(mid)} (${formatUsd(low)}-${formatUsd(high)}) for ${covered} of ${total} agent task(s), from ${based} earlier run(s)${covered < total ? `; ${total - covered} task(s) without history` : ''}`;
  return { lines: [head, ...lines], expectedUsd: covered === 0 ? null : mid };
}

/** The known API spend of one experiment's agent runs so far (its method folders end with its name). */
export function experimentSpent(config: Config, experiment: string): number {
  if (experiment === '') return 0;
  // `..._10h_run1` or `..._10h_2gpu_run1`, not another experiment whose name ends the same (`_test_run1`).
  const own = new RegExp(`(\\d+h|_\\d+gpu)${experiment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  return knownCosts(config, (m) => own.test(m), null, {}).reduce((sum, usd) => sum + usd, 0);
}

/** Whether a plan's expected spend would take its experiment past the configuration's limit: the warning, or null. */
export function budgetWarning(config: Config, expectedUsd: number | null): string | null {
  const limit = config.spendLimitUsd;
  if (limit === undefined || expectedUsd === null) return null;
  const spent = experimentSpent(config, config.experimentName);
  if (spent + expectedUsd <= limit) return null;
  return `the plan's expected API spend (~${formatUsd(expectedUsd)}) and the ${formatUsd(spent)} ${config.experimentName} has spent pass its limit of ${formatUsd(limit)} (spendLimitUsd)`;
}
