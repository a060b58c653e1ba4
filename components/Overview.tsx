import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { JOB_COLUMNS, jobCells, PARTITION_COLUMNS, partitionCells } from '../src/ui/overview-tables.js';
import { colour, nodeStateToken, stateToken } from '../src/ui/theme.js';
import { useAppState } from './context.js';
import { Table } from './Table.js';

/** The first screen: the cluster's partitions, then this user's jobs. */
export function Overview({ width, height }: { width: number; height: number }) {
  const partitions = useAppState((s) => s.cluster.partitions);
  const jobs = useAppState((s) => s.cluster.jobs);
  const selected = useAppState((s) => s.ui.selectedJob);
  const partitionRows = useMemo(() => (partitions ?? []).map(partitionCells), [partitions]);
  const jobRows = useMemo(() => (jobs ?? []).map(jobCells), [jobs]);
  // Title + header + rows for partitions, then the rest for jobs (title, header, "more" line).
  const partitionHeight = Math.min(partitionRows.length || 1, Math.max(1, Math.floor((height - 6) / 3)));
  const jobHeight = Math.max(1, height - partitionHeight - 6);
  return (
    <Box flexDirection="column">
      <Text bold color={colour('text.accent')}>
        Partitions
      </Text>
      <Table
        columns={PARTITION_COLUMNS}
        rows={partitionRows}
        width={width}
        height={partitionHeight}
        empty={partitions === null ? 'asking sinfo...' : 'sinfo lists no partitions'}
        tokenFor={(row, key) => (key === 'nodes' ? nodeStateToken(row.nodes.split(' ')[1]?.replace(',', '') ?? '') : undefined)}
      />
      <Box marginTop={1}>
        <Text bold color={colour('text.accent')}>
          {`Your jobs${jobs ? ` (${jobs.length})` : ''}`}
        </Text>
      </Box>
      <Table
        columns={JOB_COLUMNS}
        rows={jobRows}
        width={width}
        height={jobHeight}
        selected={jobRows.length > 0 ? selected : undefined}
        empty={jobs === null ? 'asking squeue...' : 'no jobs of yours in the queue'}
        tokenFor={(row, key) => (key === 'state' ? stateToken(row.state) : undefined)}
      />
    </Box>
  );
}
