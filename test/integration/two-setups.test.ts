import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/process/run.js';
import { testSlurm } from '../helpers/cluster.js';
import { ptbHome } from '../helpers/ptb-home.js';

/**
 * Two setups on one account with the same experiment name (a colleague's shared account, or a
 * second results folder): each submits, lists and cancels its own jobs only. Neither's queued
 * jobs make the other skip a task, and a job id typed by mistake cancels nothing of the other's.
 */

const slurm = testSlurm();
const KEYS = { ANTHROPIC_API_KEY: 'sk-ant-twin-test-key-0001', OPENAI_API_KEY: 'sk-proj-twin-test-key-0002' };
const EXPERIMENT = `_twin${process.pid}`;
const setups = [ptbHome(), ptbHome()];
const [first, second] = setups as [ReturnType<typeof ptbHome>, ReturnType<typeof ptbHome>];
// One account, one home: the two configurations share ptb's state folder (one ledger, the locks).
second.env.XDG_STATE_HOME = first.env.XDG_STATE_HOME ?? '';
// The runs sleep: they stay queued for the whole test.
const RUN_ENV = { PTB_FIXTURE_OUTCOME: 'slow', PTB_FIXTURE_SLEEP: '300' };

beforeAll(async () => {
  for (const home of setups) {
    await home.configure(['--experiment', EXPERIMENT, '--cpus', '1', '--mem', '1G', '--time', '0:10:00', '--tmp', '', '--hours', '1'], KEYS);
    for (const image of ['standard', 'vllm_debug']) writeFileSync(join(home.containersDir, `${image}.sif`), '');
    writeFileSync(join(home.root, 'plan.yaml'), 'models: [Qwen/Qwen3-1.7B-Base]\nevals: [gsm8k]\nagentConfigs: [claude/claude-sonnet-4-5]\nhours: [1]\n');
  }
});
afterAll(async () => {
  await slurm.cleanup();
  for (const home of setups) home.remove();
});

const submitted = (stdout: string) => Number(/^(\d+) submitted/m.exec(stdout)?.[1] ?? NaN);
const statusIds = async (home: ReturnType<typeof ptbHome>) => {
  const out = await home.ptb(['status', '--json']);
  return (JSON.parse(out.stdout) as { jobs: { id: string }[] }).jobs.map((j) => j.id);
};
const stillQueued = async (id: number) => {
  const r = await slurm.jobs({ jobIds: [id] });
  return r.ok && r.value.some((j) => j.rawJobId === id && ['PENDING', 'RUNNING'].includes(j.state));
};

describe('two setups with the same experiment name', () => {
  let firstJob = 0;
  let secondJob = 0;

  it('each submits its own task: the other setup queued jobs do not make it skip', async () => {
    const a = await first.ptb(['submit', '--plan', join(first.root, 'plan.yaml'), '--yes'], RUN_ENV);
    expect(submitted(a.stdout), a.stderr).toBe(1);
    const b = await second.ptb(['submit', '--plan', join(second.root, 'plan.yaml'), '--yes'], RUN_ENV);
    expect(submitted(b.stdout), b.stderr).toBe(1);
    firstJob = Number(/job (\d+)/.exec(a.stderr)?.[1]);
    secondJob = Number(/job (\d+)/.exec(b.stderr)?.[1]);
    slurm.submittedIds.push(firstJob, secondJob);
    // Each one's own task is still skipped: never twice within a setup.
    const again = await second.ptb(['submit', '--plan', join(second.root, 'plan.yaml'), '--yes'], RUN_ENV);
    expect(again.stdout).toBe('0 submitted, 1 skipped\n');
    expect(again.stderr).toContain(`skipped, job ${secondJob} is already in the queue`);
  });

  it('lists only its own jobs in ptb status', async () => {
    expect(await statusIds(first)).toEqual([String(firstJob)]);
    expect(await statusIds(second)).toEqual([String(secondJob)]);
  });

  it("refuses to cancel or resubmit the other's job, says whose it is, and the job stays queued", async () => {
    const cancel = await first.ptb(['cancel', String(secondJob), '--yes']);
    expect(cancel.code).toBe(2);
    expect(cancel.stderr).toContain(`not this setup's (results folder ${first.resultsDir}), so nothing was cancelled:`);
    expect(cancel.stderr).toContain(`${secondJob} is a ptb job of another setup (results folder ${second.resultsDir}, experiment ${EXPERIMENT}`);
    const resubmit = await first.ptb(['resubmit', String(secondJob), '--yes']);
    expect(resubmit).toMatchObject({ code: 2, stderr: expect.stringContaining(`so nothing was resubmitted:\n  ${secondJob} is a ptb job of another setup`) });
    expect(await stillQueued(secondJob)).toBe(true);
  });

  it('refuses a plain sbatch job whose comment looks like a ptb key, and one that is no ptb job at all', async () => {
    const lookalike = await run(
      'sbatch',
      [
        '--parsable',
        '--hold',
        '-p',
        'cpu',
        '-o',
        '/dev/null',
        '--comment',
        `ptb1|agent|gsm8k|Qwen/Qwen3-1.7B-Base|claude|claude-sonnet-4-5|1|1|_elsewhere`,
        '--wrap',
        'sleep 1',
      ],
      { timeoutMs: 10_000 },
    );
    const plain = await run('sbatch', ['--parsable', '--hold', '-p', 'cpu', '-o', '/dev/null', '-J', 'my own job', '--wrap', 'sleep 1'], { timeoutMs: 10_000 });
    if (lookalike.kind !== 'ok' || plain.kind !== 'ok') throw new Error('sbatch failed');
    const ids = [Number(lookalike.stdout.trim()), Number(plain.stdout.trim())] as const;
    slurm.submittedIds.push(...ids);
    const cancel = await first.ptb(['cancel', String(ids[0]), String(ids[1]), '--yes']);
    expect(cancel.code).toBe(2);
    expect(cancel.stderr).toContain(`${ids[0]} is a ptb job of another setup (its results folder is not known, experiment _elsewhere, run from `);
    expect(cancel.stderr).toContain(`${ids[1]} ("my own job") is not a ptb job`);
    for (const id of ids) expect(await stillQueued(id)).toBe(true);
  });

  it('with no configuration, ptb status shows every ptb job of the account under the setup it belongs to', async () => {
    const none = { XDG_CONFIG_HOME: join(first.root, 'no-config') };
    const text = await first.ptb(['status'], none);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      /^no configuration \(.*no-config\/ptb-slurm\/config\.json\): every ptb job of this account, under the setup \(results folder\) each belongs to$/m,
    );
    expect(text.stdout).toContain(`setup ${first.resultsDir}: 1 job(s)`);
    expect(text.stdout).toContain(`setup ${second.resultsDir}: 1 job(s)`);
    const json = JSON.parse((await first.ptb(['status', '--json'], none)).stdout) as { setup: string | null; jobs: { id: string; setupDir: string | null }[] };
    expect(json.setup).toBeNull();
    expect(json.jobs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: String(firstJob), setupDir: first.resultsDir }),
        expect.objectContaining({ id: String(secondJob), setupDir: second.resultsDir }),
      ]),
    );
  });

  it('with a broken configuration, status and cancel name the file and exit 1, touching nothing', async () => {
    writeFileSync(join(first.configDir, 'config.json'), '{"version": 1, "checkout": ');
    for (const args of [['status'], ['cancel', String(firstJob), '--yes'], ['submit', '--plan', join(first.root, 'plan.yaml'), '--yes']]) {
      const out = await first.ptb(args);
      expect(out.code, args.join(' ')).toBe(1);
      expect(out.stderr).toContain(`${join(first.configDir, 'config.json')} is not a valid ptb configuration`);
      expect(out.stdout).toBe('');
    }
    expect(await stillQueued(firstJob)).toBe(true);
  });
});
