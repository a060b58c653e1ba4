import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { stateOfJob } from '../../src/monitor/ptb-job.js';
import { ladderGuide } from '../../src/results/ladder.js';
import { fit } from '../../src/text/columns.js';
import { JOB_COLUMNS, jobCells, PARTITION_COLUMNS, partitionCells } from '../../src/overview/tables.js';
import { colour, nodeStateToken, stateToken } from '../../src/app/theme.js';
import { useAppState } from '../services.js';
import { Table } from '../Table.js';

/** The first screen: the cluster's partitions, where the experiment stands on the trial ladder, this user's jobs. */
export function Overview({ width, height }: { width: number; height: number }) {
  const ladder = useAppState((s) => s.ladder);
  const partitions = useAppState((s) => s.cluster.partitions);
  const tracked = useAppState((s) => s.monitor.jobs);
  const guide = ladder ? ladderGuide(ladder, stateOfJob(tracked)) : null;
  // Six lines of titles and headers, a row of each table, then the ladder: whole, as one line of states, or not at all.
  const ladderLines = !guide ? 0 : height >= (partitions?.length ?? 1) + guide.rows.length + 12 ? guide.rows.length + 3 : height >= 12 ? 4 : 0;
  const jobs = useAppState((s) => s.cluster.jobs);
  const selected = useAppState((s) => s.ui.selectedJob);
  const partitionRows = useMemo(() => (partitions ?? []).map(partitionCells), [partitions]);
  // Title + header + rows for partitions, then the rest for jobs (title, header, "more" line).
  const partitionHeight = Math.min(partitionRows.length || 1, Math.max(1, Math.floor((height - 6 - ladderLines) / 2)));
  const jobHeight = Math.max(1, height - partitionHeight - 6 - ladderLines);
  return (
    <Box flexDirection="column">
      <Text bold color={colour('text.accent')}>
        Partitions
      </Text>
      <Table
        columns={PARTITION_COLUMNS}
        total={partitionRows.length}
        rowAt={(i) => partitionRows[i]}
        width={width}
        height={partitionHeight}
        empty={partitions === null ? 'asking sinfo...' : 'sinfo lists no partitions'}
        tokenFor={(row, key) => (key === 'nodes' ? nodeStateToken(row.nodes.split(' ')[1]?.replace(',', '') ?? '') : undefined)}
      />
      {guide && ladderLines > 0 ? (
        <Box marginTop={1} flexDirection="column">
          <Text bold color={colour('text.accent')}>
            {"Trial ladder (the guide's trial order)"}
          </Text>
          {ladderLines > 4 ? (
            guide.rows.map((r) => (
              <Text key={r.step} wrap="truncate">
                {`${r.step} ${fit(r.label, 32)} `}
                <Text color={colour(r.state === 'passed' ? 'status.done' : r.state.startsWith('submitted') ? 'status.pending' : 'text.dim')}>{r.state}</Text>
              </Text>
            ))
          ) : (
            <Text wrap="truncate">{guide.rows.map((r) => `${r.step} ${r.label.replace(/ \(.*\)$/, '')}: ${r.state.replace(/ \(.*\)$/, '')}`).join(' | ')}</Text>
          )}
          <Text wrap="truncate">{guide.next}</Text>
        </Box>
      ) : null}
      <Box marginTop={1}>
        <Text bold color={colour('text.accent')}>
          {`Your jobs${jobs ? ` (${jobs.length})` : ''}`}
        </Text>
      </Box>
      <Table
        columns={JOB_COLUMNS}
        total={jobs?.length ?? 0}
        // The cells of the rows shown only: a queue of 5,000 jobs lays out what fits.
        rowAt={(i) => {
          const job = jobs?.[i];
          return job ? jobCells(job) : undefined;
        }}
        width={width}
        height={jobHeight}
        selected={jobs?.length ? selected : undefined}
        empty={jobs === null ? 'asking squeue...' : 'no jobs of yours in the queue'}
        tokenFor={(row, key) => (key === 'state' ? stateToken(row.state) : undefined)}
      />
    </Box>
  );
}
