import type { PtbJob } from '../../src/monitor/ptb-job.js';
import type { Task } from '../../src/plan/task.js';

/** A job as the monitor holds it: `id` as squeue shows it (`9_1` for an array task), in `state`, running `task`. */
export function trackedJob(id: string, state: string, task: Task | null, over: Partial<PtbJob> = {}): PtbJob {
  return {
    id,
    ownId: Number(id.split('_')[0]),
    arrayJobId: null,
    arrayIndex: null,
    state,
    reason: state === 'PENDING' ? 'Priority' : null,
    node: state === 'PENDING' ? null : 'node01',
    elapsedSeconds: 600,
    limitSeconds: 43_200,
    exitCode: null,
    name: '',
    partition: 'gpu',
    submitTime: null,
    startTime: null,
    endTime: null,
    key: null,
    task,
    script: null,
    resubmitOf: null,
    resubmittedAs: null,
    inQueue: state === 'RUNNING' || state === 'PENDING',
    final: state === 'RUNNING' || state === 'PENDING' ? null : 'sacct',
    setupDir: null,
    diagnosis: state === 'TIMEOUT' ? 'hit the Slurm time limit' : null,
    diagnosisKind: state === 'TIMEOUT' ? 'slurm-timeout' : null,
    evidence: null,
    action: null,
    scored: false,
    ...over,
  };
}
