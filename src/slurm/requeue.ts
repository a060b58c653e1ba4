import { invoke, type SlurmContext } from './context.js';
import { success, type SlurmResult } from './errors.js';

export type RequeueOutcome = 'requeued' | { error: string };

/** `scontrol requeue` messages end in "for job N": map them back to ids. */
export function parseRequeue(ids: readonly string[], stderr: string): Record<string, RequeueOutcome> {
  const outcomes: Record<string, RequeueOutcome> = {};
  for (const id of ids) outcomes[id] = 'requeued';
  for (const m of stderr.matchAll(/^(?:scontrol: error: )?(.+?) for job (\S+)\s*$/gm)) {
    outcomes[m[2] ?? ''] = { error: (m[1] ?? '').trim() };
  }
  return outcomes;
}

/**
 * Requeues batch jobs (`scontrol requeue`): a running or finished job goes back to PENDING
 * (Slurm then holds it for about two minutes, Reason=BeginTime). A pending job cannot be requeued.
 */
export async function requeueJobs(ctx: SlurmContext, ids: readonly (string | number)[]): Promise<SlurmResult<Record<string, RequeueOutcome>>> {
  const list = ids.map(String);
  if (list.length === 0) return success({});
  const out = await invoke(ctx, 'scontrol', ['requeue', list.join(',')]);
  if (out.ok) return success(parseRequeue(list, out.value.stderr));
  if (out.error.kind === 'invalid-request' || out.error.kind === 'failed' || out.error.kind === 'permission') {
    const outcomes = parseRequeue(list, out.error.detail);
    if (Object.values(outcomes).some((o) => o !== 'requeued')) return success(outcomes);
  }
  return out;
}
