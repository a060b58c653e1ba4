import type { RunSpend } from '../../run/spend.js';
import type { StateCreator } from 'zustand/vanilla';
import { visibleRows, type GridRow, type QuickFilter, type SortKey } from '../../monitor/grid.js';
import type { LogTab } from '../../monitor/log-tabs.js';
import type { PtbJob } from '../../monitor/ptb-job.js';

/** The job monitor's data (pushed by the monitor session) and its screen state. */
export interface MonitorSlice {
  jobs: PtbJob[];
  /** The grid's rows: `jobs` filtered, sorted and grouped, computed once per change of those (views and keys read it). */
  rows: GridRow[];
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

/** The rows again only when what they are made of changed: a key that moves the selection costs no filter or sort. */
export function withRows(prev: MonitorSlice, next: MonitorSlice): MonitorSlice {
  const same =
    prev.jobs === next.jobs && prev.filter === next.filter && prev.quick === next.quick && prev.sort === next.sort && prev.groupArrays === next.groupArrays;
  return same && prev.rows === next.rows ? next : { ...next, rows: visibleRows(next.jobs, next) };
}
