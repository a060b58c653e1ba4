import { Box, Text } from 'ink';
import { useEffect, useMemo, useState } from 'react';
import { detailLines, resubmissionChain } from '../../src/monitor/job-details.js';
import { formatUsd, type RunSpend } from '../../src/run/spend.js';
import { MONITOR_COLUMNS, monitorCells, rowId, stateCounts, type MonitorColumn } from '../../src/monitor/grid.js';
import type { PtbJob } from '../../src/monitor/ptb-job.js';
import { fit, fitColumns, wrapLines } from '../../src/text/columns.js';
import { colour, stateToken } from '../../src/app/theme.js';
import { useAppState, useServices } from '../services.js';
import { LogPane } from './LogPane.js';
import { ShellPane } from './ShellPane.js';
import { Table } from '../Table.js';

const CONFIRM_VERB = { cancel: 'Cancel', requeue: 'Requeue', resubmit: 'Resubmit' } as const;

/** The live grid of ptb jobs and their history, with marks, filters, actions and details. */
export function Monitor({ width, height }: { width: number; height: number }) {
  const { shell: shellSession } = useServices();
  const shellState = useAppState((s) => s.shell);
  const logs = useAppState((s) => s.logs);
  const m = useAppState((s) => s.monitor);
  const rows = m.rows;
  const index = Math.max(
    0,
    rows.findIndex((r) => rowId(r) === m.selectedId),
  );
  // The shell's terminal follows the pane's size (a resized terminal, a tmux split).
  const shellOpen = shellState !== null;
  useEffect(() => {
    if (shellOpen) shellSession.resize(width, Math.max(3, height - 3));
  }, [shellOpen, width, height, shellSession]);

  const byId = (id: string) => m.jobs.find((j) => j.id === id);
  const detailsJob = m.details ? byId(m.details.id) : undefined;
  // With the pane open, the grid keeps the upper half (its header and at least 3 rows).
  const gridHeight = Math.max(5, Math.floor((height - 2) / 2));
  const diagnosisShown = fitColumns(MONITOR_COLUMNS, width).some((c) => c.key === 'diagnosis');
  // The cells of the rows shown only (the table asks for its window): 5,000 jobs lay out what fits.
  const marked = useMemo(() => new Set(m.marked), [m.marked]);
  const cellsAt = (i: number) => {
    const r = rows[i];
    if (!r) return undefined;
    const c = monitorCells(r, diagnosisShown);
    return r.kind === 'job' && marked.has(r.job.id) ? { ...c, id: `*${c.id}` } : c;
  };
  // Counted once per change of the jobs, not at every frame (a key, the clock).
  const counts = useMemo(() => stateCounts(m.jobs), [m.jobs]);
  const head = [
    m.jobs.length === 0 ? 'no ptb jobs yet (4 composes a plan)' : counts,
    `showing ${m.quick} (f)`,
    `sort ${m.sort} (S)`,
    m.marked.length ? `${m.marked.length} marked` : '',
    m.filter || m.filtering ? `/${m.filter}${m.filtering ? '_' : ''}` : '',
    m.accounting === 'disabled' ? 'no accounting: final states from the results' : m.accounting === 'failed' ? `sacct failed: ${m.accountingError ?? ''}` : '',
    m.budget ? `API ${formatUsd(m.budget.usd)} of ${formatUsd(m.budget.limit)}${m.budget.usd > m.budget.limit ? ' LIMIT PASSED' : ''}` : '',
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
        <Details
          key={detailsJob.id}
          job={detailsJob}
          fields={m.details.fields}
          note={m.details.note}
          spend={m.details.spend}
          chain={resubmissionChain(detailsJob, byId)}
          width={width}
          height={height - 2}
        />
      ) : logs.open && logs.full ? (
        <LogPane logs={logs} width={width} height={height - 2} />
      ) : (
        <Table<MonitorColumn>
          columns={MONITOR_COLUMNS}
          total={rows.length}
          rowAt={cellsAt}
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

function Details({
  job,
  fields,
  note,
  spend,
  chain,
  width,
  height,
}: {
  job: PtbJob;
  fields: Record<string, string> | null;
  note: string | null;
  spend: RunSpend | null;
  chain: string[];
  width: number;
  height: number;
}) {
  // Read once per job shown (the view is keyed by job), not at every poll's render: the file may be on shared storage.
  const [config] = useState(useServices().currentConfig);
  const lines = detailLines(job, config, fields, chain, spend);
  const labelWidth = 14;
  const text = lines.flatMap(([label, value]) =>
    wrapLines(value, Math.max(10, width - labelWidth - 1)).map((line, i) => `${fit(i === 0 ? label : '', labelWidth)} ${line}`),
  );
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
