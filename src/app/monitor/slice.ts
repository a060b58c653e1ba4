import type { RunSpend } from '../../run/spend.js';
import type { StateCreator } from 'zustand/vanilla';
import { filterSteps, rowsOf, visibleRows, type GridRow, type QuickFilter, type SortKey } from '../../monitor/grid.js';
import type { LogTab } from '../../monitor/log-tabs.js';
import type { PtbJob } from '../../monitor/ptb-job.js';

/** The job monitor's data (pushed by the monitor session) and its screen state. */
export interface MonitorSlice {
  jobs: PtbJob[];
  /** The grid's rows: `jobs` filtered, sorted and grouped, computed once per change of those (views and keys read it). */
  rows: GridRow[];
  /** The query `rows` answer: while one is typed it may be behind `filter` for a moment (see followQuery). */
  rowsFilter: string;
  /** Whether sacct gave final states; `disabled`: settled from the ledger and the results. */
  accounting: 'ok' | 'disabled' | 'failed' | null;
  accountingError: string | null;
  /** The experiment's known API spend against the configuration's spendLimitUsd; null without a limit. */
  budget: { usd: number; limit: number; experiment: string } | null;
  selectedId: string | null;
  marked: string[];
  filter: string;
  filtering: boolean;
  quick: QuickFilter;
  sort: SortKey;
  groupArrays: boolean;
  /** The job whose details are open, with what `scontrol show job` said (null while asking or gone). */
  details: { id: string; fields: Record<string, string> | null; note: string | null; spend: RunSpend | null } | null;
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

export interface MonitorState {
  monitor: MonitorSlice;
  updateMonitor: (change: (m: MonitorSlice) => Partial<MonitorSlice>) => void;
  logs: LogsSlice;
  updateLogs: (change: (l: LogsSlice) => Partial<LogsSlice>) => void;
  shell: ShellSlice | null;
  setShell: (change: (s: ShellSlice | null) => ShellSlice | null) => void;
}

export const createMonitorState: StateCreator<MonitorState, [], [], MonitorState> = (set) => ({
  monitor: {
    jobs: [],
    rows: [],
    rowsFilter: '',
    accounting: null,
    accountingError: null,
    budget: null,
    selectedId: null,
    marked: [],
    filter: '',
    filtering: false,
    quick: 'all',
    sort: 'state',
    groupArrays: true,
    details: null,
    confirm: null,
    message: null,
    acting: false,
  },
  updateMonitor: (change) =>
    set((state) => {
      const patch = change(state.monitor);
      // A look at Slurm where nothing changed (the tracker hands out the same list) is no change of the store: no frame.
      if ((Object.keys(patch) as (keyof MonitorSlice)[]).every((k) => Object.is(patch[k], state.monitor[k]))) return state;
      return { monitor: withRows(state.monitor, { ...state.monitor, ...patch }) };
    }),
  logs: {
    open: false,
    full: false,
    tab: 'output.log',
    jobId: null,
    path: null,
    missing: null,
    exists: false,
    deleted: false,
    lines: [],
    skippedBytes: 0,
    restarted: false,
    scroll: 0,
    wrap: false,
    phase: null,
    silence: null,
    search: '',
    searching: false,
  },
  updateLogs: (change) => set((state) => ({ logs: { ...state.logs, ...change(state.logs) } })),
  shell: null,
  setShell: (change) => set((state) => ({ shell: change(state.shell) })),
});

/**
 * The rows again only when what they are made of changed: a key that moves the selection costs no
 * filter or sort. A key typed into the query changes the query alone: its text shows at once and
 * followQuery brings the rows after it, so that typing fast searches once per pause, for the last query.
 */
export function withRows(prev: MonitorSlice, next: MonitorSlice): MonitorSlice {
  const sameData =
    prev.jobs === next.jobs && prev.quick === next.quick && prev.sort === next.sort && prev.groupArrays === next.groupArrays && prev.rows === next.rows;
  if (sameData && (next.rowsFilter === next.filter || next.filtering)) return next;
  return rowsNow(next);
}

const rowsNow = (m: MonitorSlice): MonitorSlice => ({ ...m, rows: visibleRows(m.jobs, m), rowsFilter: m.filter });

/**
 * Brings the monitor's rows up to the query being typed, after the frame that shows the key. The
 * search runs in steps (filterSteps) with the event loop free between them: a key typed meanwhile
 * is shown at once, and a search whose query is no longer the one typed stops for the new one (the
 * last query wins).
 */
export function followQuery(store: {
  getState: () => MonitorState;
  setState: (change: (s: MonitorState) => Partial<MonitorState>) => void;
  subscribe: (listener: (s: MonitorState) => void) => () => void;
}): () => void {
  type Search = { filter: string; jobs: MonitorSlice['jobs']; quick: MonitorSlice['quick']; steps: ReturnType<typeof filterSteps> };
  let search: Search | null = null;
  let scheduled = false;
  const step = () => {
    scheduled = false;
    const m = store.getState().monitor;
    if (m.rowsFilter === m.filter) {
      search = null;
      return;
    }
    if (!search || search.filter !== m.filter || search.jobs !== m.jobs || search.quick !== m.quick)
      search = { filter: m.filter, jobs: m.jobs, quick: m.quick, steps: filterSteps(m.jobs, m.quick, m.filter) };
    const next = search.steps.next();
    if (!next.done) {
      scheduled = true;
      setImmediate(step);
      return;
    }
    const done = search;
    search = null;
    store.setState((s) =>
      s.monitor.filter === done.filter && s.monitor.jobs === done.jobs && s.monitor.quick === done.quick
        ? { monitor: { ...s.monitor, rows: rowsOf(next.value, s.monitor), rowsFilter: done.filter } }
        : {},
    );
  };
  return store.subscribe((state) => {
    if (scheduled || state.monitor.rowsFilter === state.monitor.filter) return;
    scheduled = true;
    setImmediate(step);
  });
}
