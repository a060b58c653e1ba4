import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readJobMark } from '../../src/submit/job-mark.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testSlurm } from '../helpers/cluster.js';
import { PTB_BIN } from '../helpers/paths.js';
import { ptbHome } from '../helpers/ptb-home.js';
import { PtySession } from '../helpers/pty-session.js';
import { waitFor } from '../helpers/wait.js';

const slurm = testSlurm();
const home = ptbHome();
const KEYS = { ANTHROPIC_API_KEY: 'sk-ant-e2e-submit-key-0001', OPENAI_API_KEY: 'sk-proj-e2e-submit-key-0002' };
const stateDir = join(home.root, 'state');
const env = { ...home.env, XDG_STATE_HOME: stateDir };
const ledger = join(stateDir, 'ptb-slurm', 'ledger.jsonl');
const plan = join(home.root, 'plan.json');
// Its own experiment: jobs of other runs (still listed within MinJobAge) do not count.
const EXPERIMENT = `_kill${process.pid}`;
beforeAll(async () => {
  await home.configure(['--experiment', EXPERIMENT, '--cpus', '1', '--mem', '1G', '--time', '0:10:00', '--tmp', '', '--hours', '1'], KEYS);
  for (const image of ['standard', 'vllm_debug']) writeFileSync(join(home.containersDir, `${image}.sif`), '');
  // 4 models x 7 evals x 2 agent configs = 56 tasks.
  writeFileSync(
    plan,
    JSON.stringify({
      models: ['google/gemma-3-4b-pt', 'Qwen/Qwen3-4B-Base', 'Qwen/Qwen3-1.7B-Base', 'HuggingFaceTB/SmolLM3-3B-Base'],
      evals: ['aime2025', 'arenahardwriting', 'bfcl', 'gpqamain', 'gsm8k', 'healthbench', 'humaneval'],
      agentConfigs: ['claude/claude-opus-4-6', 'claude/claude-sonnet-4-5'],
      hours: [1],
    }),
  );
});
afterAll(async () => {
  const mine = async () => {
    const jobs = await slurm.jobs({ user: 'me' });
    return jobs.ok ? jobs.value.filter((j) => j.comment?.includes(`|${EXPERIMENT}|`)) : [];
  };
  await slurm.cancel((await mine()).map((j) => j.rawJobId));
  // Cancelled jobs write their logs into the home until they have left the node (24.11 takes a few seconds).
  await waitFor(async () => (await mine()).length === 0, { timeoutMs: 30_000, what: "the test's jobs to leave the queue" }).catch(() => undefined);
  home.remove();
});

describe('ptb submit', () => {
  it('after kill -9 in the middle of a 56-task plan, a rerun leaves every task exactly once', async () => {
    const session = await PtySession.start(process.execPath, [PTB_BIN, 'submit', '--plan', plan, '--yes'], { cols: 120, rows: 30, env });
    await waitFor(() => existsSync(ledger) && readFileSync(ledger, 'utf8').split('\n').filter(Boolean).length >= 5, {
      timeoutMs: 30_000,
      what: 'a few submissions',
      intervalMs: 5,
    });
    session.kill('SIGKILL');
    const before = readFileSync(ledger, 'utf8').split('\n').filter(Boolean).length;
    expect(before).toBeLessThan(56);

    const rerun = await home.ptb(['submit', '--plan', plan, '--yes'], { XDG_STATE_HOME: stateDir });
    expect(rerun.code).toBe(0);
    const jobs = await slurm.jobs({ user: 'me', includeFinished: true });
    const ours = jobs.ok
      ? jobs.value.flatMap((j) => {
          const mark = readJobMark(j.comment);
          return mark?.kind === 'task' && mark.task.kind === 'agent' && mark.task.experiment === EXPERIMENT ? [mark.key] : [];
        })
      : [];
    const perTask = new Map<string, number>();
    for (const key of ours) perTask.set(key, (perTask.get(key) ?? 0) + 1);
    expect(perTask.size).toBe(56);
    expect([...perTask.values()].every((n) => n === 1)).toBe(true);

    const third = await home.ptb(['submit', '--plan', plan, '--yes'], { XDG_STATE_HOME: stateDir });
    expect(third.stdout).toMatch(/^0 submitted, 56 skipped$/m);
  });

  it('explains bad plans and missing confirmations, and submits nothing', async () => {
    const bad = join(home.root, 'bad.json');
    writeFileSync(bad, JSON.stringify({ models: ['Qwen/Qwen3-1.7B-Base'], evals: ['mmlu'], agentConfigs: ['claude/claude-opus-4-6'] }));
    expect(await home.ptb(['submit', '--plan', bad, '--yes'], { XDG_STATE_HOME: stateDir })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown eval(s): mmlu (valid: aime2025, arenahardwriting'),
    });
    expect(await home.ptb(['submit', '--plan', plan], { XDG_STATE_HOME: stateDir })).toMatchObject({ code: 2, stderr: expect.stringContaining('add --yes') });
    expect(await home.ptb(['submit', '--plan', join(home.root, 'none.json'), '--yes'], { XDG_STATE_HOME: stateDir })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('cannot be read'),
    });
    // 50 h on the local gpu partition (MaxTime 2 days): Slurm would take the job and leave it pending for ever.
    const long = join(home.root, 'long.json');
    writeFileSync(long, JSON.stringify({ models: ['Qwen/Qwen3-1.7B-Base'], evals: ['gsm8k'], agentConfigs: ['claude/claude-sonnet-4-5'], hours: [50] }));
    const ledgerBefore = existsSync(ledger) ? readFileSync(ledger, 'utf8') : '';
    expect(await home.ptb(['submit', '--plan', long, '--yes'], { XDG_STATE_HOME: stateDir })).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('longer than partition gpu allows (2-00:00:00)'),
    });
    expect(existsSync(ledger) ? readFileSync(ledger, 'utf8') : '').toBe(ledgerBefore);
  });

  it('asks for a passed compute preflight before GPU-hours: --yes alone does not skip it, --ignore-preflight does and says so', async () => {
    const record = join(home.resultsDir, '.ptb-preflight', 'last-compute.json');
    const one = join(home.root, 'one.json');
    // A task of its own (2 h): the 56-task plan above has its 1 h ones queued or scored already.
    writeFileSync(one, JSON.stringify({ models: ['Qwen/Qwen3-1.7B-Base'], evals: ['humaneval'], agentConfigs: ['claude/claude-sonnet-4-5'], hours: [2] }));
    const ledgerBefore = existsSync(ledger) ? readFileSync(ledger, 'utf8') : '';
    const passed = JSON.parse(readFileSync(record, 'utf8')) as object;
    rmSync(record, { force: true });
    expect(await home.ptb(['submit', '--plan', one, '--yes'], { XDG_STATE_HOME: stateDir })).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('no compute preflight has run for this setup'),
    });
    // A failing one names its failing checks.
    writeFileSync(record, JSON.stringify({ ...passed, results: [{ id: 'gpu', status: 'fail', finding: 'NVIDIA H200 (143771 MiB): no H100' }] }));
    const failing = await home.ptb(['submit', '--plan', one, '--yes'], { XDG_STATE_HOME: stateDir });
    expect(failing).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(
        /the compute preflight of .* failed: gpu \(NVIDIA H200 \(143771 MiB\): no H100\)\.\nNothing submitted: run `ptb preflight --compute` first, or add --ignore-preflight/,
      ),
    });
    expect(existsSync(ledger) ? readFileSync(ledger, 'utf8') : '').toBe(ledgerBefore);
    // A dry run spends nothing: it does not ask.
    expect(await home.ptb(['submit', '--plan', one, '--dry-run'], { XDG_STATE_HOME: stateDir })).toMatchObject({ code: 0 });
    // The setup changed since: that preflight no longer counts.
    home.passPreflight();
    const config = join(home.configDir, 'config.json');
    const before = readFileSync(config, 'utf8');
    writeFileSync(
      config,
      JSON.stringify({ ...(JSON.parse(before) as { slurm: object }), slurm: { ...(JSON.parse(before) as { slurm: object }).slurm, mem: '2G' } }, null, 2),
    );
    expect(await home.ptb(['submit', '--plan', one, '--yes'], { XDG_STATE_HOME: stateDir })).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('ran before the setup changed'),
    });
    const forced = await home.ptb(['submit', '--plan', one, '--yes', '--ignore-preflight'], { XDG_STATE_HOME: stateDir });
    expect(forced).toMatchObject({ code: 0, stderr: expect.stringContaining('ptb: note: --ignore-preflight: submitting although the last compute preflight') });
    const jobId = Number(/submitted, job (\d+)/.exec(forced.stderr)?.[1]);
    expect(jobId, forced.stderr).toBeGreaterThan(0);
    slurm.submittedIds.push(jobId);
    writeFileSync(config, before);
  });
});
