import type { RunFiles } from './run-files.js';

/**
 * A short diagnosis of a finished job, from Slurm's final state and the run's files: the
 * finished-run classes of posttrainbench.md 2.3, most telling first. Null when nothing is known.
 */
export function diagnose(job: { state: string; exitCode: { code: number; signal: number } | null }, files: RunFiles | null): string | null {
  if (files?.accuracy !== null && files?.accuracy !== undefined) return `scored: accuracy ${files.accuracy.toFixed(4)}`;
  if (files?.cudaNotAvailable) return 'GPU check failed in the container (task/cuda_not_available): resubmit';
  switch (job.state) {
    case 'TIMEOUT':
      return 'hit the Slurm time limit: give the job more than the agent budget + 2 h';
    case 'OUT_OF_MEMORY':
      return 'out of memory: raise --mem';
    case 'NODE_FAIL':
      return 'the node failed: resubmit';
    case 'PREEMPTED':
      return 'preempted: resubmit, or use a partition without preemption';
    case 'CANCELLED':
      return 'cancelled';
    case 'BOOT_FAIL':
      return 'the node did not boot: resubmit';
    default:
      break;
  }
  if (job.exitCode?.code === 255) return 'exit 255: apptainer could not start the container (check FUSE and the image)';
  if (files === null || !files.exists) {
    if (job.state === 'COMPLETED') return 'no run folder: run_task.sh ended before creating it';
    if (job.state === 'FAILED') return 'failed before run_task.sh made the run folder: see the job stderr';
    if (job.state === 'ENDED') return 'left the queue without a run folder (no accounting to say why)';
    return null;
  }
  if (!files.hasMetrics && !files.hasTimeTaken) return 'the agent phase never finished';
  if (!files.hasMetrics && !files.hasFinalModel) return 'the agent produced no model (final_model is empty)';
  if (!files.hasMetrics) return 'evaluation failed on every attempt (see final_eval_*.txt)';
  return 'metrics.json has no numeric accuracy';
}
