import type { AppStore } from '../store.js';
import type { OverviewSnapshot } from '../../overview/snapshot.js';
import { errorMessage } from '../../text/error-message.js';

export interface Poller {
  /** Refresh now (unless a refresh is running), then resume the normal rhythm. */
  refreshNow: () => void;
  /** The normal interval, never under MIN_INTERVAL_MS; takes effect from the next look. */
  setIntervalMs: (ms: number) => void;
  /** Paused: no Slurm call at all until resumed (a refresh now still works). */
  setPaused: (paused: boolean) => void;
  stop: () => void;
}

export const MAX_BACKOFF_MS = 60_000;
export const MIN_INTERVAL_MS = 2_000;
/** A look that has not answered after this long says `refreshing...` on the status line. */
export const SLOW_LOOK_MS = 400;

/**
 * Next delay: the normal interval while Slurm answers; doubling per consecutive failure,
 * up to a minute, so that a struggling controller is not hammered.
 */
export function nextDelay(intervalMs: number, consecutiveFailures: number): number {
  if (consecutiveFailures === 0) return intervalMs;
  return Math.min(MAX_BACKOFF_MS, intervalMs * 2 ** consecutiveFailures);
}

/** `+`/`-` on the interval: 2, 3, 5, 10, 15, 30, 60 s. */
export function stepInterval(ms: number, direction: 1 | -1): number {
  const steps = [2, 3, 5, 10, 15, 30, 60].map((s) => s * 1000);
  const i = steps.findIndex((s) => s >= ms);
  const at = i === -1 ? steps.length - 1 : steps[i] === ms ? i : direction === 1 ? i - 1 : i;
  return steps[Math.max(0, Math.min(steps.length - 1, at + direction))] ?? ms;
}

/**
 * Polls the overview outside React and pushes each result into the store, then lets
 * `afterLoad` (the job monitor) use the same squeue listing. Never runs two rounds at once:
 * a slow Slurm delays the next round instead of stacking calls.
 */
export function startOverviewPoller(
  load: (look: { first: boolean; demanded: boolean }) => Promise<OverviewSnapshot>,
  store: AppStore,
  options: {
    intervalMs: number;
    /**
     * Reads what the listing means (files, accounting) and returns the store writes it makes: they
     * land with the overview's own, so that a look costs the screen one frame.
     */
    afterLoad?: (snapshot: OverviewSnapshot) => Promise<(() => void) | undefined>;
  },
): Poller {
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let stopped = false;
  let paused = false;
  let failures = 0;
  let first = true;
  let intervalMs = Math.max(MIN_INTERVAL_MS, options.intervalMs);
  store.getState().setPolling({ intervalMs, paused });

  const schedule = (delay: number) => {
    if (stopped) return;
    clearTimeout(timer);
    if (paused) {
      store.getState().setRefreshing(false, null);
      return;
    }
    timer = setTimeout(() => void tick(), delay);
    store.getState().setRefreshing(false, new Date(Date.now() + delay));
  };

  const tick = async (demanded = false) => {
    if (running || stopped) return;
    running = true;
    // Said only of a look that takes a while: a quick one would cost a frame to say it, and one to unsay it.
    const slow = setTimeout(() => store.getState().setRefreshing(true), SLOW_LOOK_MS);
    try {
      const snapshot = await load({ first, demanded });
      first = false;
      if (stopped) return;
      const monitorWrites = options.afterLoad ? await options.afterLoad(snapshot) : undefined;
      if (stopped) return;
      store.getState().applyOverview(snapshot);
      monitorWrites?.();
      failures = snapshot.partitionsError || snapshot.jobsError ? failures + 1 : 0;
    } catch (error) {
      // A file that cannot be read (a stale NFS handle) must not stop the poller, nor the screen.
      failures++;
      store.getState().applyOverview({
        at: new Date(),
        controller: null,
        partitions: null,
        partitionsError: null,
        jobs: null,
        jobsError: { kind: 'failed', command: 'ptb', message: `a look failed: ${errorMessage(error)}`, detail: '' },
      });
    } finally {
      clearTimeout(slow);
      running = false;
    }
    schedule(nextDelay(intervalMs, failures));
  };

  void tick();
  return {
    refreshNow: () => {
      if (!running) void tick(true);
    },
    setIntervalMs: (ms) => {
      intervalMs = Math.max(MIN_INTERVAL_MS, ms);
      store.getState().setPolling({ intervalMs, paused });
      if (!running) schedule(nextDelay(intervalMs, failures));
    },
    setPaused: (on) => {
      paused = on;
      store.getState().setPolling({ intervalMs, paused });
      if (!running) schedule(on ? 0 : nextDelay(intervalMs, failures));
    },
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
