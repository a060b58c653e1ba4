import { createStore } from 'zustand/vanilla';
import type { Checkout } from '../checkout/detect.js';
import type { CheckResult } from '../preflight/check-result.js';
import type { ProbeProgress } from '../preflight/probe-job.js';
import type { PlanningContext } from './compose/planning.js';
import { composerReducer, type ComposerAction, type ComposerState } from './compose/composer.js';
import type { TaskOutcome } from '../submit/submit-tasks.js';
import type { OverviewSnapshot } from '../overview/snapshot.js';
import type { ControllerStatus } from '../slurm/controller.js';
import type { SlurmError } from '../slurm/errors.js';
import type { Partition } from '../slurm/sinfo.js';
import type { QueueJob } from '../slurm/squeue.js';
import type { TrackedJob } from '../monitor/job-tracker.js';
import type { LogTab } from '../logs/log-sources.js';
import type { ResultRow } from '../results/collect.js';
import type { Leaderboard } from '../results/leaderboard.js';
import { visibleRows, type GridRow, type QuickFilter, type SortKey } from '../monitor/grid.js';
import type { LadderStep } from '../results/ladder.js';
import { previousView, pushHistory, type View } from './navigation.js';
import type { SetupRequest } from '../setup/setup-request.js';

export type { View } from './navigation.js';

/** What the cluster looked like at the last successful look, and what went wrong since. */
export interface ClusterSlice {
  controller: ControllerStatus | null;
  partitions: Partition[] | null;
  jobs: QueueJob[] | null;
  /** When the data shown was read: it stays on screen while later reads fail. */
  dataAt: Date | null;
  error: SlurmError | null;
  errorSince: Date | null;
  refreshing: boolean;
  nextRefreshAt: Date | null;
  intervalMs: number;
  paused: boolean;
}

export interface UiSlice {
  view: View;
  /** The views before this one, for `esc` and the breadcrumb (no view twice). */
  history: View[];
  helpOpen: boolean;
  selectedJob: number;
  /** The command palette (`:`): what is typed, and the highlighted match. */
  palette: { text: string; selected: number } | null;
  /** The review asks "submit? y" and waits for the answer. */
  confirming: boolean;
  /** Work the user asked for and waits on (the setup being read before the wizard opens). */
  busy: string | null;
  /** The last thing that went wrong anywhere (Slurm, an action, a submission), kept after the view changes. */
  lastError: { text: string; at: Date } | null;
}

/** The Preflight screen's data, pushed by the preflight session (outside React). */
export interface PreflightSlice {
  results: CheckResult[];
  /** Ids of checks running now (`compute` while the probe job is out). */
  running: string[];
  probe: ProbeProgress | null;
  selected: number;
  /** Why preflight cannot run (no configuration), if it cannot. */
  unavailable: string | null;
}

/** A submission from the Review screen, pushed by the submit session. */
export interface SubmissionSlice {
  running: boolean;
  dryRun: boolean;
  total: number;
  outcomes: TaskOutcome[];
  stopped: string | null;
  /** Set while another ptb holds the setup's submission lock: who, as its lock says. */
  waiting: string | null;
}

/**
 * The review's screen state. In the store so that it survives the pager (the UI unmounts while it
 * runs); fresh each time the review is opened from another screen, so a forced mode never lingers.
 */
export interface ReviewSlice {
  selected: number;
  arrays: boolean;
  force: boolean;
  /** What went wrong showing the script in the pager, until the next key. */
  notice: string | null;
}

const FRESH_REVIEW: ReviewSlice = { selected: 0, arrays: false, force: false, notice: null };

/** The job monitor's data (pushed by the monitor session) and its screen state. */
export interface MonitorSlice {
  jobs: TrackedJob[];
  /** The grid's rows: `jobs` filtered, sorted and grouped, computed once per change of those (views and keys read it). */
  rows: GridRow[];
  /** Whether sacct gave final states; `disabled`: settled from the ledger and the results. */
  accounting: 'ok' | 'disabled' | 'failed' | null;
  accountingError: string | null;
  selectedId: string | null;
  marked: string[];
  filter: string;
  filtering: boolean;
  quick: QuickFilter;
  sort: SortKey;
  groupArrays: boolean;
  /** The job whose details are open, with what `scontrol show job` said (null while asking or gone). */
  details: { id: string; fields: Record<string, string> | null; note: string | null } | null;
  /** A question waiting for y: which action, on which jobs. */
  confirm: { action: 'cancel' | 'requeue' | 'resubmit'; ids: string[] } | null;
  message: { text: string; tone: 'ok' | 'error' } | null;
  /** An action (cancel, requeue, resubmit) is on its way to Slurm: no other is offered meanwhile. */
  acting: boolean;
}

/** The log pane under the monitor's grid: which file of which job, and what it shows (redacted). */
export interface LogsSlice {
  open: boolean;
  /** The pane takes the whole screen. */
  full: boolean;
  tab: LogTab;
  jobId: string | null;
  path: string | null;
  /** Why there is no file to show (the job has not started...). */
  missing: string | null;
  exists: boolean;
  /** The file was deleted while shown: `lines` are what it held. */
  deleted: boolean;
  lines: string[];
  skippedBytes: number;
  restarted: boolean;
  /** Lines up from the end; 0 follows the file. */
  scroll: number;
  wrap: boolean;
  phase: string | null;
  silence: string | null;
  /** Search within the log (the full-screen pane): the text, and whether it is being typed. */
  search: string;
  searching: boolean;
}

/** The results table, read from the results folder when the view opens (and on r). */
export interface ResultsSlice {
  rows: ResultRow[];
  board: Leaderboard | null;
  /** When the rows shown were read; null before the first read ends. */
  at: Date | null;
  /** Why nothing could be read (no configuration). */
  problem: string | null;
  selected: number;
  /** While the folder is read again: how far (what is shown meanwhile is the last read). */
  reading: { done: number; total: number } | null;
}

/** The shell pane: a program in a pseudo-terminal on a job's node, its screen as lines. */
export interface ShellSlice {
  jobId: string;
  command: string;
  lines: string[];
  cursorX: number;
  cursorY: number;
  /** Its exit code once it ended; the pane then waits for a key. */
  exited: number | null;
  /** Whether it has shown anything yet (a prompt): until then the pane says what it waits for. */
  printed: boolean;
}

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

export interface AppState {
  /** What the wizard (or the report of a broken configuration) is built from, once gathered. */
  setupRequest: SetupRequest | null;
  setSetupRequest: (request: SetupRequest | null) => void;
  /** A key's changes to the slices, merged as each slice's own setter would (see src/app/keys.ts). */
  applyPatch: (patch: StatePatch) => void;
  /** The trial ladder from the results and the ledger, read when the overview shows it; null without a configuration. */
  ladder: LadderStep[] | null;
  setLadder: (ladder: LadderStep[] | null) => void;
  shell: ShellSlice | null;
  setShell: (change: (s: ShellSlice | null) => ShellSlice | null) => void;
  results: ResultsSlice | null;
  setResults: (results: ResultsSlice | null) => void;
  logs: LogsSlice;
  updateLogs: (change: (l: LogsSlice) => Partial<LogsSlice>) => void;
  monitor: MonitorSlice;
  updateMonitor: (change: (m: MonitorSlice) => Partial<MonitorSlice>) => void;
  setPolling: (polling: { intervalMs: number; paused: boolean }) => void;
  /** Read when the composer opens: the configuration may have just been saved by the wizard. */
  planning: PlanningContext | null;
  setPlanning: (planning: PlanningContext | null) => void;
  compose: ComposerState | null;
  composeDispatch: (action: ComposerAction) => void;
  setCompose: (compose: ComposerState) => void;
  review: ReviewSlice;
  updateReview: (change: (r: ReviewSlice) => Partial<ReviewSlice>) => void;
  submission: SubmissionSlice | null;
  updateSubmission: (change: (s: SubmissionSlice | null) => SubmissionSlice | null) => void;
  preflight: PreflightSlice;
  updatePreflight: (change: (p: PreflightSlice) => Partial<PreflightSlice>) => void;
  checkout: Checkout | null;
  setCheckout: (checkout: Checkout | null) => void;
  cluster: ClusterSlice;
  ui: UiSlice;
  applyOverview: (snapshot: OverviewSnapshot) => void;
  setRefreshing: (refreshing: boolean, nextRefreshAt?: Date | null) => void;
  toggleHelp: () => void;
  /** Opens a view; the one left goes into the history. */
  setView: (view: View) => void;
  /** `esc`: the view before, else the overview. */
  back: () => void;
  setPalette: (palette: UiSlice['palette']) => void;
  setConfirming: (confirming: boolean) => void;
  setBusy: (busy: string | null) => void;
  reportError: (text: string) => void;
  moveSelection: (delta: number) => void;
}

export function createAppStore(initial: { checkout: Checkout | null; view?: View; setupRequest?: SetupRequest }) {
  return createStore<AppState>()((set) => ({
    setupRequest: initial.setupRequest ?? null,
    setSetupRequest: (setupRequest) => set({ setupRequest }),
    applyPatch: (patch) =>
      set((state) => {
        const next: Partial<AppState> = {};
        if (patch.ui) next.ui = { ...state.ui, ...patch.ui };
        if (patch.monitor) next.monitor = withRows(state.monitor, { ...state.monitor, ...patch.monitor });
        if (patch.logs) next.logs = { ...state.logs, ...patch.logs };
        if (patch.review) next.review = { ...state.review, ...patch.review };
        if (patch.compose) next.compose = patch.compose;
        if (patch.results) next.results = patch.results;
        if (patch.preflight) {
          const preflight = { ...state.preflight, ...patch.preflight };
          next.preflight = { ...preflight, selected: clamp(preflight.selected, preflight.results.length) };
        }
        return next;
      }),
    ladder: null,
    setLadder: (ladder) => set({ ladder }),
    shell: null,
    setShell: (change) => set((state) => ({ shell: change(state.shell) })),
    results: null,
    setResults: (results) => set({ results }),
    logs: { open: false, full: false, tab: 'output.log', jobId: null, path: null, missing: null, exists: false, deleted: false, lines: [], skippedBytes: 0, restarted: false, scroll: 0, wrap: false, phase: null, silence: null, search: '', searching: false },
    updateLogs: (change) => set((state) => ({ logs: { ...state.logs, ...change(state.logs) } })),
    monitor: { jobs: [], rows: [], accounting: null, accountingError: null, selectedId: null, marked: [], filter: '', filtering: false, quick: 'all', sort: 'state', groupArrays: true, details: null, confirm: null, message: null, acting: false },
    updateMonitor: (change) => set((state) => ({ monitor: withRows(state.monitor, { ...state.monitor, ...change(state.monitor) }) })),
    setPolling: (polling) => set((state) => ({ cluster: { ...state.cluster, ...polling } })),
    planning: null,
    setPlanning: (planning) => set({ planning }),
    compose: null,
    composeDispatch: (action) => set((state) => (state.compose ? { compose: composerReducer(state.compose, action) } : {})),
    // Another plan: the review's selection and modes were the old one's.
    setCompose: (compose) => set({ compose, review: FRESH_REVIEW }),
    review: FRESH_REVIEW,
    updateReview: (change) => set((state) => ({ review: { ...state.review, ...change(state.review) } })),
    submission: null,
    updateSubmission: (change) =>
      set((state) => {
        const submission = change(state.submission);
        const stopped = submission?.stopped && submission.stopped !== state.submission?.stopped ? submission.stopped : null;
        return { submission, ...(stopped ? { ui: withError(state.ui, `submission stopped: ${stopped}`) } : {}) };
      }),
    preflight: { results: [], running: [], probe: null, selected: 0, unavailable: null },
    updatePreflight: (change) =>
      set((state) => {
        const next = { ...state.preflight, ...change(state.preflight) };
        return { preflight: { ...next, selected: clamp(next.selected, next.results.length) } };
      }),
    checkout: initial.checkout,
    setCheckout: (checkout) => set({ checkout }),
    cluster: { controller: null, partitions: null, jobs: null, dataAt: null, error: null, errorSince: null, refreshing: false, nextRefreshAt: null, intervalMs: 5000, paused: false },
    ui: { view: initial.view ?? 'overview', history: [], helpOpen: false, selectedJob: 0, palette: null, confirming: false, busy: null, lastError: null },
    applyOverview: (snapshot) =>
      set((state) => {
        const error = snapshot.partitionsError ?? snapshot.jobsError;
        const prev = state.cluster;
        const jobs = snapshot.jobs ?? prev.jobs;
        return {
          cluster: {
            ...prev,
            controller: snapshot.controller ?? prev.controller,
            partitions: snapshot.partitions ?? prev.partitions,
            jobs,
            dataAt: error === null ? snapshot.at : prev.dataAt,
            error,
            errorSince: error === null ? null : (prev.errorSince ?? snapshot.at),
          },
          ui: {
            ...(error && error.message !== prev.error?.message ? withError(state.ui, `${error.command}: ${error.message}`, snapshot.at) : state.ui),
            selectedJob: clamp(state.ui.selectedJob, jobs?.length ?? 0),
          },
        };
      }),
    setRefreshing: (refreshing, nextRefreshAt) =>
      set((state) => ({ cluster: { ...state.cluster, refreshing, nextRefreshAt: nextRefreshAt === undefined ? state.cluster.nextRefreshAt : nextRefreshAt } })),
    toggleHelp: () => set((state) => ({ ui: { ...state.ui, helpOpen: !state.ui.helpOpen } })),
    setView: (view) => set((state) => ({ ui: { ...state.ui, view, history: pushHistory(state.ui.history, state.ui.view, view), helpOpen: false, palette: null, confirming: false }, review: reviewOn(state, view), compose: composeOn(state, view) })),
    back: () =>
      set((state) => {
        const { view, history } = previousView(state.ui.history);
        return { ui: { ...state.ui, view, history, helpOpen: false, palette: null, confirming: false }, review: reviewOn(state, view), compose: composeOn(state, view) };
      }),
    setPalette: (palette) => set((state) => ({ ui: { ...state.ui, palette } })),
    setConfirming: (confirming) => set((state) => ({ ui: { ...state.ui, confirming } })),
    setBusy: (busy) => set((state) => ({ ui: { ...state.ui, busy } })),
    reportError: (text) => set((state) => ({ ui: withError(state.ui, text) })),
    moveSelection: (delta) =>
      set((state) => ({ ui: { ...state.ui, selectedJob: clamp(state.ui.selectedJob + delta, state.cluster.jobs?.length ?? 0) } })),
  }));
}

export type AppStore = ReturnType<typeof createAppStore>;

/** The rows again only when what they are made of changed: a key that moves the selection costs no filter or sort. */
function withRows(prev: MonitorSlice, next: MonitorSlice): MonitorSlice {
  const same = prev.jobs === next.jobs && prev.filter === next.filter && prev.quick === next.quick && prev.sort === next.sort && prev.groupArrays === next.groupArrays;
  return same && prev.rows === next.rows ? next : { ...next, rows: visibleRows(next.jobs, next) };
}

function reviewOn(state: AppState, view: View): ReviewSlice {
  return view === 'review' && state.ui.view !== 'review' ? FRESH_REVIEW : state.review;
}

/** What the composer said is for the visit it was said in. */
function composeOn(state: AppState, view: View): ComposerState | null {
  return view === 'compose' && state.ui.view !== 'compose' && state.compose?.notice ? { ...state.compose, notice: null } : state.compose;
}

function withError(ui: UiSlice, text: string, at = new Date()): UiSlice {
  return { ...ui, lastError: { text, at } };
}

function clamp(index: number, length: number): number {
  return Math.max(0, Math.min(index, length - 1));
}
