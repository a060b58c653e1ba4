import { describe, expect, it } from 'vitest';
import { e2eWorld } from '../helpers/e2e-world.js';
import { ptbHome } from '../helpers/ptb-home.js';
import { keys } from '../helpers/pty-session.js';
import { waitFor } from '../helpers/wait.js';

const { slurm, home, ptb } = e2eWorld();

describe('the Preflight screen', () => {
  it('shows the probe job pending and why, cancels it, then runs it to the results with their fixes', async () => {
    // One job holds all the node's CPUs: the probe (16 CPUs) has to wait. (Holding the GPUs
    // instead trips a Slurm 22.05 bug that keeps them allocated after the cancellations.)
    const holder = await slurm.submit({
      payload: { wrap: 'sleep 300' },
      jobName: 'ptb-e2e cpu holder',
      partition: 'cpu',
      cpusPerTask: 64,
      time: '00:10:00',
      output: '/dev/null',
    });
    if (!holder.ok) throw new Error(holder.error.message);
    const blockers = [holder.value.jobId];
    await waitFor(
      async () => {
        const r = await slurm.jobs({ jobIds: blockers });
        return r.ok && r.value[0]?.state === 'RUNNING';
      },
      { timeoutMs: 30_000, what: 'the CPU holder to run' },
    );

    const session = await ptb([], 120, 36);
    await session.waitForText('Partitions');
    session.press('p');
    await session.waitForText('Preflight');
    await session.waitForText(/PASS\s+login\s+slurm\s+Slurm \d+\.\d+/);
    await session.waitForText(/probe job \d+: PENDING for \d+:\d\d:\d\d - (waiting for a free node|waiting for the scheduler|other jobs)/, 30_000);
    session.press('c');
    await session.waitForText(/FAIL\s+compute\s+probe-job\s+cancelled \(job \d+\)/, 30_000);

    await slurm.cancel(blockers);
    session.press('R');
    await session.waitForText(/PASS\s+compute\s+probe-job\s+job \d+ ran on node01 \(COMPLETED\)/, 60_000);
    await session.waitForText(/FAIL\s+compute\s+gpu\s+nvidia-smi is not on the node/);
    await session.waitForText(/probe job \d+: done/);
    // Walk down to the GPU check (the 9th row: 7 login checks, then the probe job): its fix shows in the details pane.
    for (let i = 0; i < 8; i++) session.press('j');
    await session.waitForText('GPU: nvidia-smi is not on the node');
    await session.waitForText('Fix: Choose a GPU partition');
    session.press(keys.escape);
    await session.waitForText('Partitions');
    session.press('q');
    expect(await session.waitForExit()).toMatchObject({ exitCode: 0 });
  });
});

describe('ptb preflight', () => {
  it('prints every check as JSON for scripts, exit 1 while one fails, and runs the probe with --compute', async () => {
    const result = await home.ptb(['preflight', '--json', '--compute']);
    expect(result.code).toBe(1);
    const data = JSON.parse(result.stdout) as { ok: boolean; results: { id: string; where: string; status: string; fix: string }[] };
    expect(data.ok).toBe(false);
    const byId = Object.fromEntries(data.results.map((r) => [r.id, r]));
    expect(byId.slurm).toMatchObject({ where: 'login', status: 'pass' });
    expect(byId.containers).toMatchObject({ where: 'login', status: 'fail', fix: expect.stringContaining('build_container.sh') });
    expect(byId['probe-job']).toMatchObject({ where: 'compute', status: 'pass' });
    expect(byId.gpu).toMatchObject({ where: 'compute', status: 'fail' });
    expect(result.stderr).toMatch(/probe job \d+: COMPLETED/);
  });

  it('asks for the setup first when there is no configuration', async () => {
    const empty = ptbHome();
    try {
      const result = await empty.ptb(['preflight']);
      expect(result).toMatchObject({ code: 1, stderr: expect.stringContaining('run `ptb setup` first') });
    } finally {
      empty.remove();
    }
  });
});
