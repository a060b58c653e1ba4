import type { Config } from '../config/schema.js';
import type { SetupRequest } from '../setup/setup-request.js';
import type { PlanningContext } from './compose/planning.js';
import type { LogSession } from './monitor/log-session.js';
import type { MonitorSession } from './monitor/session.js';
import type { ShellSession } from './monitor/shell-session.js';
import type { PreflightSession } from './preflight/session.js';
import type { ResultsSession } from './results/session.js';
import type { SubmitSession } from './review/session.js';
import type { AppStore } from './store.js';

/** What the TUI's keys and screens use to reach the world: the store, and the sessions that do the I/O. */
export interface AppServices {
  store: AppStore;
  refresh: () => void;
  /** Starts the overview's poller if it is not running (it waits until the overview is shown). */
  ensurePolling: () => void;
  preflight: PreflightSession;
  submit: SubmitSession;
  monitor: MonitorSession;
  logs: LogSession;
  shell: ShellSession;
  results: ResultsSession;
  /** Gives the terminal to an interactive program (a pager) and brings the UI back afterwards. */
  suspend: (task: () => Promise<void>) => void;
  /** The saved configuration as it is now, or null when there is none valid. */
  currentConfig: () => Config | null;
  /** The poller's rhythm: `+`/`-` step the interval, pause stops all polling. */
  polling: { step: (direction: 1 | -1) => void; togglePause: () => void };
  /** Reads the configuration, checkout, stored key names and ladder for the composer. */
  loadPlanning: () => PlanningContext | null;
  /** Gathers what the wizard needs (the saved setup, sinfo); absent where the TUI cannot open the wizard. */
  requestSetup?: () => Promise<SetupRequest>;
  /** Leaves the TUI. */
  exit: () => void;
}
