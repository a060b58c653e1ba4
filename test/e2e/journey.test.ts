import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/process/run.js';
import { testSlurm } from '../helpers/cluster.js';
import { FIXTURE_CHECKOUT, PTB_BIN } from '../helpers/paths.js';
import { ptbHome } from '../helpers/ptb-home.js';
import { keys, PtySession } from '../helpers/pty-session.js';
import { waitFor } from '../helpers/wait.js';

// Planted keys: after the journey none may be found outside the secrets file.
const ANTHROPIC = 'sk-ant-api03-journey-planted-key-QqZ7';
const OPENAI = 'sk-proj-journey-planted-key-0000-WxY8';
const EXPERIMENT = `_journey${process.pid}`;

const slurm = testSlurm();
const home = ptbHome();
const stateDir = join(home.root, 'state');
const sessions: PtySession[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.kill();
});
afterAll(async () => {
  const mine = await slurm.jobs({ user: 'me' });
  if (mine.ok)
    await slurm.cancel(
      mine.value
        .filter((j) => j.comment?.includes(`|${EXPERIMENT}`) || j.name === 'ptb-e2e journey holder' || j.name === 'ptb-preflight-probe')
        .map((j) => j.rawJobId),
    );
  await slurm.cleanup();
  home.remove();
});

/** Every file under a folder, with its text (the scripts, the logs, the manifests ptb wrote). */
function filesUnder(dir: string): { path: string; text: string }[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [{ path, text: readFileSync(path, 'utf8') }];
  });
}

describe('the newcomer journey, in one terminal', () => {
  it('goes from no configuration to a scored smoke run, then diagnoses, resubmits and cancels, and leaks no key', async () => {
    writeFileSync(join(home.containersDir, 'standard.sif'), '');
    writeFileSync(join(home.containersDir, 'vllm_debug.sif'), '');
    const env = {
      ...home.env,
      XDG_STATE_HOME: stateDir,
      // The fixture's runs: the smoke run's phases take seconds (its log grows while it runs); in the second plan
      // humaneval's agent crashes and aime2025's agent runs long enough to be cancelled.
      PTB_FIXTURE_OUTCOME_GSM8K: 'slow',
      PTB_FIXTURE_SLEEP_GSM8K: '4',
      PTB_FIXTURE_OUTCOME_HUMANEVAL: 'agent-failure',
      PTB_FIXTURE_EXIT_HUMANEVAL: '1',
      PTB_FIXTURE_OUTCOME_AIME2025: 'timeout',
      PTB_FIXTURE_SLEEP_AIME2025: '300',
    };
    const session = await PtySession.start(process.execPath, [PTB_BIN, '--interval', '2'], { cols: 110, rows: 34, cwd: FIXTURE_CHECKOUT, env });
    sessions.push(session);

    // 1. No configuration: the wizard, with the planted keys typed in.
    await session.waitForText('Setup - step 1/6: PostTrainBench checkout');
    session.press(keys.enter);
    await session.waitForText('step 2/6: Paths');
    await session.retype(home.hfHome, /HF_HOME\s+\/.*hf_ ok/);
    session.press(keys.enter);
    await session.retype(home.resultsDir, /Results dir\s+\/.*results_ ok/);
    session.press(keys.enter);
    await session.retype(home.containersDir, /Containers dir\s+\/.*containers_ ok/);
    session.press(keys.enter);
    session.press(keys.enter);
    await session.retype(EXPERIMENT, new RegExp(`Experiment name\\s+${EXPERIMENT}_ ok`));
    session.press(keys.enter);
    await session.waitForText('step 3/6: Agents and budget');
    await session.retype('claude,codex', /Agents\s+claude,codex_ ok/);
    session.press(keys.enter);
    await session.retype('1', /Hours\s+1_ ok/);
    session.press(keys.enter);
    await session.waitForText('step 4/6: Slurm resources');
    // Partition, GRES, constraint, account, QOS as discovered; then requests the one-node cluster can run at once.
    for (let i = 0; i < 5; i++) session.press(keys.enter);
    await session.retype('1', /CPUs\s+1_ ok/);
    session.press(keys.enter);
    await session.retype('1G', /Memory\s+1G_ ok/);
    session.press(keys.enter);
    await session.retype('0:20:00', /Time limit\s+0:20:00_ ok/);
    session.press(keys.enter);
    await session.retype('', /Tmp disk\s+_/);
    for (let i = 0; i < 4; i++) session.press(keys.enter);
    await session.waitForText('step 5/6: API keys');
    session.press(ANTHROPIC);
    await session.waitForText(/ANTHROPIC_API_KEY\s+\*+_/);
    session.press(keys.enter);
    session.press(OPENAI);
    session.press(keys.enter);
    await session.waitForText('step 6/6: Review and save');
    session.press(keys.enter);

    // 2. The overview: where the ladder stands and what to do next.
    await session.waitForText('Trial ladder');
    // The fixture's outcome knobs above reach the jobs only through the configuration's passEnvironment,
    // which a site adds by hand (jobs get no other variable of the login shell).
    const configFile = join(home.configDir, 'config.json');
    writeFileSync(configFile, JSON.stringify({ ...(JSON.parse(readFileSync(configFile, 'utf8')) as object), passEnvironment: ['PTB_FIXTURE_*'] }, null, 2));
    await session.waitForText('next: container test: 4 composes, c picks it');
    await session.waitForText('1 overview');

    // 3. Preflight: the login checks, then the probe job on a compute node.
    session.press('3');
    await session.waitForText('1 overview > 3 preflight');
    await session.waitForText(/PASS\s+login\s+slurm/);
    await session.waitForText(/PASS\s+compute\s+probe-job\s+job \d+ ran on node01/, 90_000);
    await session.waitForText(/probe job \d+: done/);

    // A job holding the node's CPUs: the smoke run waits (PENDING) until it is cancelled.
    const holder = await slurm.submit({
      payload: { wrap: 'sleep 300' },
      jobName: 'ptb-e2e journey holder',
      partition: 'cpu',
      cpusPerTask: 64,
      time: '00:10:00',
      output: '/dev/null',
    });
    if (!holder.ok) throw new Error(holder.error.message);
    // The probe job may still be completing on the node: give the holder time, and say what it waited on.
    let queue = '';
    await waitFor(
      async () => {
        const r = await slurm.jobs({});
        if (!r.ok) return false;
        queue = r.value.map((j) => `${j.jobId} ${j.name} ${j.state} ${j.reason ?? ''}`).join('\n');
        return r.value.find((j) => j.rawJobId === holder.value.jobId)?.state === 'RUNNING';
      },
      { timeoutMs: 90_000, what: 'the CPU holder to run', describe: () => `the queue:\n${queue}` },
    );

    // 4. Compose the smoke preset through the palette, review its script, submit it.
    session.press(':comp');
    await session.waitForText(':comp_');
    session.press(keys.enter);
    await session.waitForText('Compose a plan');
    session.press('s');
    await session.waitForText('1 x 1 x 1 x 1 = 1 tasks');
    session.press(keys.enter);
    await session.waitForText('4 compose > 5 review');
    await session.waitForText('#SBATCH --job-name=ptb-gsm8k-claude');
    await session.waitForText(`export POST_TRAIN_BENCH_EXPERIMENT_NAME='${EXPERIMENT}'`);
    // This node has no nvidia-smi: the probe said so, and the review says it before GPU-hours are spent.
    await session.waitForText(/warning: the compute preflight of .* failed: gpu \(nvidia-smi is not on the node\)/);
    session.press('s');
    await session.waitForText('? y to submit although');
    session.press('y');
    await session.waitForText(/submitting \[#+\] 1\/1 - done/, 30_000);
    const smoke = Number(/job (\d+)/.exec(session.screen())?.[1]);
    expect(smoke).toBeGreaterThan(0);

    // 5. The monitor: PENDING behind the holder, RUNNING once it is gone, its output.log growing in the pane.
    session.press('6');
    await session.waitForText(new RegExp(`${smoke}\\s+PENDING\\s+gsm8k`), 30_000);
    await slurm.cancel([holder.value.jobId]);
    await session.waitForText(new RegExp(`${smoke}\\s+RUNNING\\s+gsm8k`), 60_000);
    // The grid lists every ptb job of the user (other experiments too): the filter takes the selection to this one.
    session.press(`/${smoke}`);
    session.press(keys.enter);
    session.press('l');
    await session.waitForText('Preparing job directory...', 30_000);
    await session.waitForText('========= RUNNING TASK =========', 30_000);
    await session.waitForText('=== TASK COMPLETE, PARSING AGENT TRACE ===', 60_000);
    await session.waitForText(new RegExp(`${smoke}\\s+COMPLETED\\s+gsm8k`), 90_000);
    session.press('l');
    session.press('/');
    await session.escape();

    // 6. Results: the fixture's gsm8k score (0.4312), x100.
    session.press('7');
    await session.waitForText(`claude_claude-sonnet-4-5_1h${EXPERIMENT}`);
    await session.waitForText(/Qwen3-1\.7B-Base\s+43\.1/);
    session.press('1');
    await session.waitForText(/3 smoke agent run\s+passed/);

    // 7. A second plan: humaneval's agent crashes, aime2025's runs on.
    session.press('4');
    await session.waitForText('Compose a plan');
    session.press('s');
    session.press('\t');
    for (const [evalId, shown] of [
      ['humaneval', /\[x\] humaneval/],
      ['aime2025', /\[x\] aime2025/],
      ['gsm8k', /\[ \] gsm8k/],
    ] as const) {
      session.press(`/${evalId}`);
      session.press(keys.enter);
      session.press(' ');
      await session.waitForText(shown);
      session.press('/');
      await session.escape();
    }
    await session.waitForText('1 x 2 x 1 x 1 = 2 tasks');
    session.press(keys.enter);
    await session.waitForText('Review: 2 task(s)');
    session.press('s');
    session.press('y');
    await session.waitForText(/submitting \[#+\] 2\/2 - done/, 30_000);
    session.press('6');
    const failed = await waitFor(() => Number(/(\d+)\s+FAILED\s+humanev/.exec(session.screen())?.[1]) || undefined, {
      timeoutMs: 90_000,
      what: 'humaneval to fail',
      describe: () => session.screen(),
    });
    const runner = await waitFor(() => Number(/(\d+)\s+RUNNING\s+aime2025/.exec(session.screen())?.[1]) || undefined, {
      timeoutMs: 60_000,
      what: 'aime2025 to run',
      describe: () => session.screen(),
    });
    // Its diagnosis, in the grid.
    await session.waitForText(/FAILED\s+humanev.*the agent/);

    // r resubmits the failure (the selection goes to it through the filter), c cancels the runner.
    session.press(`/${failed}`);
    session.press(keys.enter);
    session.press('r');
    await session.waitForText(`Resubmit 1 job(s): ${failed}? y to confirm`);
    session.press('y');
    await session.waitForText(new RegExp(`resubmitted ${failed} -> (\\d+)`), 30_000);
    session.press('/');
    await session.escape();
    session.press(`/${runner}`);
    session.press(keys.enter);
    session.press('c');
    await session.waitForText(`Cancel 1 job(s): ${runner}? y to confirm`);
    session.press('y');
    await session.waitForText(new RegExp(`${runner}\\s+CANCELLED\\s+aime2025`), 30_000);

    // 8. No planted key anywhere ptb writes or Slurm keeps, nor on the screen.
    const jobIds = [smoke, failed, runner];
    const slurmViews = await Promise.all(
      jobIds.flatMap((id) => [
        run('scontrol', ['show', 'job', '-dd', String(id)], { timeoutMs: 10_000 }),
        run('scontrol', ['write', 'batch_script', String(id), '-'], { timeoutMs: 10_000 }),
      ]),
    );
    const written = [
      ...filesUnder(`${home.resultsDir}.ptb-slurm`),
      ...filesUnder(home.resultsDir),
      ...filesUnder(stateDir),
      { path: 'config.json', text: readFileSync(join(home.configDir, 'config.json'), 'utf8') },
      ...slurmViews.map((r, i) => ({ path: `scontrol ${String(i)}`, text: r.kind === 'ok' ? r.stdout : '' })),
      { path: 'the screen', text: session.output() },
    ];
    expect(written.filter((f) => f.path.endsWith('.sh')).length).toBeGreaterThan(0);
    for (const f of written) {
      expect(f.text, f.path).not.toContain(ANTHROPIC);
      expect(f.text, f.path).not.toContain(OPENAI);
    }
    // The keys are where they belong.
    expect(readFileSync(join(home.configDir, 'secrets.env'), 'utf8')).toContain(ANTHROPIC);

    session.press('q');
    expect(await session.waitForExit()).toMatchObject({ exitCode: 0 });
  }, 600_000);
});
