import type { Slurm } from '../slurm/adapter.js';
import type { JobTracker } from './job-tracker.js';

/** Whether sacct answers: `disabled` (no accounting) settles from the results instead, for good. */
export interface AccountingState {
  mode: 'ok' | 'disabled' | 'failed' | null;
  error: string | null;
}

/**
 * Gives the jobs that left the queue their final state: one bounded sacct call (at most
 * SACCT_BATCH ids), or, without accounting, the run folders. A failed call leaves them for the
 * next time and says why.
 */
export async function settleLeavers(slurm: Slurm, tracker: JobTracker, accounting: AccountingState): Promise<AccountingState> {
  const ids = tracker.pendingFinal();
  if (ids.length === 0) return accounting;
  if (accounting.mode === 'disabled') {
    tracker.settleWithoutAccounting();
    return accounting;
  }
  const records = await slurm.accounting(ids);
  if (records.ok) {
    tracker.applyAccounting(ids, records.value);
    return { mode: 'ok', error: null };
  }
  if (records.error.kind === 'accounting-disabled') {
    tracker.settleWithoutAccounting();
    return { mode: 'disabled', error: null };
  }
  return { mode: 'failed', error: records.error.message };
}
