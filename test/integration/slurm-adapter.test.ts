import { afterAll, describe, expect, it } from 'vitest';
import type { BatchSpec } from '../../src/slurm/sbatch.js';
import { clusterScript, testSlurm } from '../helpers/cluster.js';
import { waitFor } from '../helpers/wait.js';

const slurm = testSlurm();
afterAll(() => slurm.cleanup());

const job = (name: string, command: string, extra: Partial<BatchSpec> = {}): BatchSpec => ({
  payload: { wrap: command },
  jobName: `ptb-test ${name}`,
  partition: 'gpu',
  gres: 'gpu:1',
  constraint: 'h100',
  cpusPerTask: 1,
  mem: '1G',
  time: '00:05:00',
  output: '/tmp/ptb-test-%j.out',
  ...extra,
});

async function submitted(spec: BatchSpec): Promise<number> {
  const result = await slurm.submit(spec);
  if (!result.ok) throw new Error(`submit failed: ${result.error.message}`);
  return result.value.jobId;
}

async function stateOf(id: number): Promise<string | undefined> {
  const jobs = await slurm.jobs({ jobIds: [id], includeFinished: true });
  return jobs.ok ? jobs.value.find((j) => j.rawJobId === id)?.state : undefined;
}

describe('the Slurm adapter against the local cluster', () => {
  it('submits a GPU job, sees it in squeue and scontrol, cancels it, and sees it gone', async () => {
    const id = await submitted(job('lifecycle', 'sleep 120'));
    await waitFor(async () => (await stateOf(id)) === 'RUNNING', { timeoutMs: 20_000, what: `job ${id} RUNNING` });

    const mine = await slurm.jobs({ user: 'me' });
    expect(mine.ok && mine.value.find((j) => j.rawJobId === id)).toMatchObject({
      name: 'ptb-test lifecycle',
      partition: 'gpu',
      gres: 'gpu:1',
      features: 'h100',
      nodes: 'node01',
    });

    const details = await slurm.job(id);
    expect(details.ok && details.value[0]).toMatchObject({ jobId: id, state: 'RUNNING', stdOut: `/tmp/ptb-test-${id}.out`, partition: 'gpu' });

    const cancelled = await slurm.cancel([id]);
    expect(cancelled).toEqual({ ok: true, value: { [String(id)]: 'signalled' } });
    await waitFor(
      async () => {
        const active = await slurm.jobs({ jobIds: [id] });
        return active.ok && active.value.length === 0;
      },
      { timeoutMs: 20_000, what: `job ${id} to leave the active queue` },
    );
    expect(await stateOf(id)).toBe('CANCELLED');
  });

  it('cancelling an unknown id is reported as not found, though scancel exits 0', async () => {
    expect(await slurm.cancel([987654])).toEqual({ ok: true, value: { '987654': 'not-found' } });
  });

  it('requeues a running job, which goes back to pending with a restart counted', async () => {
    const id = await submitted(job('requeue', 'sleep 120', { requeue: true }));
    await waitFor(async () => (await stateOf(id)) === 'RUNNING', { timeoutMs: 20_000, what: `job ${id} RUNNING` });
    expect(await slurm.requeue([id])).toEqual({ ok: true, value: { [String(id)]: 'requeued' } });
    const details = await waitFor(
      async () => {
        const d = await slurm.job(id);
        return d.ok && d.value[0]?.state === 'PENDING' ? d.value[0] : undefined;
      },
      { timeoutMs: 20_000, what: `job ${id} PENDING after requeue` },
    );
    expect(details.restarts).toBe(1);
    const again = await slurm.requeue([id]);
    expect(again).toEqual({ ok: true, value: { [String(id)]: { error: 'Job is pending execution' } } });
  });

  it('returns the typed error with Slurm own message for an invalid partition, and submits nothing', async () => {
    const before = await slurm.jobs({ user: 'me', includeFinished: true });
    const result = await slurm.submit(job('bad partition', 'true', { partition: 'no-such-partition' }));
    expect(result).toEqual({
      ok: false,
      error: expect.objectContaining({ kind: 'invalid-request', message: expect.stringContaining('invalid partition specified: no-such-partition') }),
    });
    const after = await slurm.jobs({ user: 'me', includeFinished: true });
    expect(after.ok && before.ok && after.value.filter((j) => j.name === 'ptb-test bad partition').length).toBe(0);
  });

  it('refuses a request Slurm would accept with exit 0 and never run (too many CPUs)', async () => {
    const result = await slurm.submit(job('too many cpus', 'true', { cpusPerTask: 4096 }));
    expect(result).toEqual({
      ok: false,
      error: expect.objectContaining({ kind: 'invalid-request', message: expect.stringContaining('Requested node configuration is not available') }),
    });
  });

  it('reports the exit code of a job that exited 3, through sacct once it has left the queue view', async () => {
    const id = await submitted(job('exit 3', 'echo failing; exit 3', { partition: 'cpu', gres: undefined, constraint: undefined }));
    const record = await waitFor(
      async () => {
        const r = await slurm.accounting([id]);
        return r.ok ? r.value.find((x) => x.jobId === String(id) && x.state === 'FAILED') : undefined;
      },
      { timeoutMs: 30_000, what: `sacct to report job ${id} FAILED` },
    );
    expect(record.exitCode).toEqual({ code: 3, signal: 0 });
  });

  it('says "unreachable" within its timeout when the controller is stopped, and recovers when it is back', async () => {
    await clusterScript('stop-controller');
    try {
      const quick = testSlurm({ timeoutMs: 3_000 });
      const started = Date.now();
      const result = await quick.jobs({ user: 'me' });
      const partitions = await quick.partitions();
      expect(result).toEqual({ ok: false, error: expect.objectContaining({ kind: 'unreachable' }) });
      expect(partitions).toEqual({ ok: false, error: expect.objectContaining({ kind: 'unreachable' }) });
      // Two calls, each bounded by its 3 s timeout plus a ping: not the 9 s Slurm itself would wait per call.
      expect(Date.now() - started).toBeLessThan(2 * (3_000 + 2_500) + 2_000);
      expect((await quick.controller()).ok && (await quick.controller())).toMatchObject({ ok: true, value: { reachable: false } });
    } finally {
      await clusterScript('start-controller');
    }
    const back = await slurm.jobs({ user: 'me' });
    expect(back.ok).toBe(true);
  });
});
