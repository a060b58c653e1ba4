import { appendFileSync, cpSync, existsSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLedger } from '../../src/submit/ledger.js';
import { clusterScript } from '../helpers/cluster.js';
import { submittingWorld } from '../helpers/e2e-world.js';
import { keys, type PtySession } from '../helpers/pty-session.js';
import { PTB_BIN } from '../helpers/paths.js';
import { waitFor } from '../helpers/wait.js';

const KEYS = { ANTHROPIC_API_KEY: 'sk-ant-e2e-monitor-key-0001', OPENAI_API_KEY: 'sk-proj-e2e-monitor-key-0002' };
const world = submittingWorld('mon', KEYS);
const { slurm, home, stateDir, ledgerFile } = world;
const EXPERIMENT = world.experiment;

const { submit } = world;

const ptb = (cols: number, rows: number, args: string[] = []): Promise<PtySession> => world.ptb(cols, rows, args);

describe('the job monitor', () => {
  // First: a shell step on the local cluster needs its GPU accounting fresh (see local-slurm.sh heal).
  it("follows the selected job's logs in the pane, redacted, shows a file whole in the pager, redacted too, and opens a shell in the job: in a pane, or the whole terminal where node-pty cannot load", async () => {
    // The timeout outcome's agent keeps running: the run stays in its agent phase.
    const runner = await submit('healthbench', { PTB_FIXTURE_OUTCOME: 'timeout', PTB_FIXTURE_SLEEP: '300' });
    const paged = join(home.root, 'paged.txt');
    // SHELL=/bin/sh: the shell step must not depend on the developer's ~/.bashrc (a stale pyenv lock there hangs bash a minute).
    const session = await world.ptb(120, 30, ['--interval', '2'], { PAGER: `tee ${paged}`, SHELL: '/bin/sh' });
    await session.waitForText('controller up');
    session.press('6');
    await session.waitForText(new RegExp(`${runner}\\s+RUNNING\\s+healthben`), 30_000);
    const solveOut = join(home.resultsDir, `claude_claude-sonnet-4-5_1h${EXPERIMENT}`, `healthbench_Qwen_Qwen3-1.7B-Base_${runner}`, 'solve_out.txt');
    await waitFor(() => existsSync(solveOut), { timeoutMs: 30_000, what: 'the run to write solve_out.txt' });
    appendFileSync(solveOut, `codex: using CODEX_API_KEY=${KEYS.OPENAI_API_KEY} and sk-ant-someoneelses0123456789\n`);
    // Only this job: the grid lists every ptb job of the user.
    session.press('/');
    session.press(`${runner}\r`);
    await session.waitForText(`/${runner}`);
    session.press('l');
    await session.waitForText('[output.log]');
    await session.waitForText('phase: agent running');
    session.press(']');
    session.press(']');
    await session.waitForText('[solve_out]');
    await session.waitForText('codex: using CODEX_API_KEY=<redacted> and sk-ant-<redacted>');
    // New lines show within a second or so.
    appendFileSync(solveOut, 'a line written while watching\n');
    await session.waitForText('a line written while watching', 5_000);
    session.press('o');
    await waitFor(() => existsSync(paged) && readFileSync(paged, 'utf8').includes('a line written while watching'), {
      timeoutMs: 10_000,
      what: 'the pager to get the file',
    });
    await session.waitForText('[solve_out]');
    expect(readFileSync(paged, 'utf8')).toContain('CODEX_API_KEY=<redacted>');
    for (const value of Object.values(KEYS)) {
      expect(session.output()).not.toContain(value);
      expect(readFileSync(paged, 'utf8')).not.toContain(value);
    }
    // The screen answers keys again after the pager.
    session.press('l');
    await waitFor(() => !session.screen().includes('[solve_out]'), { timeoutMs: 5_000, what: 'the pane to close', describe: () => session.screen() });

    // A shell inside the job's allocation, on its node, in a pane under the header; exit, then a key, come back to the grid.
    session.press('s');
    await session.waitForText(`shell on job ${runner}: srun --jobid=${runner} --overlap --pty /bin/sh`);
    // The step starts on the node: its prompt says the shell reads keys.
    await session.waitForText(/[#$]\s*$/m, 30_000);
    session.press('echo "inside job $SLURM_JOB_ID"\r');
    await session.waitForText(`inside job ${runner}`);
    expect(session.screen()).toContain('ptb 0.1.0 | 6 monitor');
    // The shell's terminal is the pane's size, also after the terminal is resized.
    session.resize(100, 28);
    await new Promise((resolve) => setTimeout(resolve, 500));
    session.press('stty size\r');
    await session.waitForText(/^20 99\s*$/m);
    session.press('exit\r');
    await session.waitForText(`the shell on job ${runner} ended (exit 0): any key returns`);
    session.press('x');
    await session.waitForText(new RegExp(`${runner}\\s+RUNNING\\s+healthben`));
    // ctrl+] detaches from a shell that is still running.
    session.press('s');
    await session.waitForText(`shell on job ${runner}`);
    session.press('\x1d');
    await session.waitForText(new RegExp(`${runner}\\s+RUNNING\\s+healthben`));
    // Keys reach the screen again.
    session.press('l');
    await session.waitForText('[solve_out]');
    session.press('q');
    await session.waitForExit();

    // Where node-pty cannot load (the bundle alone, without node_modules), the shell takes the whole terminal, and exit comes back.
    const alone = join(home.root, 'bundle-alone');
    // The bundle is ptb.js and the chunks it loads on use.
    cpSync(dirname(PTB_BIN), alone, { recursive: true, filter: (path) => !path.endsWith('.map') });
    const bare = await world.ptb(120, 30, ['--interval', '2'], { SHELL: '/bin/sh' }, join(alone, 'ptb.js'));
    bare.press('6');
    await bare.waitForText(new RegExp(`${runner}\\s+RUNNING\\s+healthben`), 30_000);
    bare.press('/');
    bare.press(`${runner}\r`);
    await bare.waitForText(`/${runner}`);
    bare.press('s');
    await bare.waitForText(/[#$]\s*$/m, 30_000);
    bare.press('echo "whole terminal in job $SLURM_JOB_ID"\r');
    await bare.waitForText(`whole terminal in job ${runner}`);
    expect(bare.screen()).not.toContain('ptb 0.1.0 | 6 monitor');
    bare.press('exit\r');
    await bare.waitForText(/the shell took the whole terminal \(exit returned here\): node-pty cannot load here/);
    await bare.waitForText(new RegExp(`${runner}\\s+RUNNING\\s+healthben`));
    // Keys reach the screen again.
    bare.press('l');
    await bare.waitForText('[output.log]');
    await slurm.cancel([runner]);
  });

  it('shows the end of a 2 GB log without line breaks in the pane and in the pager, answers q at once, and says when the log is deleted', async () => {
    const runner = await submit('arenahardwriting', { PTB_FIXTURE_OUTCOME: 'slow', PTB_FIXTURE_SLEEP: '300' });
    // Slurm's stderr of the job: replaced by 2 GB of NULs (a log truncated under its writer) and a last real line.
    const stderr = join(`${home.resultsDir}.ptb-slurm`, EXPERIMENT, 'logs', `${runner}.err`);
    await waitFor(() => existsSync(stderr), { timeoutMs: 30_000, what: "the job's stderr file" });
    rmSync(stderr);
    writeFileSync(stderr, '');
    truncateSync(stderr, 2 * 1024 ** 3);
    appendFileSync(stderr, 'the real last line of a 2 GB log\n');
    const session = await world.ptb(120, 30, ['--interval', '2'], { PAGER: 'less +G', LESS: '' });
    session.press('6');
    await session.waitForText(new RegExp(`${runner}\\s+RUNNING\\s+arenahar`), 30_000);
    session.press('/');
    session.press(`${runner}\r`);
    await session.waitForText(`/${runner}`);
    session.press('l');
    await session.waitForText('[output.log]');
    session.press('[');
    await session.waitForText('[Slurm stderr]');
    await session.waitForText('…the real last line of a 2 GB log');
    session.press('o');
    await session.waitForText('[ptb: only the last 64.0 MB of this 2.0 GB file are shown here');
    await session.waitForText('(END)');
    session.press('q');
    await session.waitForText('[Slurm stderr]');
    // The screen answers keys again at once.
    session.press(']');
    await session.waitForText('[output.log]');
    session.press('[');
    await session.waitForText('…the real last line of a 2 GB log');
    rmSync(stderr);
    await session.waitForText(`${stderr} (deleted: below is what it held)`);
    expect(session.screen()).toContain('…the real last line of a 2 GB log');
    session.press('q');
    await session.waitForExit();
    await slurm.cancel([runner]);
  });

  it('shows running and failed jobs with their tasks, resubmits the failure, cancels the runner, and details a job', async () => {
    const running = await submit('gsm8k', { PTB_FIXTURE_OUTCOME: 'slow', PTB_FIXTURE_SLEEP: '300' });
    const failed = await submit('humaneval', { PTB_FIXTURE_OUTCOME: 'no-metrics', PTB_FIXTURE_EXIT: '3' });
    const session = await ptb(120, 30, ['--interval', '2']);
    await session.waitForText('controller up');
    session.press('6');
    await session.waitForText(new RegExp(`${running}\\s+RUNNING\\s+gsm8k\\s+Qwen3-1.7B-Base\\s+claude-sonnet-4-5 1h`), 30_000);
    await session.waitForText(new RegExp(`${failed}\\s+FAILED\\s+humaneval`), 30_000);

    // Failed only (f steps all, running, pending, failed), then resubmit it: a new job, linked to the old one in the ledger.
    session.press('fff');
    await session.waitForText('showing failed');
    expect(session.screen()).not.toMatch(/RUNNING\s+gsm8k/);
    session.press('r');
    await session.waitForText(`Resubmit 1 job(s): ${failed}? y to confirm`);
    session.press('y');
    await session.waitForText(new RegExp(`resubmitted ${failed} -> (\\d+)`), 30_000);
    const again = Number(new RegExp(`resubmitted ${failed} -> (\\d+)`).exec(session.screen())?.[1]);
    slurm.submittedIds.push(again);
    expect(readLedger(ledgerFile).find((e) => e.jobId === again)).toMatchObject({ resubmitOf: String(failed), task: { eval: 'humaneval' } });
    // Pressed again: nothing is offered twice.
    session.press('r');
    await session.waitForText('nothing to resubmit');

    // Everything (through the palette), the runner selected through the fuzzy filter, cancelled after a question.
    session.press(':show all');
    session.press(keys.enter);
    await session.waitForText('showing all');
    session.press('/');
    session.press('gsm8k');
    session.press(keys.enter);
    await session.waitForText('/gsm8k');
    session.press('c');
    await session.waitForText(`Cancel 1 job(s): ${running}? y to confirm`);
    session.press('4');
    await session.waitForText('cancel: nothing done');
    session.press('c');
    await session.waitForText(`Cancel 1 job(s): ${running}?`);
    session.press('y');
    await session.waitForText(`cancelled ${running}`);
    await session.waitForText(new RegExp(`${running}\\s+CANCELLED\\s+gsm8k`), 30_000);

    session.press(keys.enter);
    await session.waitForText('EVAL_DIR');
    expect(session.screen()).toContain(`task key       ptb1|agent|gsm8k|Qwen/Qwen3-1.7B-Base|claude|claude-sonnet-4-5|1|1|${EXPERIMENT}`);
    expect(session.screen()).toMatch(/stdout\s+\/\S+\/logs\/\d+\.out/);
    session.press(keys.escape);
    await session.waitForText('showing all');
    for (const value of Object.values(KEYS)) expect(session.output()).not.toContain(value);
  });

  it('does the same from scripts: status --json, cancel by task key, resubmit --failed, bad names', async () => {
    const failed = await submit('bfcl', { PTB_FIXTURE_OUTCOME: 'no-metrics', PTB_FIXTURE_EXIT: '3' });
    const slow = await submit('aime2025', { PTB_FIXTURE_OUTCOME: 'slow', PTB_FIXTURE_SLEEP: '300' });
    const run = (args: string[]) => home.ptb(args, { XDG_STATE_HOME: stateDir });
    await waitFor(
      async () => {
        const out = await run(['status', '--json']);
        const jobs = (JSON.parse(out.stdout) as { jobs: { id: string; state: string }[] }).jobs;
        return jobs.find((j) => j.id === String(failed))?.state === 'FAILED' && jobs.find((j) => j.id === String(slow))?.state === 'RUNNING';
      },
      { timeoutMs: 30_000, what: 'the failure and the runner in ptb status --json' },
    );

    expect(await run(['cancel', '999999', '--yes'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('so nothing was cancelled:\n  999999 is not a job of this setup, in the queue or the ledger'),
    });
    expect(await run(['cancel', String(slow)])).toMatchObject({ code: 2, stderr: expect.stringContaining('add --yes') });
    const key = `ptb1|agent|aime2025|Qwen/Qwen3-1.7B-Base|claude|claude-sonnet-4-5|1|1|${EXPERIMENT}`;
    expect(await run(['cancel', key, '--yes'])).toMatchObject({ code: 0, stdout: `cancelled ${slow}\n` });

    const resubmitted = await run(['resubmit', '--failed', '--yes']);
    expect(resubmitted).toMatchObject({ code: 0, stdout: expect.stringContaining(`${failed} -> `) });
    for (const m of resubmitted.stdout.matchAll(/-> (\d+)/g)) slurm.submittedIds.push(Number(m[1]));
    expect((await run(['resubmit', '--failed', '--yes'])).stdout).toBe('no failed job to resubmit\n');
    expect(await run(['resubmit', String(failed), '--yes'])).toMatchObject({ code: 2, stderr: expect.stringContaining(`${failed} (already resubmitted as `) });
    const text = await run(['status']);
    expect(text.stdout).toMatch(new RegExp(`^${failed}\\s+FAILED\\s+bfcl`, 'm'));
    expect(readFileSync(ledgerFile, 'utf8')).not.toContain(KEYS.ANTHROPIC_API_KEY);
  });

  it('survives the controller stopping for a minute: keeps the grid, says so, recovers by itself', async () => {
    const runner = await submit('gpqamain', { PTB_FIXTURE_OUTCOME: 'slow', PTB_FIXTURE_SLEEP: '400' });
    const session = await ptb(120, 30, ['--interval', '2']);
    await session.waitForText('controller up');
    session.press('6');
    await session.waitForText(new RegExp(`${runner}\\s+RUNNING\\s+gpqamain`), 30_000);
    await clusterScript('stop-controller');
    const stoppedAt = Date.now();
    try {
      await session.waitForText(
        /controller unreachable since \d\d:\d\d:\d\d - (retrying at \d\d:\d\d:\d\d|refreshing\.\.\.) - showing data from \d\d:\d\d:\d\d/,
        40_000,
      );
      expect(session.screen()).toMatch(new RegExp(`${runner}\\s+RUNNING\\s+gpqamain`));
      // Keys still answer while Slurm does not.
      session.press(':fail');
      session.press(keys.enter);
      await session.waitForText('showing failed');
      session.press('ff');
      await session.waitForText('showing all');
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 60_000 - (Date.now() - stoppedAt))));
      expect(session.screen()).toMatch(new RegExp(`${runner}\\s+RUNNING\\s+gpqamain`));
    } finally {
      await clusterScript('start-controller');
    }
    // No key pressed: the back-off brings it back within a minute.
    await session.waitForText(/live - last change \d\d:\d\d:\d\d/, 75_000);
    expect(session.screen()).not.toContain('unreachable');
    expect(session.screen()).toMatch(new RegExp(`${runner}\\s+RUNNING\\s+gpqamain`));
  }, 200_000);
});
