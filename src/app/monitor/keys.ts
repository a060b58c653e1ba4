import { cancellable, requeueable, resubmittable } from '../../monitor/job-actions.js';
import { actionTargets, QUICK_FILTERS, rowId, rowJob, SORT_KEYS } from '../../monitor/grid.js';
import type { PtbJob } from '../../monitor/ptb-job.js';
import { LOG_TABS, telltaleTab } from '../../monitor/log-tabs.js';
import { scrollToMatch } from '../../logs/log-window.js';
import { keyBytes } from '../../terminal/pty-shell.js';
import { commandFor, type Command, type InkKey } from '../keybindings.js';
import { lineStep } from '../line.js';
import type { LogsSlice, MonitorSlice, ShellSlice } from '../store.js';

export type MonitorAction = 'cancel' | 'requeue' | 'resubmit';

/** What a monitor key asks of the world: Slurm actions, files, the shell, the poller. */
export type MonitorEffect =
  | { kind: 'act'; action: MonitorAction; ids: string[] }
  | { kind: 'details'; id: string }
  | { kind: 'shell-open'; id: string }
  | { kind: 'shell-write'; bytes: string }
  | { kind: 'shell-close' }
  | { kind: 'log-pager'; path: string }
  | { kind: 'go'; view: 'results' }
  | { kind: 'back' }
  | { kind: 'poll-step'; direction: 1 | -1 }
  | { kind: 'poll-pause' };

export interface MonitorKeyState {
  monitor: MonitorSlice;
  logs: LogsSlice;
  shell: ShellSlice | null;
}

export interface MonitorStep {
  monitor?: Partial<MonitorSlice>;
  logs?: Partial<LogsSlice>;
  effects: MonitorEffect[];
}

const say = (text: string, tone: 'ok' | 'error' = 'error'): MonitorStep => ({ monitor: { message: { text, tone } }, effects: [] });
const none: MonitorStep = { effects: [] };

/**
 * A key on the monitor: the shell pane takes it first, then a question, the log search and the
 * filter being typed, then the screen's commands. `height` is the screen's body (for a page).
 */
export function monitorKey(state: MonitorKeyState, input: string, key: InkKey, height: number): MonitorStep {
  const { monitor: m, logs } = state;
  if (state.shell) {
    if (state.shell.exited !== null || commandFor(input, key, 'monitor', 'shell') === 'detach') return { effects: [{ kind: 'shell-close' }] };
    return { effects: [{ kind: 'shell-write', bytes: keyBytes(input, key) }] };
  }
  if (m.confirm) {
    const { action, ids } = m.confirm;
    if (commandFor(input, key, 'monitor', 'question') === 'answer-yes') return { monitor: { confirm: null }, effects: [{ kind: 'act', action, ids }] };
    return { monitor: { confirm: null, message: { text: `${action}: nothing done`, tone: 'ok' } }, effects: [] };
  }
  if (logs.searching) {
    const step = lineStep(logs.search, input, key, 'monitor');
    if (step.kind === 'clear') return { logs: { searching: false, search: '' }, effects: [] };
    if (step.kind === 'accept')
      return { logs: { searching: false, scroll: scrollToMatch(logs.lines, logs.scroll - 1, logs.search, 1) ?? logs.scroll }, effects: [] };
    return step.kind === 'text' ? { logs: { search: step.text }, effects: [] } : none;
  }
  if (m.filtering) {
    const step = lineStep(m.filter, input, key, 'monitor');
    if (step.kind === 'clear') return { monitor: { filtering: false, filter: '' }, effects: [] };
    if (step.kind === 'accept') return { monitor: { filtering: false }, effects: [] };
    return step.kind === 'text' ? { monitor: { filter: step.text }, effects: [] } : none;
  }
  const command = commandFor(input, key, 'monitor');
  return command ? monitorCommand(state, command, height) : none;
}

function monitorCommand(state: MonitorKeyState, command: Command, height: number): MonitorStep {
  const { monitor: m, logs } = state;
  const shown = m.rows;
  const at = Math.max(
    0,
    shown.findIndex((r) => rowId(r) === m.selectedId),
  );
  const job = rowJob(shown[at]);
  const select = (i: number): MonitorStep => {
    const row = shown[Math.max(0, Math.min(shown.length - 1, i))];
    return row ? { monitor: { selectedId: rowId(row) }, effects: [] } : none;
  };
  const page = Math.max(1, logs.open ? Math.floor(height / 2) - 4 : height - 6);
  const scrollLog = (delta: number): MonitorStep => ({
    logs: { scroll: Math.max(0, Math.min(Math.max(0, logs.lines.length - 1), logs.scroll + delta)) },
    effects: [],
  });
  const tab = (d: 1 | -1): MonitorStep => ({
    logs: { tab: LOG_TABS[(LOG_TABS.indexOf(logs.tab) + d + LOG_TABS.length) % LOG_TABS.length] ?? 'output.log' },
    effects: [],
  });
  const ask = (action: MonitorAction, eligible: (jobs: readonly PtbJob[]) => PtbJob[]): MonitorStep => {
    // Until the last action returns, the jobs it acts on would be offered again.
    if (m.acting) return say('still working on the last action...');
    const chosen = eligible(actionTargets(shown, m.marked, m.selectedId, m.jobs));
    if (chosen.length === 0) return say(`nothing to ${action} among the ${m.marked.length > 0 ? 'marked' : 'selected'} job(s)`);
    return { monitor: { confirm: { action, ids: chosen.map((j) => j.id) } }, effects: [] };
  };
  const effect = (e: MonitorEffect): MonitorStep => ({ effects: [e] });
  const cycle = <T>(list: readonly T[], current: T): T => list[(list.indexOf(current) + 1) % list.length] ?? current;
  switch (command) {
    case 'results':
      return effect({ kind: 'go', view: 'results' });
    case 'back':
      if (m.details) return { monitor: { details: null }, effects: [] };
      if (logs.full) return { logs: { full: false }, effects: [] };
      if (logs.open) return { logs: { open: false }, effects: [] };
      return effect({ kind: 'back' });
    case 'down':
      return select(at + 1);
    case 'up':
      return select(at - 1);
    case 'page-down':
      return logs.open ? scrollLog(-page) : select(at + page);
    case 'page-up':
      return logs.open ? scrollLog(page) : select(at - page);
    case 'logs':
      return { logs: { open: !logs.open, full: false }, effects: [] };
    case 'next-tab':
      return tab(1);
    case 'previous-tab':
      return tab(-1);
    case 'jump-tab':
      return job ? { logs: { open: true, tab: telltaleTab(job) }, effects: [] } : none;
    case 'top':
      return logs.open ? { logs: { scroll: Math.max(0, logs.lines.length - 1) }, effects: [] } : select(0);
    case 'bottom':
      return logs.open ? { logs: { scroll: 0 }, effects: [] } : select(shown.length - 1);
    case 'wrap':
      return { logs: { wrap: !logs.wrap }, effects: [] };
    case 'fullscreen':
      return { logs: { open: true, full: !logs.full }, effects: [] };
    case 'shell':
      if (!job) return none;
      if (job.state !== 'RUNNING') return say(`job ${job.id} is ${job.state}: a shell needs a running job`);
      return effect({ kind: 'shell-open', id: job.id });
    case 'pager':
      if (!logs.open || !logs.path) return say('open the log pane (l) on a job first: o shows its file whole');
      return effect({ kind: 'log-pager', path: logs.path });
    case 'mark': {
      const next = select(at + 1);
      if (!job) return next;
      return { ...next, monitor: { ...next.monitor, marked: m.marked.includes(job.id) ? m.marked.filter((id) => id !== job.id) : [...m.marked, job.id] } };
    }
    case 'mark-all':
      return { monitor: { marked: m.marked.length > 0 ? [] : shown.flatMap((r) => (r.kind === 'job' ? [r.job.id] : [])) }, effects: [] };
    case 'cancel-jobs':
      return ask('cancel', cancellable);
    case 'resubmit':
      return ask('resubmit', resubmittable);
    case 'requeue':
      return ask('requeue', requeueable);
    case 'details':
      return job ? effect({ kind: 'details', id: job.id }) : none;
    case 'filter':
      return logs.open && logs.full ? { logs: { searching: true, search: '' }, effects: [] } : { monitor: { filtering: true }, effects: [] };
    case 'next-match':
      return { logs: { scroll: scrollToMatch(logs.lines, logs.scroll, logs.search, 1) ?? logs.scroll }, effects: [] };
    case 'previous-match':
      return { logs: { scroll: scrollToMatch(logs.lines, logs.scroll, logs.search, -1) ?? logs.scroll }, effects: [] };
    case 'quick-filter':
      return { monitor: { quick: cycle(QUICK_FILTERS, m.quick) }, effects: [] };
    case 'sort':
      return { monitor: { sort: cycle(SORT_KEYS, m.sort) }, effects: [] };
    case 'group':
      return { monitor: { groupArrays: !m.groupArrays }, effects: [] };
    case 'faster':
      return effect({ kind: 'poll-step', direction: -1 });
    case 'slower':
      return effect({ kind: 'poll-step', direction: 1 });
    case 'pause':
      return effect({ kind: 'poll-pause' });
    default:
      return none;
  }
}
