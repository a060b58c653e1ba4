import type { Config } from '../config/schema.js';
import type { Task } from '../plan/task.js';

/** Upstream runs at most 8 Gemini jobs at once (its API quota); the configuration can change or add limits. */
export const UPSTREAM_LIMITS: Readonly<Record<string, number>> = { gemini: 8 };

/** How many jobs of an agent may run at once; null when unlimited (a limit of 0 in the configuration). */
export function agentLimit(config: Pick<Config, 'throttle'>, agent: string): number | null {
  const limit = config.throttle?.[agent] ?? UPSTREAM_LIMITS[agent];
  return limit === undefined || limit <= 0 ? null : limit;
}

/**
 * The throttle slot of each task, in plan order, or null. Jobs of one slot share a job name and
 * `--dependency=singleton`, so Slurm runs one of them at a time: N slots, at most N at once, also
 * across submissions, since later ones reuse the same names.
 */
export function throttleSlots(tasks: readonly Task[], config: Pick<Config, 'throttle'>): (number | null)[] {
  const next = new Map<string, number>();
  return tasks.map((task) => {
    const limit = task.kind === 'agent' ? agentLimit(config, task.agent) : null;
    if (limit === null) return null;
    const n = next.get(task.agent) ?? 0;
    next.set(task.agent, n + 1);
    return n % limit;
  });
}
