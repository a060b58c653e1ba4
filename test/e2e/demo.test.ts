import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/process/run.js';
import { buildSite, bundledPtb, DEMO_LABEL, demoSite, resetSite } from '../../scripts/demo/site.js';
import { assertLocalCluster } from '../helpers/cluster.js';
import { FIXTURE_CHECKOUT, PTB_BIN, REPO } from '../helpers/paths.js';
import { ptbHome } from '../helpers/ptb-home.js';
import { keys, PtySession } from '../helpers/pty-session.js';
import { waitFor } from '../helpers/wait.js';

assertLocalCluster();
const root = mkdtempSync(join(tmpdir(), 'ptb-demo-'));
const site = demoSite(join(root, 'site'));
const sessions: PtySession[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.kill();
});
afterAll(async () => {
  // What the demo left queued is cancelled the way `npm run demo -- --reset` does it.
  await resetSite(site, bundledPtb(PTB_BIN), () => undefined);
  rmSync(root, { recursive: true, force: true });
});

/** `npm run demo`'s site and environment step (scripts/demo.sh runs it before opening ptb). */
const demoMain = (args: string[]) =>
  run(process.execPath, ['scripts/run-ts.mjs', 'scripts/demo/main.ts', '--dir', site.dir, ...args], { cwd: REPO, timeoutMs: 240_000 });

/** A job id on screen: the first capture group of `pattern`. */
const idOn = (session: PtySession, pattern: RegExp, what: string, timeoutMs = 120_000) =>
  waitFor(() => Number(pattern.exec(session.screen())?.[1]) || undefined, { timeoutMs, what, describe: () => session.screen() });

describe('npm run demo', () => {
  it('takes a newcomer from the pre-filled wizard up the whole ladder on the local cluster, then resubmits a failed run', async () => {
    const built = await demoMain([]);
    expect(built).toMatchObject({ kind: 'ok', stdout: expect.stringContaining(`export XDG_CONFIG_HOME='${site.dir}/config'`) });
    // The earlier experiment is there at once: scored runs and failures of three classes.
    const ledger = readFileSync(site.ledger, 'utf8').trim().split('\n');
    expect(ledger).toHaveLength(11);

    const session = await PtySession.start(process.execPath, [PTB_BIN, '--interval', '2'], { cols: 110, rows: 34, cwd: REPO, env: site.env });
    sessions.push(session);

    // 1. The wizard, pre-filled by the demo site: enter, enter... saves it.
    await session.waitForText('Setup - step 1/6: PostTrainBench checkout');
    await session.waitForText(DEMO_LABEL);
    await session.waitForText(`${site.checkout}_ ok`);
    for (const [step, shown] of [
      ['step 2/6', `Experiment name  _demo_run1 ok`],
      ['step 5/6', /ANTHROPIC_API_KEY\s+\*+FAKE_?\s+from the environment/],
      ['step 6/6', 'Review and save'],
    ] as const) {
      await waitFor(
        async () => {
          if (session.screen().includes(step)) return true;
          session.press(keys.enter);
          await new Promise((r) => setTimeout(r, 150));
          return false;
        },
        { timeoutMs: 20_000, what: step, describe: () => session.screen() },
      );
      await session.waitForText(shown);
    }
    session.press(keys.enter);
    await session.waitForText('Trial ladder');
    await session.waitForText('next: container test');

    // 2. Preflight: the probe job on the demo node; every compute check passes, for a reason the details state.
    session.press('3');
    await session.waitForText(/probe job \d+: done/, 90_000);
    await session.waitForText(/Preflight\s+stand-ins in .*bin for nvidia-smi/);
    expect(session.screen()).not.toMatch(/FAIL/);
    const record = JSON.parse(readFileSync(join(site.dir, 'results', '.ptb-preflight', 'last-compute.json'), 'utf8')) as {
      results: { id: string; status: string }[];
    };
    expect(record.results.filter((r) => r.status !== 'pass')).toEqual([]);
    expect(record.results.map((r) => r.id)).toEqual(
      expect.arrayContaining(['gpu', 'apptainer', 'apptainer-gpu', 'fuse', 'tools', 'scratch', 'net:api.anthropic.com']),
    );

    // 3. The ladder's steps, each through the composer and the review, each a real submission.
    const climb = async (preset: string, tasks: string | RegExp, passed?: RegExp) => {
      session.press('4');
      await session.waitForText('Compose a plan');
      session.press(preset);
      await session.waitForText(tasks);
      session.press(keys.enter);
      await session.waitForText('4 compose > 5 review');
      session.press('s');
      await session.waitForText('y to submit');
      session.press('y');
      await session.waitForText(/submitting \[#+\] (\d+)\/\1 - done/, 60_000);
      if (!passed) return;
      session.press('1');
      await session.waitForText(passed, 120_000);
    };
    await climb('c', '= 2 task(s)', /1 container test \(standard\.sif\)\s+passed/);
    await climb('b', '= 1 baseline task(s)', /2 baseline\s+passed/);
    await climb('s', '1 x 1 x 1 x 1 = 1 tasks', /3 smoke agent run\s+passed/);

    // 4. The results: the smoke run's score (the fixture's gsm8k, 0.4312, x100) beside the earlier experiment's.
    session.press('7');
    await session.waitForText(/Results 1\/3/);
    await waitFor(
      async () => {
        if (/Results \d\/3: claude_claude-sonnet-4-5_\d+h_demo_run1/.test(session.screen())) return true;
        session.press('j');
        await new Promise((r) => setTimeout(r, 200));
        return false;
      },
      { timeoutMs: 10_000, what: "the smoke run's method", describe: () => session.screen() },
    );
    await session.waitForText(/Qwen3-1\.7B-Base\s+43\.1/);

    // 5. The full run: every model x eval, for the configuration the smoke run tried.
    await climb('f', /4 x 7 x 1 x 1 = 28 tasks/, /4 full submission\s+submitted \(29 agent tasks in this experiment\)/);

    // 6. The monitor: humaneval's API limit (its first run only, the demo's on-purpose failure), its log, r.
    session.press('6');
    session.press('/humaneval');
    session.press(keys.enter);
    const failed = await idOn(session, /(\d+)\s+COMPLETED\s+humanev\S*\s.*API usage limit/, 'a humaneval run to hit the API limit', 180_000);
    session.press('/');
    await session.escape();
    session.press(`/${failed}`);
    session.press(keys.enter);
    session.press('l');
    await session.waitForText(/\[output\.log\][\s\S]*TASK COMPLETE, PARSING AGENT TRACE/, 30_000);
    session.press('l');
    session.press('r');
    await session.waitForText(`Resubmit 1 job(s): ${failed}? y to confirm`);
    session.press('y');
    const again = await idOn(session, new RegExp(`resubmitted ${failed} -> (\\d+)`), 'the resubmission', 30_000);
    session.press('/');
    await session.escape();
    session.press(`/${again}`);
    session.press(keys.enter);
    await session.waitForText(new RegExp(`${again}\\s+COMPLETED\\s+humanev\\S*\\s.*scored`), 240_000);

    session.press('q');
    expect(await session.waitForExit()).toMatchObject({ exitCode: 0 });

    // 7. --reset: the demo's queued jobs cancelled, the site back to its first state (no configuration, no ledger).
    const reset = await demoMain(['--reset', '--no-history']);
    expect(reset.kind).toBe('ok');
    expect(existsSync(join(site.dir, 'config', 'ptb-slurm', 'config.json'))).toBe(false);
    expect(existsSync(site.ledger)).toBe(false);
    expect(existsSync(join(site.dir, 'xdg', 'ptb-slurm', 'site.json'))).toBe(true);
  }, 900_000);

  it("never lets the demo's stand-ins reach a job of a normal setup", async () => {
    const other = demoSite(join(root, 'built-only'));
    buildSite(other, FIXTURE_CHECKOUT);
    const home = ptbHome();
    try {
      await home.configure();
      const probe = await home.ptb(['preflight', '--compute', '--json', '--max-wait', '2']);
      const results = (JSON.parse(probe.stdout) as { results: { id: string; status: string; finding: string; details: string }[] }).results;
      const by = (id: string) => results.find((r) => r.id === id);
      expect(by('probe-job')?.status).toBe('pass');
      // This machine as it is: no GPU, no apptainer, its own /tmp; nothing of the site's bin.
      expect(by('gpu')).toMatchObject({ status: 'fail', finding: 'nvidia-smi is not on the node' });
      expect(by('apptainer')?.status).toBe('fail');
      expect(JSON.stringify(results)).not.toContain('ptb demo stand-in');
      expect(JSON.stringify(results)).not.toContain(other.bin);
    } finally {
      home.remove();
    }
  }, 120_000);
});
