import { JOB_ENVIRONMENT } from '../../src/slurm/env.js';
import { describe, expect, it } from 'vitest';
import { createSlurm } from '../../src/slurm/adapter.js';
import { slurmEnv } from '../../src/slurm/env.js';
import { sbatchArgs, validateBatchSpec, type BatchSpec } from '../../src/slurm/sbatch.js';
import { squeueArgs } from '../../src/slurm/squeue.js';
import { golden as goldenOf, GOLDEN_VERSIONS } from '../helpers/golden.js';
import { replayRunner } from '../helpers/replay-runner.js';

const spec: BatchSpec = {
  payload: { script: '/work/exp/scripts/gsm8k.sbatch', args: ['gsm8k', 'claude'] },
  jobName: 'ptb gsm8k',
  partition: 'gpu',
  gres: 'gpu:h100:1',
  constraint: 'h100',
  cpusPerTask: 16,
  mem: '128G',
  time: '12:00:00',
  tmp: '400G',
  output: '/work/exp/logs/%j.out',
  chdir: '/work/PostTrainBench',
};

describe('sbatch requests', () => {
  it('renders a spec as one argv, never a shell string', () => {
    expect(sbatchArgs(spec, 'submit')).toEqual([
      '--parsable',
      '--job-name=ptb gsm8k',
      '--partition=gpu',
      '--gres=gpu:h100:1',
      '--constraint=h100',
      '--cpus-per-task=16',
      '--mem=128G',
      '--time=12:00:00',
      '--tmp=400G',
      '--output=/work/exp/logs/%j.out',
      '--chdir=/work/PostTrainBench',
      '--export=NONE',
      '/work/exp/scripts/gsm8k.sbatch',
      'gsm8k',
      'claude',
    ]);
    expect(sbatchArgs({ payload: { wrap: 'sleep 1' }, environment: { set: { A: 'b' } } }, 'test-only')).toEqual([
      '--test-only',
      '--export=A=b',
      '--wrap=sleep 1',
    ]);
  });

  it("passes a job only the login shell's variables it needs, never a secret, never the whole shell", () => {
    const env = {
      PATH: '/opt/apptainer/bin:/usr/bin',
      LANG: 'C.UTF-8',
      LC_ALL: 'C',
      https_proxy: 'http://proxy:3128',
      http_proxy: 'http://me:s3cret@proxy:3128',
      SSL_CERT_FILE: '/etc/site-ca.pem',
      APPTAINER_CACHEDIR: '/scratch/me/.apptainer',
      APPTAINER_DOCKER_PASSWORD: 'hunter2',
      OPENAI_KEY_BACKUP: 'sk-proj-x',
      OPENAI_API_KEY: 'sk-proj-y',
      EDITOR: 'vim',
      SLURM_CONF: '/etc/slurm/slurm.conf',
      SBATCH_PARTITION: 'debug',
      MY_SITE_A: '1',
    };
    const exported = (pass?: readonly string[]) =>
      sbatchArgs({ payload: { wrap: 'true' }, environment: pass ? { pass } : undefined }, 'submit', env).find((a) => a.startsWith('--export='));
    // A proxy URL with a password in it is no exception: the controller would store it with the job.
    expect(exported()).toBe('--export=APPTAINER_CACHEDIR,LANG,LC_ALL,PATH,SSL_CERT_FILE,https_proxy');
    expect(exported([...JOB_ENVIRONMENT, 'MY_SITE_*'])).toBe('--export=APPTAINER_CACHEDIR,LANG,LC_ALL,MY_SITE_A,PATH,SSL_CERT_FILE,https_proxy');
    expect(exported([])).toBe('--export=NONE');
  });

  it('rejects what sbatch would accept with exit 0 and store as garbage', () => {
    expect(validateBatchSpec({ ...spec, time: '-5' })).toEqual([expect.stringContaining('time limit')]);
    expect(validateBatchSpec({ ...spec, time: '0' })).toEqual([expect.stringContaining('longer than zero')]);
    expect(validateBatchSpec({ ...spec, cpusPerTask: 0 })).toHaveLength(1);
    expect(validateBatchSpec({ ...spec, mem: '128 GB' })).toHaveLength(1);
    expect(validateBatchSpec({ ...spec, jobName: 'a\nb' })).toHaveLength(1);
    expect(validateBatchSpec(spec)).toEqual([]);
  });

  it('refuses to carry a secret through --export', () => {
    expect(validateBatchSpec({ ...spec, environment: { set: { OPENAI_API_KEY: 'sk-x' } } })).toEqual([expect.stringContaining('secret')]);
  });
});

describe('squeue requests', () => {
  it('asks for one user or a set of jobs in one call, with an explicit format', () => {
    const args = squeueArgs({ user: 'me', jobIds: [1, '2_3'], includeFinished: true });
    expect(args).toContain('--me');
    expect(args.slice(args.indexOf('--jobs'), args.indexOf('--jobs') + 2)).toEqual(['--jobs', '1,2_3']);
    expect(args).toContain('--format');
    expect(args).not.toContain('--json');
  });

  it('says which command is missing when Slurm is not installed', async () => {
    const result = await createSlurm({ runner: replayRunner({}) }).jobs();
    expect(result).toEqual({ ok: false, error: expect.objectContaining({ kind: 'command-missing', command: 'squeue' }) });
  });
});

describe('cancel, requeue, accounting', () => {
  it('says when accounting is disabled', async () => {
    const runner = replayRunner({
      sacct: { command: 'sacct', args: [], kind: 'failed', exitCode: 1, stdout: '', stderr: 'Slurm accounting storage is disabled\n' },
    });
    const result = await createSlurm({ runner }).accounting([4]);
    expect(result).toEqual({ ok: false, error: expect.objectContaining({ kind: 'accounting-disabled' }) });
  });
});

describe('environment', () => {
  it('drops variables that change what Slurm prints or requests, and secrets', () => {
    const env = slurmEnv({
      PATH: '/bin',
      SQUEUE_FORMAT: '%i',
      SBATCH_PARTITION: 'x',
      SLURM_TIME_FORMAT: 'relative',
      OPENAI_API_KEY: 'sk-1',
      HF_TOKEN: 'h',
      SLURM_CONF: '/etc/slurm/slurm.conf',
    });
    expect(env).toEqual({ PATH: '/bin', SLURM_CONF: '/etc/slurm/slurm.conf', SLURM_TIME_FORMAT: 'standard' });
  });
});

// What each Slurm version printed (scripts/capture-goldens.ts), replayed through the adapter.
describe.each(GOLDEN_VERSIONS)('the adapter on Slurm %s outputs', (version) => {
  const golden = (name: string) => goldenOf(name, version);

  it('returns Slurm own message for an invalid partition, an invalid time and an unsatisfiable GRES', async () => {
    for (const [name, text] of [
      ['sbatch-invalid-partition', 'invalid partition specified: nope; Batch job submission failed: Invalid partition name specified'],
      ['sbatch-invalid-time', 'Invalid --time specification'],
      ['sbatch-unsatisfiable-gres', 'Batch job submission failed: Requested node configuration is not available'],
    ] as const) {
      const slurm = createSlurm({ runner: replayRunner({ sbatch: golden(name) }) });
      const result = await slurm.submit({ payload: { wrap: 'true' } }, { precheck: false });
      expect(result).toEqual({ ok: false, error: expect.objectContaining({ kind: 'invalid-request', message: text }) });
    }
  });

  it('checks with --test-only first, and stops there when Slurm says the job can never run', async () => {
    const runner = replayRunner({ sbatch: golden('sbatch-test-only-too-many-cpus') });
    const result = await createSlurm({ runner }).submit({ payload: { wrap: 'true' }, cpusPerTask: 128 });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.message).toBe('allocation failure: Requested node configuration is not available');
    expect(runner.calls).toHaveLength(1);
    expect(runner.calls[0]!.args[0]).toBe('--test-only');
  });

  it('treats "Invalid user" as an error although squeue exits 0', async () => {
    const slurm = createSlurm({ runner: replayRunner({ squeue: golden('squeue-invalid-user') }) });
    const result = await slurm.jobs({ user: 'nosuchuser' });
    expect(result).toEqual({ ok: false, error: expect.objectContaining({ kind: 'invalid-request', message: 'Invalid user: nosuchuser' }) });
  });

  it('treats an unknown job id as "not in the queue", not as a failure', async () => {
    const slurm = createSlurm({ runner: replayRunner({ squeue: golden('squeue-unknown-id') }) });
    expect(await slurm.jobs({ jobIds: [999999] })).toEqual({ ok: true, value: [] });
  });

  it('says the controller is unreachable, in its own words', async () => {
    const slurm = createSlurm({ runner: replayRunner({ squeue: golden('squeue-controller-down') }) });
    const result = await slurm.jobs({ user: 'me' });
    expect(result).toEqual({ ok: false, error: expect.objectContaining({ kind: 'unreachable' }) });
    expect(!result.ok && result.error.message).toContain('Unable to contact slurm controller');
  });

  it('turns a hanging squeue into "unreachable" when scontrol ping says DOWN', async () => {
    const runner = replayRunner({
      squeue: { kind: 'timed-out', timeoutMs: 3000, stdout: '', stderr: '' },
      'scontrol ping': golden('scontrol-ping-down'),
    });
    const result = await createSlurm({ runner, timeoutMs: 3000 }).jobs({ user: 'me' });
    expect(result).toEqual({ ok: false, error: expect.objectContaining({ kind: 'unreachable' }) });
  });

  it('says a slow squeue is slow, perhaps rate-limited, when scontrol ping says UP', async () => {
    const runner = replayRunner({
      squeue: { kind: 'timed-out', timeoutMs: 3000, stdout: '', stderr: '' },
      'scontrol ping': golden('scontrol-ping-up'),
    });
    const result = await createSlurm({ runner, timeoutMs: 3000 }).jobs({ user: 'me' });
    expect(result).toEqual({ ok: false, error: expect.objectContaining({ kind: 'timeout', message: expect.stringContaining('rate-limits this account') }) });
  });

  it('reports the controller being down for scancel (exit 8)', async () => {
    const result = await createSlurm({ runner: replayRunner({ scancel: golden('scancel-controller-down') }) }).cancel([1]);
    expect(result).toEqual({ ok: false, error: expect.objectContaining({ kind: 'unreachable' }) });
  });

  it('gives a per-job outcome for requeue of a pending job', async () => {
    const g = golden('requeue-pending');
    const result = await createSlurm({ runner: replayRunner({ 'scontrol requeue': g }) }).requeue([g.args[1]!]);
    expect(result).toEqual({ ok: true, value: { [g.args[1]!]: { error: 'Job is pending execution' } } });
  });
});
