import { slurmContext, type SlurmContextOptions } from './context.js';
import { checkController } from './controller.js';
import { requeueJobs } from './requeue.js';
import { accountingRecords } from './sacct.js';
import { submit, testSubmit, type BatchSpec } from './sbatch.js';
import { cancelJobs } from './scancel.js';
import { showJob } from './scontrol-job.js';
import { listPartitions } from './sinfo.js';
import { listJobs, type JobFilter } from './squeue.js';

/**
 * The Slurm adapter: every question ptb asks Slurm, as typed functions returning
 * `SlurmResult`s. Build one per process (or per test, with an injected runner).
 */
export function createSlurm(options: SlurmContextOptions = {}) {
  const ctx = slurmContext(options);
  return {
    context: ctx,
    controller: () => checkController(ctx),
    partitions: () => listPartitions(ctx),
    jobs: (filter: JobFilter = {}) => listJobs(ctx, filter),
    job: (jobId: string | number) => showJob(ctx, jobId),
    submit: (spec: BatchSpec, opts?: { precheck?: boolean }) => submit(ctx, spec, opts),
    testSubmit: (spec: BatchSpec) => testSubmit(ctx, spec),
    cancel: (ids: readonly (string | number)[]) => cancelJobs(ctx, ids),
    requeue: (ids: readonly (string | number)[]) => requeueJobs(ctx, ids),
    accounting: (ids: readonly (string | number)[]) => accountingRecords(ctx, ids),
  };
}

export type Slurm = ReturnType<typeof createSlurm>;
