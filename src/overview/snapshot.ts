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

/** What a round asks besides squeue: the controller (`sinfo --version`, `scontrol ping`) and the partitions (`sinfo`). */
export interface OverviewAsk {
  controller: boolean;
  partitions: boolean;
}

/**
 * One round: this user's jobs, array tasks one by one (one squeue call), and what `ask` names. What
 * is not asked is null, and the screen keeps what it had; an squeue that answers says the controller is up.
 */
export async function loadOverview(slurm: Slurm, ask: OverviewAsk = { controller: true, partitions: true }): Promise<OverviewSnapshot> {
  const [asked, partitions, jobs] = await Promise.all([
    ask.controller ? slurm.controller() : null,
    ask.partitions ? slurm.partitions() : null,
    slurm.jobs({ user: 'me', expandArrays: true }),
  ]);
  // squeue failed: whether the controller is down is worth the one more call, now.
  const controller = asked ?? (jobs.ok ? null : await slurm.controller());
  return {
    at: new Date(),
    controller: controller?.ok ? controller.value : null,
    partitions: partitions?.ok ? partitions.value.partitions : null,
    partitionsError: partitions && !partitions.ok ? partitions.error : null,
    jobs: jobs.ok ? jobs.value : null,
    jobsError: jobs.ok ? null : jobs.error,
  };
}
