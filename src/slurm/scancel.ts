import { invoke, type SlurmContext } from './context.js';
import { failure, success, type SlurmResult } from './errors.js';

/** What happened to each id of one scancel call. */
export type CancelOutcome = 'signalled' | 'not-found' | 'already-finished' | 'denied' | { error: string };

/**
 * Parses `scancel --verbose` stderr. scancel exits 0 for an unknown id and for a finished
 * job: only its per-id error lines tell them apart from a real cancellation.
 */
export function parseScancel(ids: readonly string[], stderr: string): Record<string, CancelOutcome> {
  const outcomes: Record<string, CancelOutcome> = {};
  for (const id of ids) outcomes[id] = 'signalled';
  for (const m of stderr.matchAll(/Kill job error on job id (\S+): (.+)$/gm)) {
    const id = m[1] ?? '';
    const message = (m[2] ?? '').trim();
    outcomes[id] = /Invalid job id/i.test(message)
      ? 'not-found'
      : /already completing or completed/i.test(message)
        ? 'already-finished'
        : /permission denied/i.test(message)
          ? 'denied'
          : { error: message };
  }
  return outcomes;
}

/** Cancels many jobs with one scancel call. An empty list asks nothing of Slurm. */
export async function cancelJobs(ctx: SlurmContext, ids: readonly (string | number)[]): Promise<SlurmResult<Record<string, CancelOutcome>>> {
  const list = ids.map(String);
  if (list.length === 0) return success({});
  if (list.some((id) => !/^\d+(_(\d+|\[[\d,%-]+\]))?$/.test(id))) {
    return failure({ kind: 'invalid-request', command: 'scancel', message: `not a job id: ${list.filter((id) => !/^\d+/.test(id)).join(', ')}`, detail: '' });
  }
  const out = await invoke(ctx, 'scancel', ['--verbose', ...list]);
  if (out.ok) return success(parseScancel(list, out.value.stderr));
  // Exit 210 means "some were denied"; the per-id lines still say which.
  if (out.error.kind === 'permission' || (out.error.kind === 'invalid-request' && /Kill job error/.test(out.error.detail))) {
    return success(parseScancel(list, out.error.detail));
  }
  return out;
}
