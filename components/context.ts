import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { PlanningContext } from '../src/plan/planning-context.js';
import type { LadderStep } from '../src/plan/ladder.js';
import type { Config } from '../src/config/schema.js';
import type { LogSession } from '../src/logs/log-session.js';
import type { ShellSession } from '../src/monitor/shell-session.js';
import type { MonitorSession } from '../src/monitor/monitor-session.js';
import type { PreflightSession } from '../src/preflight/preflight-session.js';
import type { ResultsSession } from '../src/results/results-session.js';
import type { SubmitSession } from '../src/submit/submit-session.js';
import type { AppState, AppStore } from '../src/store/app-store.js';

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
  /** Reads where the experiment stands on the trial ladder (results, markers, ledger); null without a configuration. */
  loadLadder: () => LadderStep[] | null;
  /** Reads the configuration, checkout, stored key names and ladder for the composer. */
  loadPlanning: () => PlanningContext | null;
}

export const ServicesContext = createContext<AppServices | null>(null);

export function useServices(): AppServices {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('components must be rendered inside <ServicesContext.Provider>');
  return services;
}

/** Reads a slice of the app store; re-renders only when that slice changes. */
export function useAppState<T>(selector: (state: AppState) => T): T {
  return useStore(useServices().store, selector);
}
