import type { AppStore } from '../store/app-store.js';
import type { OverviewSnapshot } from './overview.js';

export interface Poller {
  /** Refresh now (unless a refresh is running), then resume the normal rhythm. */
  refreshNow: () => void;
  stop: () => void;
}

export const MAX_BACKOFF_MS = 60_000;

/**
 * Next delay: the normal interval while Slurm answers; doubling per consecutive failure,
 * up to a minute, so that a struggling controller is not hammered.
 */
export function nextDelay(intervalMs: number, consecutiveFailures: number): number {
  if (consecutiveFailures === 0) return intervalMs;
  return Math.min(MAX_BACKOFF_MS, intervalMs * 2 ** consecutiveFailures);
}

/**
 * Polls the overview outside React and pushes each result into the store. Never runs two
 * rounds at once: a slow Slurm delays the next round instead of stacking calls.
 */
export function startOverviewPoller(load: () => Promise<OverviewSnapshot>, store: AppStore, options: { intervalMs: number }): Poller {
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let stopped = false;
  let failures = 0;

  const schedule = (delay: number) => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => void tick(), delay);
    store.getState().setRefreshing(false, new Date(Date.now() + delay));
  };

  const tick = async () => {
    if (running || stopped) return;
    running = true;
    store.getState().setRefreshing(true);
    try {
      const snapshot = await load();
      if (stopped) return;
      store.getState().applyOverview(snapshot);
      failures = snapshot.partitionsError || snapshot.jobsError ? failures + 1 : 0;
    } finally {
      running = false;
    }
    schedule(nextDelay(options.intervalMs, failures));
  };

  void tick();
  return {
    refreshNow: () => {
      if (!running) void tick();
    },
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
