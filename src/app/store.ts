import { createStore } from 'zustand/vanilla';
import type { Checkout } from '../checkout/detect.js';
import type { ComposerState } from './compose/composer.js';
import { createComposeState, type ComposeState } from './compose/slice.js';
import { createMonitorState, followQuery, withRows, type LogsSlice, type MonitorSlice, type MonitorState } from './monitor/slice.js';
import type { View } from './navigation.js';
import { createOverviewState, type OverviewState } from './overview/slice.js';
import { clampedPreflight, createPreflightState, type PreflightSlice, type PreflightState } from './preflight/slice.js';
import { createResultsState, type ResultsSlice, type ResultsState } from './results/slice.js';
import { createReviewState, type ReviewSlice, type ReviewState } from './review/slice.js';
import { createSetupState, type SetupState } from './setup/slice.js';
import type { SetupRequest } from '../setup/setup-request.js';
import { createUiState, type UiSlice, type UiState } from './ui-slice.js';

export type { View } from './navigation.js';
export type { ClusterSlice } from './overview/slice.js';
export type { UiSlice } from './ui-slice.js';
export type { PreflightSlice } from './preflight/slice.js';
export type { ReviewSlice, SubmissionSlice } from './review/slice.js';
export type { LogsSlice, MonitorSlice, ShellSlice } from './monitor/slice.js';
export type { ResultsSlice } from './results/slice.js';

/** The store's slices a key changes, as they become. */
export interface StatePatch {
  ui?: Partial<UiSlice>;
  monitor?: Partial<MonitorSlice>;
  logs?: Partial<LogsSlice>;
  review?: Partial<ReviewSlice>;
  compose?: ComposerState;
  preflight?: Partial<PreflightSlice>;
  results?: ResultsSlice;
}

/** The whole TUI's state: each screen's slice (in its folder), and what they share. */
export type AppState = UiState &
  OverviewState &
  SetupState &
  PreflightState &
  ComposeState &
  ReviewState &
  MonitorState &
  ResultsState & {
    /** A key's changes to the slices, merged as each slice's own setter would (see src/app/keys.ts). */
    applyPatch: (patch: StatePatch) => void;
  };

/** The slices combined, and a key's patch applied to them. */
export function createAppStore(initial: { checkout: Checkout | null; view?: View; setupRequest?: SetupRequest; site?: AppState['site'] }) {
  const store = createStore<AppState>()((...a) => {
    const [set] = a;
    return {
      ...createUiState(...a),
      ...createOverviewState(...a),
      ...createSetupState(...a),
      ...createPreflightState(...a),
      ...createComposeState(...a),
      ...createReviewState(...a),
      ...createMonitorState(...a),
      ...createResultsState(...a),
      applyPatch: (patch) =>
        set((state) => {
          const next: Partial<AppState> = {};
          if (patch.ui) next.ui = { ...state.ui, ...patch.ui };
          if (patch.monitor) next.monitor = withRows(state.monitor, { ...state.monitor, ...patch.monitor });
          if (patch.logs) next.logs = { ...state.logs, ...patch.logs };
          if (patch.review) next.review = { ...state.review, ...patch.review };
          if (patch.compose) next.compose = patch.compose;
          if (patch.results) next.results = patch.results;
          if (patch.preflight) next.preflight = clampedPreflight({ ...state.preflight, ...patch.preflight });
          return next;
        }),
    };
  });
  followQuery(store);
  store.setState((state) => ({
    checkout: initial.checkout,
    site: initial.site ?? null,
    setupRequest: initial.setupRequest ?? null,
    ui: { ...state.ui, view: initial.view ?? 'overview' },
  }));
  return store;
}

export type AppStore = ReturnType<typeof createAppStore>;
