/** The families of Slurm job states the monitor filters, sorts and colours by. */
export type StateFamily = 'running' | 'pending' | 'failed' | 'done' | 'other';

/** Which family a state belongs to; `other`: cancelled, ended without a known state... */
export function stateFamily(state: string): StateFamily {
  if (['RUNNING', 'COMPLETING', 'CONFIGURING', 'SIGNALING', 'STAGE_OUT'].includes(state)) return 'running';
  if (['PENDING', 'REQUEUED', 'SUSPENDED', 'RESIZING'].includes(state)) return 'pending';
  if (state === 'COMPLETED') return 'done';
  if (/FAIL|TIMEOUT|OUT_OF_MEMORY|DEADLINE|PREEMPTED/.test(state)) return 'failed';
  return 'other';
}
