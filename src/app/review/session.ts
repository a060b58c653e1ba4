import type { ConfigLocations } from '../../config/locations.js';
import type { Config } from '../../config/schema.js';
import type { Task } from '../../plan/task.js';
import type { Slurm } from '../../slurm/adapter.js';
import type { AppStore } from '../store.js';
import { describeHolder } from '../../submit/submit-lock.js';
import { submitTasks } from '../../submit/submit-tasks.js';
import { errorMessage } from '../../text/error-message.js';

/** Runs a submission for the Review screen, outside React; progress goes into the store. Never two at once. */
export function createSubmitSession(deps: { store: AppStore; slurm: Slurm; locations: ConfigLocations; ledgerFile: string }) {
  const { store } = deps;
  // The end of a submission; a stop is said in the status bar too, whatever screen is shown by then.
  const stop = (stopped: string | null) => {
    store.getState().updateSubmission((s) => (s ? { ...s, running: false, waiting: null, stopped } : s));
    if (stopped) store.getState().reportError(`submission stopped: ${stopped}`);
  };
  // Aborts a submission still waiting for another ptb's lock (never one already submitting).
  let waiting: AbortController | null = null;
  return {
    /** Forgets the last submission's progress (a new plan is being reviewed). */
    reset: () => {
      if (!store.getState().submission?.running) store.getState().updateSubmission(() => null);
    },
    start: (config: Config, tasks: readonly Task[], options: { dryRun: boolean; array: boolean; force: boolean }) => {
      if (store.getState().submission?.running) return;
      store.getState().updateSubmission(() => ({ running: true, dryRun: options.dryRun, total: tasks.length, outcomes: [], stopped: null, waiting: null }));
      const abort = new AbortController();
      waiting = abort;
      void submitTasks(deps.slurm, config, tasks, {
        ledgerFile: deps.ledgerFile,
        secretsFile: deps.locations.secrets,
        dryRun: options.dryRun,
        array: options.array,
        force: options.force,
        what: 'the review screen of ptb',
        signal: abort.signal,
        onWaiting: (holder) => store.getState().updateSubmission((s) => (s ? { ...s, waiting: `waiting: ${describeHolder(holder)}` } : s)),
        onAcquired: () => store.getState().updateSubmission((s) => (s ? { ...s, waiting: null } : s)),
        onOutcome: (o) => store.getState().updateSubmission((s) => (s ? { ...s, waiting: null, outcomes: [...s.outcomes, o] } : s)),
      })
        .then((result) => stop(result.stopped))
        .finally(() => {
          if (waiting === abort) waiting = null;
        })
        // A ledger that cannot be written (disk full, permissions) stops the run with its reason, never the screen.
        .catch((error: unknown) => stop(`${errorMessage(error)}; what was submitted before is in the queue`));
    },
    /** ptb quits: a submission still waiting for the lock gives up rather than submit later, with no screen. */
    stopWaiting: () => waiting?.abort(),
  };
}

export type SubmitSession = ReturnType<typeof createSubmitSession>;
