import type { Config } from '../config/schema.js';

/** Upstream runs at most 8 Gemini jobs at once (its API quota); the configuration can change or add limits. */
export const UPSTREAM_LIMITS: Readonly<Record<string, number>> = { gemini: 8 };

/** How many jobs of an agent may run at once; null when unlimited (a limit of 0 in the configuration). */
export function agentLimit(config: Pick<Config, 'throttle'>, agent: string): number | null {
  const limit = config.throttle?.[agent] ?? UPSTREAM_LIMITS[agent];
  return limit === undefined || limit <= 0 ? null : limit;
}
