import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/schema.js';
import { runProbeJob, type ProbeProgress } from '../../src/preflight/probe-job.js';
import { testSlurm } from '../helpers/cluster.js';

const slurm = testSlurm();
const root = mkdtempSync(join(tmpdir(), 'ptb-probe-job-'));
afterAll(async () => {
  await slurm.cleanup();
  rmSync(root, { recursive: true, force: true });
});

const config: Config = {
  version: 1,
  checkout: root,
  hfHome: root,
  resultsDir: join(root, 'results'),
  containersDir: root,
  containerName: 'standard',
  experimentName: '',
  hours: 1,
  agents: ['claude'],
  slurm: {
    partition: 'gpu',
    gres: 'gpu:h100:1',
    constraint: 'h100',
    account: '',
    qos: '',
    cpusPerTask: 16,
    mem: '128G',
    time: '3:00:00',
    tmp: '400G',
    home: root,
    scratch: 'tmp',
  },
};

describe('the probe job on the local cluster', () => {
  it('runs in the configured partition and reports what this GPU-less node really has', async () => {
    const seen: ProbeProgress[] = [];
    const run = await runProbeJob(slurm, config, { onProgress: (p) => seen.push(p), pollMs: 300, maxWaitMs: 60_000 });
    if (run.jobId !== null) slurm.submittedIds.push(run.jobId);
    const results = Object.fromEntries(run.results.map((r) => [r.id, r]));
    expect(results['probe-job']).toMatchObject({ status: 'pass', finding: expect.stringMatching(/^job \d+ ran on node01 \(COMPLETED\)$/) });
    expect(seen.map((p) => p.state)).toEqual(expect.arrayContaining(['submitting', 'COMPLETED', 'reading']));
    // No GPU here: the check must fail, with what to do, not be skipped.
    expect(results.gpu).toMatchObject({ status: 'fail', finding: 'nvidia-smi is not on the node', fix: expect.stringContaining('GPU partition') });
    expect(results.apptainer?.status).toBe('fail');
    expect(results['apptainer-gpu']).toMatchObject({ status: 'skip', finding: expect.stringContaining('no readable image') });
    // What the node does have is reported as it is.
    expect(results.home).toMatchObject({ status: 'pass', finding: `HOME=${root}, writable` });
    expect(results.resources).toMatchObject({ status: 'pass', finding: '16 CPUs, 128 GB on node01' });
    expect(results.scratch?.finding).toMatch(/^\/tmp \d+(\.\d)? [GT]B free/);
    expect(results['net:api.anthropic.com']?.status).toMatch(/fail|pass/);
  });

  it('reports Slurm refusing the probe as a failed check, with the fix', async () => {
    const run = await runProbeJob(slurm, { ...config, slurm: { ...config.slurm, partition: 'nope' } }, { pollMs: 300 });
    expect(run.results).toEqual([
      expect.objectContaining({ id: 'probe-job', status: 'fail', finding: expect.stringContaining('invalid partition specified: nope') }),
    ]);
  });
});
