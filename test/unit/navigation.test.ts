import { describe, expect, it } from 'vitest';
import { createAppStore } from '../../src/app/store.js';
import { initialComposer } from '../../src/app/compose/composer.js';
import { AGENT_CONFIGS } from '../../src/catalog/agent-configs.js';
import { ladderGuide, type LadderStep } from '../../src/results/ladder.js';
import { breadcrumb, matchPalette, paletteEntries, viewForKey } from '../../src/app/navigation.js';
import { typing } from '../../src/app/keys.js';
import { statusBar } from '../../src/app/status-line.js';
import { createSubmitSession } from '../../src/app/review/session.js';
import type { ConfigLocations } from '../../src/config/locations.js';
import type { Config } from '../../src/config/schema.js';
import type { Slurm } from '../../src/slurm/adapter.js';
import type { Partition } from '../../src/slurm/sinfo.js';
import type { QueueJob } from '../../src/slurm/squeue.js';
import { waitFor } from '../helpers/wait.js';
import { trackedJob } from '../helpers/jobs.js';
import { SEARCH_STEP } from '../../src/monitor/grid.js';

const at = (hms: string) => new Date(`2026-11-29T${hms}`);

describe('one navigation model', () => {
  it('opens the seven screens by number, in the order of the work', () => {
    expect(['1', '2', '3', '4', '5', '6', '7'].map(viewForKey)).toEqual(['overview', 'setup', 'preflight', 'compose', 'review', 'monitor', 'results']);
    expect(viewForKey('8')).toBeUndefined();
    expect(viewForKey('0')).toBeUndefined();
  });

  it('goes back with esc the way the user came, never in a loop, and says where they are', () => {
    const store = createAppStore({ checkout: null });
    const go = (...views: Parameters<ReturnType<typeof store.getState>['setView']>[0][]) => views.forEach((v) => store.getState().setView(v));
    go('compose', 'review');
    expect(breadcrumb(store.getState().ui.history, store.getState().ui.view)).toBe('1 overview > 4 compose > 5 review');
    go('monitor', 'compose');
    // Back at a screen already on the path: the path is cut there, so esc does not bounce between two screens.
    expect(store.getState().ui.history).toEqual(['overview']);
    store.getState().back();
    expect(store.getState().ui.view).toBe('overview');
    store.getState().back();
    expect(store.getState().ui.view).toBe('overview');
    go('setup');
    expect(breadcrumb(store.getState().ui.history, 'config-error')).toBe('1 overview > 2 setup');
    // From the broken file's report into the wizard: saving goes back to where the user was before, not to the wizard.
    const broken = createAppStore({ checkout: null, view: 'config-error' });
    broken.getState().setView('setup');
    broken.getState().back();
    expect(broken.getState().ui.view).toBe('overview');
  });

  it('keeps the review as it was left while it stays open (a pager over it), and opens it fresh from another screen', () => {
    const store = createAppStore({ checkout: null });
    store.getState().setView('review');
    store.getState().updateReview(() => ({ selected: 3, arrays: true, force: true }));
    store.getState().setView('review');
    expect(store.getState().review).toMatchObject({ selected: 3, arrays: true, force: true });
    // Forcing never carries over into the next visit.
    store.getState().back();
    store.getState().setView('review');
    expect(store.getState().review).toMatchObject({ selected: 0, arrays: false, force: false });
    // Another plan while the review stays open (the checkout changed): its selection and modes are not carried over.
    store.getState().updateReview(() => ({ selected: 5, force: true }));
    store.getState().setCompose(initialComposer({ evals: ['gsm8k'], agents: ['claude'], agentConfigs: AGENT_CONFIGS }, 'standard'));
    expect(store.getState().review).toMatchObject({ selected: 0, force: false });
  });

  it('finds screens and commands by a few letters, or by their number', () => {
    const labels = (view: Parameters<typeof paletteEntries>[0], text: string) => matchPalette(paletteEntries(view), text).map((e) => e.label);
    expect(labels('overview', 'mon')[0]).toBe('monitor');
    expect(labels('overview', 'resu')[0]).toBe('results');
    expect(labels('overview', '5')).toEqual(['review']);
    expect(labels('compose', 'smoke')[0]).toBe('smoke');
    expect(labels('monitor', 'fail')[0]).toBe('show failed');
    // A screen's own commands are offered only on that screen.
    expect(labels('overview', 'smoke')).not.toContain('smoke');
    expect(labels('overview', '')).toHaveLength(paletteEntries('overview').length);
    expect(labels('overview', 'zzzzqqq')).toEqual([]);
  });

  it('leaves number keys to what is being typed or asked', () => {
    const store = createAppStore({ checkout: null, view: 'monitor' });
    expect(typing(store.getState())).toBe(false);
    store.getState().updateMonitor(() => ({ confirm: { action: 'cancel', ids: ['1'] } }));
    expect(typing(store.getState())).toBe(true);
    store.getState().updateMonitor(() => ({ confirm: null, filtering: true }));
    expect(typing(store.getState())).toBe(true);
    store.getState().updateMonitor(() => ({ filtering: false }));
    store.getState().applyPatch({ ui: { palette: { text: '', selected: 0 } } });
    expect(typing(store.getState())).toBe(true);
    store.getState().setView('review');
    expect(typing(store.getState())).toBe(false);
    store.getState().applyPatch({ ui: { confirming: true } });
    expect(typing(store.getState())).toBe(true);
    store.getState().setView('setup');
    expect(typing(store.getState())).toBe(true);
  });
});

describe('a query typed into the monitor', () => {
  it('shows each key at once and searches once per pause, for the last query', async () => {
    const store = createAppStore({ checkout: null, view: 'monitor' });
    const jobs = ['gsm8k', 'bfcl', 'gsm8k'].map((evalId, i) =>
      trackedJob(String(100 + i), 'PENDING', {
        kind: 'agent',
        eval: evalId,
        model: 'Qwen/Qwen3-1.7B-Base',
        agent: 'claude',
        config: 'claude-opus-4-6',
        hours: 1,
        gpus: 1,
        experiment: '_x',
      }),
    );
    store.getState().updateMonitor(() => ({ jobs }));
    const answered: string[] = [];
    store.subscribe((s, before) => {
      if (s.monitor.rowsFilter !== before.monitor.rowsFilter) answered.push(s.monitor.rowsFilter);
    });
    store.getState().applyPatch({ monitor: { filtering: true } });
    for (const text of ['b', 'bf', 'bfc']) store.getState().applyPatch({ monitor: { filter: text } });
    expect(store.getState().monitor.filter).toBe('bfc');
    expect(store.getState().monitor.rows).toHaveLength(3);
    await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toEqual(['bfc']);
    expect(store.getState().monitor.rows.map((r) => (r.kind === 'job' ? r.job.id : ''))).toEqual(['101']);
    // A search in several steps gives way to the query typed while it runs.
    const many = Array.from({ length: 2 * SEARCH_STEP + 10 }, (_, i) => ({ ...jobs[i % 3]!, id: String(1000 + i) }));
    store.getState().updateMonitor(() => ({ jobs: many, filter: '' }));
    answered.length = 0;
    store.getState().applyPatch({ monitor: { filter: 'gsm' } });
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    store.getState().applyPatch({ monitor: { filter: 'bfcl' } });
    await waitFor(() => store.getState().monitor.rowsFilter === 'bfcl', { timeoutMs: 2000, what: 'the rows of the last query' });
    expect(answered).toEqual(['bfcl']);
    expect(store.getState().monitor.rows).toHaveLength(many.filter((j) => j.task?.eval === 'bfcl').length);
    // enter keeps the query; the rows answer it at once.
    store.getState().applyPatch({ monitor: { filter: 'gsm8k' } });
    store.getState().applyPatch({ monitor: { filtering: false } });
    expect(store.getState().monitor.rows).toHaveLength(many.filter((j) => j.task?.eval === 'gsm8k').length);
  });
});

describe('the status bar', () => {
  const store = () => createAppStore({ checkout: null });

  it('says what runs in the background: the poller, the probe job, a submission', () => {
    const s = store();
    s.getState().applyOverview({ at: at('10:00:00'), controller: null, partitions: [], jobs: [], partitionsError: null, jobsError: null });
    s.getState().setRefreshing(false, at('10:00:05'));
    s.getState().updatePreflight(() => ({ running: ['compute'], probe: { jobId: 41, state: 'PENDING', reason: 'Priority', since: at('10:00:00') } }));
    s.getState().updateSubmission(() => ({ running: true, dryRun: false, total: 28, outcomes: [], stopped: null, waiting: null }));
    expect(statusBar(s.getState(), at('10:00:02'), true)).toEqual({
      text: 'live - last change 10:00:00 | probe job 41 PENDING | submitting 0/28',
      tone: 'ok',
    });
    expect(statusBar(store().getState(), at('10:00:02'), false).text).toBe('nothing runs in the background');
  });

  it('takes a look that read the same again as no change: the same objects, the same line, the time of the last change', () => {
    const s = store();
    const job = { jobId: '7' } as QueueJob;
    const look = (hms: string, jobs: QueueJob[]) =>
      s.getState().applyOverview({ at: at(hms), controller: null, partitions: [{ name: 'gpu' } as Partition], jobs, partitionsError: null, jobsError: null });
    look('10:00:00', [job]);
    const { cluster, ui } = s.getState();
    look('10:00:05', [job]);
    expect(s.getState().cluster.jobs).toBe(cluster.jobs);
    expect(s.getState().cluster.partitions).toBe(cluster.partitions);
    expect(s.getState().ui).toBe(ui);
    expect(statusBar(s.getState(), at('10:00:06'), true).text).toBe('live - last change 10:00:00');
    look('10:00:10', [{ ...job }]);
    expect(s.getState().cluster.jobs).not.toBe(cluster.jobs);
    expect(statusBar(s.getState(), at('10:00:11'), true).text).toBe('live - last change 10:00:10');
  });

  it('keeps the last error after the screen that showed it is gone, with its time', async () => {
    const s = store();
    // A hint about the keys is the monitor's message only, not an error of the session.
    s.getState().updateMonitor(() => ({ message: { text: 'nothing to cancel among the selected job(s)', tone: 'error' } }));
    expect(s.getState().ui.lastError).toBeNull();
    s.getState().reportError('scancel 12: Invalid job id specified');
    s.getState().setView('results');
    expect(s.getState().ui.lastError?.text).toBe('scancel 12: Invalid job id specified');
    // A submission that stops says so in the status bar too, whatever screen is shown by then.
    const slurm = { jobs: () => Promise.resolve({ ok: false, error: { command: 'squeue', message: 'sbatch: error: invalid partition' } }) } as unknown as Slurm;
    const submit = createSubmitSession({ store: s, slurm, locations: {} as ConfigLocations, ledgerFile: '/nonexistent/ledger.jsonl' });
    submit.start({ resultsDir: '/nonexistent' } as Config, [], { dryRun: true, array: false, force: false });
    await waitFor(() => s.getState().submission?.running === false, { timeoutMs: 2_000, what: 'the submission to stop' });
    expect(s.getState().submission?.stopped).toMatch(/invalid partition/);
    const line = statusBar(s.getState(), new Date(), false);
    expect(line.text).toMatch(/^last error \d\d:\d\d:\d\d: submission stopped: cannot list your jobs, .*invalid partition/);
    expect(line.tone).toBe('warning');
    // A minute later it is still there, no longer in yellow.
    expect(statusBar(s.getState(), new Date(Date.now() + 61_000), false)).toMatchObject({ text: line.text, tone: 'ok' });
  });

  it('names a Slurm failure once: the current one leads the line, an older different one follows', () => {
    const s = store();
    const failure = { kind: 'unreachable' as const, command: 'squeue', message: 'Unable to contact slurm controller', detail: '' };
    s.getState().applyOverview({ at: at('10:00:00'), controller: null, partitions: null, jobs: null, partitionsError: null, jobsError: failure });
    const line = statusBar(s.getState(), at('10:00:01'), true);
    expect(line.tone).toBe('error');
    expect(line.text.match(/Unable to contact/g)).toHaveLength(1);
  });
});

describe('the trial ladder on the overview', () => {
  const step = (name: LadderStep['name'], label: string, state: LadderStep['state'], jobId: number | null = null): LadderStep => ({
    name,
    label,
    state,
    jobId,
  });

  it('says which steps passed and what to do next', () => {
    const guide = ladderGuide([
      step('container', 'container test (standard.sif)', 'passed', 3),
      step('baseline', 'baseline', 'not yet'),
      step('smoke', 'smoke agent run', 'not yet'),
    ]);
    expect(guide.rows.map((r) => `${r.step} ${r.label}: ${r.state}`)).toEqual([
      '1 container test (standard.sif): passed',
      '2 baseline: not yet',
      '3 smoke agent run: not yet',
      '4 full submission: after the steps above',
    ]);
    expect(guide.next).toBe('next: baseline: 4 composes, b picks it, enter reviews, s submits');
  });

  it('waits for a submitted step, and opens the full run once all passed', () => {
    expect(
      ladderGuide([
        step('container', 'container test (standard.sif)', 'submitted', 12),
        step('baseline', 'baseline', 'not yet'),
        step('smoke', 'smoke agent run', 'not yet'),
      ]).next,
    ).toBe('next: wait for job 12: 6 monitors it, l shows its log');
    const failedTest = ladderGuide(
      [
        step('container', 'container test (standard.sif)', 'submitted', 12),
        step('baseline', 'baseline', 'not yet'),
        step('smoke', 'smoke agent run', 'not yet'),
      ],
      (id) => (id === 12 ? 'FAILED' : undefined),
    );
    expect(failedTest.rows[0]?.state).toBe('FAILED (job 12), not passed');
    // Not settled yet (sacct has not answered): still a job to wait for.
    expect(ladderGuide([step('container', 'c', 'submitted', 12), step('baseline', 'b', 'not yet'), step('smoke', 's', 'not yet')], () => 'UNKNOWN').next).toBe(
      'next: wait for job 12: 6 monitors it, l shows its log',
    );
    expect(failedTest.next).toBe('next: job 12 ended FAILED: 6 shows why (enter, l); r on its row resubmits it once fixed');
    const done = ladderGuide([step('container', 'c', 'passed'), step('baseline', 'b', 'passed'), step('smoke', 's', 'passed')]);
    expect(done.rows.at(-1)?.state).toBe('ready');
    expect(done.next).toBe('next: the full run: 4 composes, f picks it, enter reviews, s submits');
    // Once the experiment has more agent tasks than the smoke run: the full run was submitted.
    const submitted = ladderGuide([step('container', 'c', 'passed'), step('baseline', 'b', 'passed'), { ...step('smoke', 's', 'passed'), agentTasks: 29 }]);
    expect(submitted.rows.at(-1)?.state).toBe('submitted (29 agent tasks in this experiment)');
    expect(submitted.next).toBe('next: 6 follows the runs (r resubmits a failure), 7 shows the scores and what they cost');
  });
});
