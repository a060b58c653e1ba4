import { existsSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { setupIdentity } from '../../src/submit/setup-identity.js';
import { describe, expect, it } from 'vitest';
import { readPlanFile } from '../../src/plan/plan.js';
import { containerTestMarker } from '../../src/submit/experiment-dir.js';
import { fakeBin, REAL } from '../helpers/fake-bin.js';
import { submittingWorld } from '../helpers/e2e-world.js';
import { keys, type PtySession } from '../helpers/pty-session.js';
import { waitFor } from '../helpers/wait.js';
import { loadConfigFile } from '../../src/config/config-file.js';

const KEYS = { ANTHROPIC_API_KEY: 'sk-ant-e2e-compose-key-0001', OPENAI_API_KEY: 'sk-proj-e2e-compose-key-0002' };
const world = submittingWorld('compose', KEYS);
const { slurm, home, stateDir } = world;
const EXPERIMENT = world.experiment;
// The job runs with the submitting environment: this apptainer answers like the real one on an H100 node.
const bin = fakeBin(join(home.root, 'bin'), { apptainer: `[ "$1" = exec ] && echo "${REAL.nvidiaSmiL}" && exit 0; echo "${REAL.apptainer134}"` });

async function ptb(cols: number, rows: number): Promise<PtySession> {
  const session = await world.ptb(cols, rows, [], { PATH: `${bin}:${process.env.PATH ?? ''}`, PAGER: '', LESS: '' });
  await session.waitForText('controller up');
  return session;
}

describe('compose, review, submit in the TUI', () => {
  it('climbs the trial ladder: the container test runs and passes, then a smoke run is submitted once', async () => {
    const config = loadConfigFile(join(home.configDir, 'config.json'));
    if (config.kind !== 'ok') throw new Error('no configuration');
    // Tall enough for the review to show the whole container-test script.
    const session = await ptb(100, 40);
    session.press('4');
    await session.waitForText('container test (standard.sif) not yet');

    // The setup's image, and the one every run is evaluated in (run_task.sh names it): both must see a GPU.
    session.press('c');
    await session.waitForText('container test of standard.sif, vllm_debug.sif = 2 task(s)');
    session.press(keys.enter);
    await session.waitForText('Review: 2 task(s), up to 0.5 GPU-hours (0:15:00 each)');
    await session.waitForText('apptainer exec --nv');
    // The second task's whole script in the pager; back, the review is as it was left.
    session.press('j');
    await session.waitForText("POST_TRAIN_BENCH_CONTAINER_NAME='vllm_debug'");
    session.press('o');
    await session.waitForText(/^sbatch --parsable[\s\S]*POST_TRAIN_BENCH_CONTAINER_NAME='vllm_debug'[\s\S]*\(END\)/);
    session.press('q');
    await session.waitForText('Review: 2 task(s)');
    expect(session.screen()).toContain("POST_TRAIN_BENCH_CONTAINER_NAME='vllm_debug'");
    session.press('s');
    await session.waitForText('Submit 2 task(s), up to 0.5 GPU-hours (0:15:00 each)? y to submit');
    session.press('y');
    await session.waitForText(/job \d+[\s\S]*submitting \[#+\] 2\/2 - done/);
    for (const image of ['standard', 'vllm_debug'])
      await waitFor(() => existsSync(containerTestMarker(config.config, image)), { timeoutMs: 60_000, what: `the container test of ${image} to pass` });

    // Back to the overview and in again: the ladder is read afresh.
    session.press(keys.escape);
    await session.waitForText('Compose a plan');
    session.press(keys.escape);
    await session.waitForText('4 new plan');
    session.press('4');
    await session.waitForText('container test (standard.sif) passed');

    session.press('s');
    await session.waitForText('1 x 1 x 1 x 1 = 1 tasks');
    session.press(keys.enter);
    await session.waitForText('gsm8k x Qwen3-1.7B-Base x claude/claude-sonnet-4-5 x 1h');
    session.press('d');
    await session.waitForText(/ok \(test-only\)[\s\S]*dry run \[#+\] 1\/1 - done/);
    session.press('s');
    session.press('y');
    await session.waitForText(/job (\d+)[\s\S]*submitting \[#+\] 1\/1 - done/);
    const jobId = Number(/job (\d+)/.exec(session.screen())?.[1]);
    const listed = await slurm.jobs({ user: 'me', includeFinished: true });
    // The task's key, then the setup it belongs to (its results folder's id).
    expect(listed.ok && listed.value.find((j) => j.rawJobId === jobId)?.comment).toBe(
      `ptb1|agent|gsm8k|Qwen/Qwen3-1.7B-Base|claude|claude-sonnet-4-5|1|1|${EXPERIMENT}|${setupIdentity({ resultsDir: home.resultsDir }).id}`,
    );

    // Again: skipped, never a second job, whether the first still runs or has scored.
    session.press('s');
    session.press('y');
    await session.waitForText(/(in queue \d+|already scored)[\s\S]*1\/1 - done/);
    const ledger = readFileSync(join(stateDir, 'ptb-slurm', 'ledger.jsonl'), 'utf8');
    expect(ledger.split('\n').filter((l) => l.includes('"kind":"agent"'))).toHaveLength(1);
    for (const value of Object.values(KEYS)) {
      expect(session.output()).not.toContain(value);
      expect(ledger).not.toContain(value);
    }
  });

  it('blocks a plan whose keys or images are missing, with the fix, and saves a plan ptb submit reads back', async () => {
    const session = await ptb(80, 24);
    session.press('4');
    await session.waitForText('Compose a plan');
    // Every agent configuration picked (the setup names claude only): the full run keeps them.
    session.press('\t\t');
    session.press('a');
    await session.waitForText(/Agent configs \((\d+)\/\1\)/);
    session.press('f');
    session.press(keys.enter);
    await session.waitForText('blocked: no GEMINI_API_KEY');
    session.press('s');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(session.screen()).not.toContain('Submit ');

    session.press(keys.escape);
    await session.waitForText('Compose a plan');
    session.press('w');
    await session.waitForText('saved: ptb submit --plan');
    const plans = join(`${home.resultsDir}.ptb-slurm`, EXPERIMENT, 'plans');
    const file = join(plans, readdirSync(plans)[0] ?? '');
    expect(session.screen().replace(/\s+/g, '')).toContain(file);
    const plan = await readPlanFile(file);
    expect(plan.ok && plan.plan.models).toHaveLength(4);
    // Without the image every run is evaluated in, a run would spend its budget, then fail.
    const evaluation = join(home.containersDir, 'vllm_debug.sif');
    renameSync(evaluation, `${evaluation}.moved`);
    const check = await home.ptb(['submit', '--plan', file, '--dry-run'], { XDG_STATE_HOME: stateDir });
    renameSync(`${evaluation}.moved`, evaluation);
    expect(check).toMatchObject({ code: 1, stderr: expect.stringContaining('blocked, nothing submitted') });
    expect(check.stderr).toContain(`${evaluation} is missing: the checkout's src/run_task.sh runs every task in it too`);
  });
});
