import type { Slurm } from '../slurm/adapter.js';
import type { ControllerStatus } from '../slurm/controller.js';
import type { SlurmError } from '../slurm/errors.js';
import type { Partition } from '../slurm/sinfo.js';
import type { QueueJob } from '../slurm/squeue.js';

/**
 * What the Overview shows, from one round of Slurm calls. A part that failed keeps its
 * error beside it: the screen decides whether to show older data with a warning.
 */
export interface OverviewSnapshot {
  at: Date;
  controller: ControllerStatus | null;
  partitions: Partition[] | null;
  partitionsError: SlurmError | null;
  jobs: QueueJob[] | null;
  jobsError: SlurmError | null;
}

/** One round: controller, partitions (sinfo) and this user's jobs, array tasks one by one (one squeue call). */
export async function loadOverview(slurm: Slurm): Promise<OverviewSnapshot> {
  const [controller, partitions, jobs] = await Promise.all([slurm.controller(), slurm.partitions(), slurm.jobs({ user: 'me', expandArrays: true })]);
  return {
    at: new Date(),
    controller: controller.ok ? controller.value : null,
    partitions: partitions.ok ? partitions.value.partitions : null,
    partitionsError: partitions.ok ? null : partitions.error,
    jobs: jobs.ok ? jobs.value : null,
    jobsError: jobs.ok ? null : jobs.error,
  };
}
