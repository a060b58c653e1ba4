/**
 * Captures what the real local cluster prints for every command the Slurm adapter runs,
 * into test/golden/slurm/<scenario>.json (Slurm 22.05) or test/golden/slurm-24.11/ (PTB_SLURM=24.11),
 * for the parsers' golden tests.
 * Needs the local cluster (scripts/local-slurm.sh up) and root; cancels what it submits.
 *   [PTB_SLURM=24.11] node scripts/run-ts.mjs scripts/capture-goldens.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { run } from '../src/process/run.js';
import { slurmEnv } from '../src/slurm/env.js';
import { sbatchArgs, type BatchSpec } from '../src/slurm/sbatch.js';
import { sinfoArgs } from '../src/slurm/sinfo.js';
import { squeueArgs } from '../src/slurm/squeue.js';
import { sacctArgs } from '../src/slurm/sacct.js';

// PTB_SLURM=24.11: the second local cluster (its client commands first on PATH), into test/golden/slurm-24.11/.
const VERSION = process.env.PTB_SLURM === '24.11' ? '24.11' : '22.05';
if (VERSION === '24.11') process.env.PATH = `/var/lib/ptb-local-slurm-24/bin:${process.env.PATH ?? ''}`;
const OUT = join(process.cwd(), VERSION === '24.11' ? 'test/golden/slurm-24.11' : 'test/golden/slurm');
const env = slurmEnv(process.env);
const submitted: string[] = [];

async function capture(name: string, command: string, args: string[], timeoutMs = 20_000) {
  const result = await run(command, args, { timeoutMs, env });
  const record = {
    command,
    args,
    kind: result.kind,
    exitCode: result.kind === 'ok' ? 0 : result.kind === 'failed' ? result.exitCode : null,
    stdout: 'stdout' in result ? result.stdout : '',
    stderr: 'stderr' in result ? result.stderr : '',
  };
  writeFileSync(join(OUT, `${name}.json`), JSON.stringify(record, null, 2) + '\n');
  console.log(`${name}: ${record.kind} ${String(record.exitCode)}`);
  return record;
}

async function sbatch(spec: BatchSpec): Promise<string> {
  const result = await run('sbatch', sbatchArgs(spec, 'submit'), { timeoutMs: 10_000, env });
  if (result.kind !== 'ok') throw new Error(`sbatch failed: ${JSON.stringify(result)}`);
  const id = result.stdout.trim().split(';')[0] ?? '';
  submitted.push(id);
  return id;
}

/** The n-th GPU job submitted (1-based): they are the last six. */
const gpuJob = (n: number) => submitted[submitted.length - 7 + n] ?? '';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const wrap = (cmd: string): BatchSpec['payload'] => ({ wrap: cmd });

async function waitFor(check: () => Promise<boolean>, ms = 20_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await sleep(250);
  }
  throw new Error('timed out waiting for the cluster');
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  await run('scancel', ['--user=root'], { timeoutMs: 10_000, env });
  await capture('sinfo-idle', 'sinfo', sinfoArgs());

  const common = { output: '/tmp/ptb-golden-%j.out', time: '00:10:00' } as const;
  // Four GPU jobs fill the node's fake GPUs; the next ones pend for Resources / Priority.
  const gpu = { ...common, partition: 'gpu', gres: 'gpu:1', constraint: 'h100', cpusPerTask: 4, mem: '8G' } as const;
  const held = await sbatch({ ...common, partition: 'cpu', jobName: 'held', hold: true, payload: wrap('sleep 1') });
  // 22.05 takes it (PENDING, PartitionConfig); 24.11 refuses it at submission.
  const tooBig = await capture(
    'sbatch-too-many-cpus',
    'sbatch',
    sbatchArgs({ ...common, partition: 'cpu', jobName: 'too big', cpusPerTask: 128, payload: wrap('sleep 1') }, 'submit'),
  );
  if (tooBig.kind === 'ok') submitted.push(tooBig.stdout.trim().split(';')[0] ?? '');
  // A batch script, as ptb submits them: squeue's %o gives its absolute path, which tells whose the job is.
  const script = '/tmp/ptb-golden-results.ptb-slurm/_golden/scripts/held-script.sbatch';
  mkdirSync(dirname(script), { recursive: true });
  writeFileSync(script, '#!/bin/bash\nsleep 1\n');
  await sbatch({
    ...common,
    partition: 'cpu',
    jobName: 'held script',
    hold: true,
    comment: 'ptb1|baseline|gsm8k|Qwen/Qwen3-1.7B-Base|||0|1|_golden|s0123456789ab',
    payload: { script },
  });
  await sbatch({ ...common, partition: 'cpu', jobName: 'after held', dependency: `afterok:${held}`, payload: wrap('sleep 1') });
  const array = await sbatch({ ...common, partition: 'cpu', jobName: 'arr', array: '0-5%2', output: '/tmp/ptb-golden-%A_%a.out', payload: wrap('sleep 60') });
  const ok = await sbatch({ ...common, partition: 'cpu', jobName: 'exits 0', payload: wrap('true') });
  const fail = await sbatch({ ...common, partition: 'cpu', jobName: 'exits 3', payload: wrap('echo about to fail; exit 3') });
  const doomed = await sbatch({ ...common, partition: 'cpu', jobName: 'to cancel', payload: wrap('sleep 300') });
  await sleep(4000);
  await run('scancel', [doomed], { timeoutMs: 10_000, env });
  await waitFor(async () => {
    const r = await run('squeue', ['-h', '-t', 'all', '-j', `${ok},${fail},${doomed}`, '-o', '%T'], { timeoutMs: 5_000, env });
    return r.kind === 'ok' && !/RUNNING|PENDING|COMPLETING/.test(r.stdout);
  });
  // GPU jobs last: a GPU job pending for Resources reserves the node against the cpu partition.
  for (let i = 1; i <= 4; i++) await sbatch({ ...gpu, jobName: `gpu-${i}`, payload: wrap('sleep 120') });
  await sbatch({ ...gpu, jobName: 'waits for resources', payload: wrap('sleep 120') });
  await sbatch({ ...gpu, jobName: 'waits|behind', payload: wrap('sleep 120') });
  await sleep(3000);

  await capture('sinfo-busy', 'sinfo', sinfoArgs());
  await capture('squeue-me', 'squeue', squeueArgs({ user: 'me' }));
  // This capture's own jobs only: finished jobs of earlier test runs linger in squeue for MinJobAge.
  await capture('squeue-all-states', 'squeue', squeueArgs({ user: 'me', includeFinished: true, jobIds: submitted }));
  await capture('squeue-array-expanded', 'squeue', squeueArgs({ jobIds: [array], expandArrays: true }));
  await capture('squeue-unknown-id', 'squeue', squeueArgs({ jobIds: ['999999'] }));
  await capture('squeue-invalid-user', 'squeue', squeueArgs({ user: 'nosuchuser' }));
  await capture('scontrol-running', 'scontrol', ['show', 'job', gpuJob(1)]);
  await capture('scontrol-pending-name-with-pipe', 'scontrol', ['show', 'job', gpuJob(6)]);
  await capture('scontrol-failed', 'scontrol', ['show', 'job', fail]);
  await capture('scontrol-array', 'scontrol', ['show', 'job', array]);
  await capture('scontrol-unknown', 'scontrol', ['show', 'job', '999999']);
  await sleep(1500);
  await capture('sacct-finished', 'sacct', sacctArgs([ok, fail, doomed]));

  const bad = (spec: Partial<BatchSpec>): BatchSpec => ({ ...common, payload: wrap('true'), ...spec });
  await capture('sbatch-invalid-partition', 'sbatch', sbatchArgs(bad({ partition: 'nope' }), 'submit'));
  await capture('sbatch-invalid-time', 'sbatch', sbatchArgs(bad({ time: 'abc' }), 'submit'));
  await capture('sbatch-unsatisfiable-gres', 'sbatch', sbatchArgs(bad({ gres: 'gpu:8' }), 'submit'));
  await capture('sbatch-invalid-feature', 'sbatch', sbatchArgs(bad({ constraint: 'a100' }), 'submit'));
  await capture('sbatch-test-only-ok', 'sbatch', sbatchArgs(bad({ partition: 'cpu' }), 'test-only'));
  await capture('sbatch-test-only-too-many-cpus', 'sbatch', sbatchArgs(bad({ partition: 'cpu', cpusPerTask: 128 }), 'test-only'));
  await capture('scancel-mixed', 'scancel', ['--verbose', held, '999999', ok]);
  await capture('requeue-pending', 'scontrol', ['requeue', gpuJob(5)]);
  await capture('requeue-unknown', 'scontrol', ['requeue', '999999']);
  await capture('scontrol-ping-up', 'scontrol', ['ping']);
  await capture('sinfo-version', 'sinfo', ['--version']);

  await run('scancel', submitted, { timeoutMs: 10_000, env });
  const stop = await run('bash', ['scripts/local-slurm.sh', 'stop-controller'], { timeoutMs: 30_000, env: { ...process.env, PTB_SLURM: VERSION } });
  if (stop.kind !== 'ok') throw new Error('could not stop the controller');
  try {
    await capture('squeue-controller-down', 'squeue', squeueArgs({ user: 'me' }));
    await capture('scontrol-ping-down', 'scontrol', ['ping']);
    await capture('scancel-controller-down', 'scancel', ['--verbose', '1']);
  } finally {
    await run('bash', ['scripts/local-slurm.sh', 'start-controller'], { timeoutMs: 60_000, env: { ...process.env, PTB_SLURM: VERSION } });
  }
}

await main();
