import { GENERATION_TITLES } from '../checkout/generation.js';
import type { Checkout } from '../checkout/detect.js';
import { loadOverview, type OverviewSnapshot } from '../overview/snapshot.js';
import type { Slurm } from '../slurm/adapter.js';
import { fit, fitColumns, GAP, type ColumnSpec } from '../text/columns.js';
import { JOB_COLUMNS, jobCells, PARTITION_COLUMNS, partitionCells } from '../overview/tables.js';

/** The overview as plain text: what the TUI's first screen shows, for a pipe or a log. */
export function renderOverviewText(snapshot: OverviewSnapshot, checkout: Checkout | null, width: number): string {
  const lines: string[] = [];
  const c = snapshot.controller;
  lines.push(`Slurm ${c?.version ?? '?'} | controller ${c?.reachable ? 'up' : 'DOWN'}`);
  lines.push(
    checkout
      ? `Checkout ${checkout.root} (${checkout.tasks.length} evals, ${checkout.agents.length} agents; generation ${GENERATION_TITLES[checkout.generation.id]}${checkout.generation.signals.length ? `: ${checkout.generation.signals.join(', ')}` : ''})`
      : 'No PostTrainBench checkout found (use --checkout DIR)',
  );
  lines.push('', 'Partitions');
  if (snapshot.partitions) lines.push(...table(PARTITION_COLUMNS, snapshot.partitions.map(partitionCells), width));
  else lines.push(`  sinfo failed: ${snapshot.partitionsError?.message ?? 'unknown error'}`);
  lines.push('', `Your jobs${snapshot.jobs ? ` (${snapshot.jobs.length})` : ''}`);
  if (snapshot.jobs) lines.push(...(snapshot.jobs.length ? table(JOB_COLUMNS, snapshot.jobs.map(jobCells), width) : ['  none in the queue']));
  else lines.push(`  squeue failed: ${snapshot.jobsError?.message ?? 'unknown error'}`);
  return lines.join('\n') + '\n';
}

function table<K extends string>(specs: readonly ColumnSpec<K>[], rows: Record<K, string>[], width: number): string[] {
  const cols = fitColumns(specs, width);
  const line = (cells: (c: (typeof cols)[number]) => string) =>
    cols
      .map((c) => fit(cells(c), c.width))
      .join(' '.repeat(GAP))
      .trimEnd();
  return [line((c) => c.title), ...rows.map((r) => line((c) => r[c.key]))];
}

/** `ptb overview [--json]`: exit 0 with the data, 1 when Slurm could not be asked. */
export async function overviewCommand(slurm: Slurm, checkout: Checkout | null, options: { json: boolean }): Promise<number> {
  const snapshot = await loadOverview(slurm);
  const errors = [snapshot.partitionsError, snapshot.jobsError].filter((e) => e !== null);
  if (options.json) {
    const out = {
      at: snapshot.at.toISOString(),
      slurmVersion: snapshot.controller?.version ?? null,
      controllerReachable: snapshot.controller?.reachable ?? false,
      checkout,
      partitions: snapshot.partitions,
      jobs: snapshot.jobs,
      errors,
    };
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  } else {
    process.stdout.write(renderOverviewText(snapshot, checkout, process.stdout.columns || 120));
  }
  return errors.length > 0 ? 1 : 0;
}
