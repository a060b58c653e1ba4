import { formatDuration } from '../slurm/duration.js';
import type { Partition } from '../slurm/sinfo.js';
import type { QueueJob } from '../slurm/squeue.js';
import type { ColumnSpec } from '../text/columns.js';

export type PartitionKey = 'name' | 'avail' | 'gpus' | 'features' | 'maxTime' | 'nodes' | 'perNode' | 'tmp';

export const PARTITION_COLUMNS: readonly ColumnSpec<PartitionKey>[] = [
  { key: 'name', title: 'PARTITION', min: 9, max: 12, priority: 0 },
  { key: 'gpus', title: 'GPUS (GRES)', min: 21, max: 28, priority: 0 },
  { key: 'maxTime', title: 'MAX TIME', min: 10, max: 11, priority: 1 },
  { key: 'nodes', title: 'NODES', min: 12, max: 30, priority: 1 },
  { key: 'features', title: 'FEATURES', min: 8, max: 24, priority: 2 },
  { key: 'avail', title: 'AVAIL', min: 5, max: 5, priority: 3 },
  { key: 'perNode', title: 'CPU/MEM PER NODE', min: 16, max: 18, priority: 4 },
  { key: 'tmp', title: 'TMP DISK', min: 8, max: 9, priority: 5 },
];

/** `1 idle, 2 mixed`. */
export function nodeSummary(p: Partition): string {
  return Object.entries(p.nodeStates)
    .map(([state, count]) => `${count} ${state}`)
    .join(', ');
}

export function gibibytes(mb: number): string {
  if (mb <= 0) return '-';
  const gb = mb / 1024;
  return gb >= 1024 ? `${(gb / 1024).toFixed(gb % 1024 === 0 ? 0 : 1)}T` : `${Math.round(gb)}G`;
}

export function partitionCells(p: Partition): Record<PartitionKey, string> {
  const gpus = p.gpus.map((g) => `gpu:${g.type === null ? '' : `${g.type}:`}${g.perNode} (${g.used}/${g.total} used)`).join(', ');
  return {
    name: p.name + (p.isDefault ? '*' : ''),
    avail: p.available,
    gpus: gpus || 'none',
    features: p.features.join(',') || '-',
    maxTime: formatDuration(p.maxTimeSeconds),
    nodes: nodeSummary(p),
    perNode: `${p.maxCpusPerNode} CPU ${gibibytes(p.maxMemoryMbPerNode)}`,
    tmp: gibibytes(p.maxTmpDiskMb),
  };
}

export type JobKey = 'id' | 'state' | 'name' | 'partition' | 'time' | 'where';

export const JOB_COLUMNS: readonly ColumnSpec<JobKey>[] = [
  { key: 'id', title: 'JOBID', min: 8, max: 14, priority: 0 },
  { key: 'state', title: 'STATE', min: 10, max: 11, priority: 0 },
  { key: 'name', title: 'NAME', min: 14, max: 60, priority: 0 },
  { key: 'time', title: 'ELAPSED/LIMIT', min: 17, max: 23, priority: 2 },
  { key: 'where', title: 'NODE / REASON', min: 14, max: 80, priority: 1 },
  { key: 'partition', title: 'PARTITION', min: 9, max: 10, priority: 3 },
];

export function jobCells(job: QueueJob): Record<JobKey, string> {
  const limit = job.timeLimitSeconds === undefined ? 'invalid' : formatDuration(job.timeLimitSeconds);
  return {
    id: job.jobId,
    state: job.state,
    name: job.name,
    partition: job.partition,
    time: `${formatDuration(job.elapsedSeconds)}/${limit}`,
    where: job.state === 'PENDING' ? `(${job.reason ?? 'None'})` : (job.nodes ?? job.reason ?? ''),
  };
}
