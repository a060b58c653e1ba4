import { Box, Text } from 'ink';
import { useEffect, useMemo, useState } from 'react';
import { detailLines, resubmissionChain } from '../src/monitor/job-details.js';
import { openJobShell } from '../src/monitor/job-shell.js';
import { keyBytes } from '../src/terminal/pty-shell.js';
import { cancellable, requeueable, resubmittable } from '../src/monitor/job-actions.js';
import { actionTargets, MONITOR_COLUMNS, monitorCells, QUICK_FILTERS, rowId, rowJob, SORT_KEYS, stateCounts, visibleRows, type MonitorColumn } from '../src/monitor/grid.js';
import type { TrackedJob } from '../src/monitor/job-tracker.js';
import { fit, fitColumns, wrapLines } from '../src/ui/columns.js';
import { LOG_TABS, telltaleTab } from '../src/logs/log-sources.js';
import { commandFor, type Command } from '../src/ui/keybindings.js';
import { colour, stateToken } from '../src/ui/theme.js';
import { useAppState, useServices } from './context.js';
import { LogPane, scrollToMatch } from './LogPane.js';
import { ShellPane } from './ShellPane.js';
import { Table } from './Table.js';
import { useScreenKeys } from './screen-keys.js';

const CONFIRM_VERB = { cancel: 'Cancel', requeue: 'Requeue', resubmit: 'Resubmit' } as const;

/** The live grid of ptb jobs and their history, with marks, filters, actions and details. */
export function Monitor({ width, height }: { width: number; height: number }) {
  const { store, monitor, polling, logs: logSession, suspend, results: resultsSession, shell: shellSession } = useServices();
  const shellState = useAppState((s) => s.shell);
  const logs = useAppState((s) => s.logs);
  const m = useAppState((s) => s.monitor);
  const rows = useMemo(() => visibleRows(m.jobs, m), [m]);
  const index = Math.max(0, rows.findIndex((r) => rowId(r) === m.selectedId));
  const update = store.getState().updateMonitor;
  const selectedJob = rowJob(rows[index]);
  // The pane follows the selection: a new job or tab reopens the file, the session does the reading.
  useEffect(() => {
    if (logs.open) logSession.watch(selectedJob ?? null, logs.tab);
    else logSession.stop();
  }, [logs.open, logs.tab, selectedJob, logSession]);
  // Leaving the monitor stops reading the log (the pane reopens it when the monitor comes back).
  useEffect(() => () => logSession.stop(), [logSession]);
  // The shell's terminal follows the pane's size (a resized terminal, a tmux split).
  const shellOpen = shellState !== null;
  useEffect(() => {
    if (shellOpen) shellSession.resize(width, Math.max(3, height - 3));
  }, [shellOpen, width, height, shellSession]);

  useScreenKeys('monitor', (input, key) => {
    // The shell pane takes every key but its detach key (ctrl+]), which ends the shell.
    const open = store.getState().shell;
    if (open) {
      if (open.exited !== null || input === '\x1d' || (key.ctrl && input === ']')) return shellSession.close();
      shellSession.write(keyBytes(input, key));
      return;
    }
    const state = store.getState().monitor;
    const shown = visibleRows(state.jobs, state);
    if (state.confirm) {
      const { action, ids } = state.confirm;
      const jobs = state.jobs.filter((j) => ids.includes(j.id));
      update(() => ({ confirm: null }));
      if (input === 'y') monitor[action](jobs);
      else update(() => ({ message: { text: `${action}: nothing done`, tone: 'ok' } }));
      return;
    }
    const searching = store.getState().logs;
    if (searching.searching) {
      const upd = store.getState().updateLogs;
      if (key.escape) return upd(() => ({ searching: false, search: '' }));
      if (key.return) return upd((l) => ({ searching: false, scroll: scrollToMatch(l.lines, l.scroll - 1, l.search, 1) ?? l.scroll }));
      if (key.backspace || key.delete) return upd((l) => ({ search: l.search.slice(0, -1) }));
      if (!key.ctrl && !key.meta && input) upd((l) => ({ search: l.search + input.replace(/[\x00-\x1f]/g, '') }));
      return;
    }
    if (state.filtering) {
      if (key.escape) return update(() => ({ filtering: false, filter: '' }));
      if (key.return) return update(() => ({ filtering: false }));
      if (key.backspace || key.delete) return update((s) => ({ filter: s.filter.slice(0, -1) }));
      if (!key.ctrl && !key.meta && input) update((s) => ({ filter: s.filter + input.replace(/[\x00-\x1f]/g, '') }));
      return;
    }
    const command = commandFor(input, key, 'monitor');
    const at = Math.max(0, shown.findIndex((r) => rowId(r) === state.selectedId));
    const select = (i: number) => {
      const row = shown[Math.max(0, Math.min(shown.length - 1, i))];
      if (row) update(() => ({ selectedId: rowId(row) }));
    };
    const logsState = store.getState().logs;
    const page = Math.max(1, logsState.open ? Math.floor(height / 2) - 4 : height - 6);
    const updateLogs = store.getState().updateLogs;
    const scrollLog = (delta: number) => updateLogs((l) => ({ scroll: Math.max(0, Math.min(Math.max(0, l.lines.length - 1), l.scroll + delta)) }));
    const tabStep = (d: 1 | -1) => updateLogs((l) => ({ tab: LOG_TABS[(LOG_TABS.indexOf(l.tab) + d + LOG_TABS.length) % LOG_TABS.length] ?? 'output.log' }));
    const ask = (action: 'cancel' | 'requeue' | 'resubmit', eligible: (jobs: readonly TrackedJob[]) => TrackedJob[]) => {
      // Until the last action returns, the jobs it acts on would be offered again.
      if (state.acting) return update(() => ({ message: { text: 'still working on the last action...', tone: 'error' } }));
      const chosen = eligible(actionTargets(shown, state.marked, state.selectedId, state.jobs));
      if (chosen.length === 0) return update(() => ({ message: { text: `nothing to ${action} among the ${state.marked.length > 0 ? 'marked' : 'selected'} job(s)`, tone: 'error' } }));
      update(() => ({ confirm: { action, ids: chosen.map((j) => j.id) } }));
    };
    const actions: Partial<Record<Command, () => void>> = {
      results: () => resultsSession.open(),
      back: () =>
        state.details ? update(() => ({ details: null })) : logsState.full ? updateLogs(() => ({ full: false })) : logsState.open ? updateLogs(() => ({ open: false })) : store.getState().back(),
      down: () => select(at + 1),
      up: () => select(at - 1),
      'page-down': () => (logsState.open ? scrollLog(-page) : select(at + page)),
      'page-up': () => (logsState.open ? scrollLog(page) : select(at - page)),
      logs: () => updateLogs((l) => ({ open: !l.open, full: false })),
      'next-tab': () => tabStep(1),
      'previous-tab': () => tabStep(-1),
      'jump-tab': () => {
        const job = rowJob(shown[at]);
        if (job) updateLogs(() => ({ open: true, tab: telltaleTab(job) }));
      },
      top: () => (logsState.open ? updateLogs((l) => ({ scroll: Math.max(0, l.lines.length - 1) })) : select(0)),
      bottom: () => (logsState.open ? updateLogs(() => ({ scroll: 0 })) : select(shown.length - 1)),
      wrap: () => updateLogs((l) => ({ wrap: !l.wrap })),
      fullscreen: () => updateLogs((l) => ({ open: true, full: !l.full })),
      shell: () => {
        const job = rowJob(shown[at]);
        if (!job) return;
        if (job.state !== 'RUNNING') return update(() => ({ message: { text: `job ${job.id} is ${job.state}: a shell needs a running job`, tone: 'error' } }));
        // In a pane when node-pty loads; else the shell gets the whole terminal, and exit comes back.
        void shellSession
          .open(job, { cols: width, rows: Math.max(3, height - 3) })
          .catch((error: unknown) => `the shell pane failed to open (${error instanceof Error ? error.message : String(error)})`)
          .then((problem) => {
            if (!problem) return;
            update(() => ({ message: { text: `the shell took the whole terminal (exit returned here): ${problem}`, tone: 'error' } }));
            suspend(async () => {
              const failed = await openJobShell(job);
              if (failed) update(() => ({ message: { text: failed, tone: 'error' } }));
            });
          });
      },
      pager: () => {
        const path = logsState.open ? logsState.path : null;
        if (!path) return update(() => ({ message: { text: 'open the log pane (l) on a job first: o shows its file whole', tone: 'error' } }));
        suspend(async () => {
          const problem = await logSession.pager(path);
          if (problem) update(() => ({ message: { text: problem, tone: 'error' } }));
        });
      },
      mark: () => {
        const job = rowJob(shown[at]);
        if (job) update((s) => ({ marked: s.marked.includes(job.id) ? s.marked.filter((id) => id !== job.id) : [...s.marked, job.id] }));
        select(at + 1);
      },
      'mark-all': () => update((s) => ({ marked: s.marked.length > 0 ? [] : shown.flatMap((r) => (r.kind === 'job' ? [r.job.id] : [])) })),
      'cancel-jobs': () => ask('cancel', cancellable),
      resubmit: () => ask('resubmit', resubmittable),
      requeue: () => ask('requeue', requeueable),
      details: () => {
        const job = rowJob(shown[at]);
        if (job) monitor.openDetails(job);
      },
      filter: () => (logsState.open && logsState.full ? updateLogs(() => ({ searching: true, search: '' })) : update(() => ({ filtering: true }))),
      'next-match': () => updateLogs((l) => ({ scroll: scrollToMatch(l.lines, l.scroll, l.search, 1) ?? l.scroll })),
      'previous-match': () => updateLogs((l) => ({ scroll: scrollToMatch(l.lines, l.scroll, l.search, -1) ?? l.scroll })),
      'quick-filter': () => update((s) => ({ quick: QUICK_FILTERS[(QUICK_FILTERS.indexOf(s.quick) + 1) % QUICK_FILTERS.length] ?? 'all' })),
      sort: () => update((s) => ({ sort: SORT_KEYS[(SORT_KEYS.indexOf(s.sort) + 1) % SORT_KEYS.length] ?? 'state' })),
      group: () => update((s) => ({ groupArrays: !s.groupArrays })),
      faster: () => polling.step(-1),
      slower: () => polling.step(1),
      pause: polling.togglePause,
    };
    if (command) actions[command]?.();
  });

  const byId = (id: string) => m.jobs.find((j) => j.id === id);
  const detailsJob = m.details ? byId(m.details.id) : undefined;
  // With the pane open, the grid keeps the upper half (its header and at least 3 rows).
  const gridHeight = Math.max(5, Math.floor((height - 2) / 2));
  const diagnosisShown = fitColumns(MONITOR_COLUMNS, width).some((c) => c.key === 'diagnosis');
  const cells = useMemo(
    () =>
      rows.map((r) => {
        const c = monitorCells(r, diagnosisShown);
        return r.kind === 'job' && m.marked.includes(r.job.id) ? { ...c, id: `*${c.id}` } : c;
      }),
    [rows, m.marked, diagnosisShown],
  );
  const head = [
    m.jobs.length === 0 ? 'no ptb jobs yet (4 composes a plan)' : stateCounts(m.jobs),
    `showing ${m.quick} (f)`,
    `sort ${m.sort} (S)`,
    m.marked.length ? `${m.marked.length} marked` : '',
    m.filter || m.filtering ? `/${m.filter}${m.filtering ? '_' : ''}` : '',
    m.accounting === 'disabled' ? 'no accounting: final states from the results' : m.accounting === 'failed' ? `sacct failed: ${m.accountingError ?? ''}` : '',
  ].filter(Boolean);
  const confirmJobs = m.confirm?.ids ?? [];
  const bottom = m.confirm
    ? `${CONFIRM_VERB[m.confirm.action]} ${confirmJobs.length} job(s): ${confirmJobs.slice(0, 8).join(', ')}${confirmJobs.length > 8 ? ', ...' : ''}? y to confirm, any other key to keep them${m.confirm.action === 'resubmit' ? ' (only the evaluation where a run saved its model)' : ''}`
    : m.filtering
      ? 'type to filter (job id, state, eval, model, agent, node, diagnosis) | enter keep | esc clear'
      : (m.message?.text ?? '');
  return (
    <Box flexDirection="column">
      <Text bold color={colour('text.accent')} wrap="truncate">
        {`ptb jobs (${rows.length}) | ${head.join(' | ')}`}
      </Text>
      {shellState ? (
        <ShellPane shell={shellState} width={width} height={height - 2} />
      ) : detailsJob && m.details ? (
        <Details key={detailsJob.id} job={detailsJob} fields={m.details.fields} note={m.details.note} chain={resubmissionChain(detailsJob, byId)} width={width} height={height - 2} />
      ) : logs.open && logs.full ? (
        <LogPane logs={logs} width={width} height={height - 2} />
      ) : (
        <Table<MonitorColumn>
          columns={MONITOR_COLUMNS}
          rows={cells}
          width={width}
          height={logs.open ? gridHeight - 2 : height - 4}
          selected={rows.length > 0 ? index : undefined}
          empty={m.jobs.length === 0 ? 'no ptb jobs in the queue or the ledger' : 'no job matches (f: the next state; / then esc: no filter)'}
          tokenFor={(row, key) => (key === 'state' ? (row.state === 'ARRAY' ? 'text.dim' : stateToken(row.state)) : undefined)}
        />
      )}
      {logs.open && !logs.full && !m.details ? <LogPane logs={logs} width={width} height={height - gridHeight - 2} /> : null}
      <Text color={m.confirm ? colour('text.warning') : m.message?.tone === 'error' ? colour('text.error') : colour('text.dim')} wrap="truncate">
        {bottom || ' '}
      </Text>
    </Box>
  );
}

function Details({ job, fields, note, chain, width, height }: { job: TrackedJob; fields: Record<string, string> | null; note: string | null; chain: string[]; width: number; height: number }) {
  // Read once per job shown (the view is keyed by job), not at every poll's render: the file may be on shared storage.
  const [config] = useState(useServices().currentConfig);
  const lines = detailLines(job, config, fields, chain);
  const labelWidth = 14;
  const text = lines.flatMap(([label, value]) => wrapLines(value, Math.max(10, width - labelWidth - 1)).map((line, i) => `${fit(i === 0 ? label : '', labelWidth)} ${line}`));
  return (
    <Box flexDirection="column">
      {note ? <Text color={colour('text.dim')}>{note}</Text> : null}
      {text.slice(0, Math.max(1, height - (note ? 2 : 1))).map((line, i) => (
        <Text key={i} wrap="truncate">
          {line}
        </Text>
      ))}
      <Text color={colour('text.dim')}>esc back to the grid</Text>
    </Box>
  );
}
