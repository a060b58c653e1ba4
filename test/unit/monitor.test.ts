import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stepInterval } from '../../src/app/overview/poller.js';
import type { Config } from '../../src/config/schema.js';
import { cancellable, evalOnlyRerun, failedToResubmit, requeueable, rerunTask, resubmittable } from '../../src/monitor/job-actions.js';
import { detailLines, resubmissionChain } from '../../src/monitor/job-details.js';
import { createJobTracker } from '../../src/monitor/job-tracker.js';
import type { PtbJob } from '../../src/monitor/ptb-job.js';
import { actionTargets, MONITOR_COLUMNS, monitorCells, stateCounts, visibleRows, type QuickFilter, type SortKey } from '../../src/monitor/grid.js';
import { runDir, taskKey, type Task } from '../../src/plan/task.js';
import { recordLabels, type AccountingRecord } from '../../src/slurm/sacct.js';
import type { QueueJob } from '../../src/slurm/squeue.js';
import { appendLedger } from '../../src/submit/ledger.js';
import { ARRAY_COMMENT_PREFIX, jobComment, readJobMark } from '../../src/submit/job-mark.js';
import { setupIdentity } from '../../src/submit/setup-identity.js';
import { fitColumns } from '../../src/text/columns.js';
import { FIXTURE_CHECKOUT } from '../helpers/paths.js';
import { logPath } from '../../src/monitor/log-tabs.js';
import { trackedJob } from '../helpers/jobs.js';

const dir = mkdtempSync(join(tmpdir(), 'ptb-monitor-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const config = { resultsDir: join(dir, 'results'), containerName: 'standard' } as Config;
const setup = setupIdentity(config);
/** Where the setup writes an experiment's files: its scripts and array manifests make its jobs its own. */
const experimentFiles = join(setup.workDir, '_run1');
const task = (evalId: string, model = 'Qwen/Qwen3-1.7B-Base', agent = 'claude', cfg = 'claude-opus-4-6'): Task => ({
  kind: 'agent',
  eval: evalId,
  model,
  agent,
  config: cfg,
  hours: 10,
  gpus: 1,
  experiment: '_run1',
});

function queued(over: Partial<QueueJob> & { rawJobId: number }): QueueJob {
  return {
    jobId: String(over.rawJobId),
    arrayJobId: null,
    arrayTaskId: null,
    user: 'me',
    partition: 'gpu',
    state: 'RUNNING',
    reason: 'None',
    nodes: 'node01',
    elapsedSeconds: 60,
    timeLimitSeconds: 43_200,
    cpus: 16,
    memoryMb: 131_072,
    gres: 'gres:gpu:1',
    features: null,
    submitTime: null,
    startTime: null,
    workDir: null,
    comment: null,
    command: null,
    name: 'ptb-gsm8k-claude',
    ...over,
  };
}
const record = (jobId: string, state: string, over: Partial<AccountingRecord> = {}): AccountingRecord => ({
  jobId,
  state,
  exitCode: { code: state === 'FAILED' ? 1 : 0, signal: 0 },
  elapsedSeconds: 3600,
  start: null,
  end: '2026-11-29T04:00:00',
  nodeList: 'node01',
  partition: 'gpu',
  name: 'x',
  rawId: Number(jobId),
  ...over,
});

describe('the job tracker', () => {
  it('keeps jobs that left the queue as history, with the final state sacct gives and a diagnosis from the run folder', async () => {
    const ledgerFile = join(dir, 'ledger-1.jsonl');
    const gsm8k = task('gsm8k');
    const humaneval = task('humaneval');
    appendLedger(ledgerFile, {
      at: '2026-11-29T01:00:00Z',
      key: taskKey(gsm8k),
      task: gsm8k,
      jobId: 100,
      script: join(experimentFiles, 'scripts', '100.sbatch'),
    });
    appendLedger(ledgerFile, {
      at: '2026-11-29T01:00:01Z',
      key: taskKey(humaneval),
      task: humaneval,
      jobId: 101,
      script: join(experimentFiles, 'scripts', '101.sbatch'),
    });
    const tracker = createJobTracker({ ledgerFile, config: () => config });
    // The running agent's phase comes from its output.log, its silence from solve_out.txt's age.
    const live = runDir(config.resultsDir, gsm8k, 100);
    mkdirSync(live, { recursive: true });
    writeFileSync(join(live, 'output.log'), 'Preparing job directory...\n========= RUNNING TASK =========\n');
    writeFileSync(join(live, 'solve_out.txt'), '[t] step\n');
    const hourAgo = new Date(Date.now() - 61 * 60_000);
    utimesSync(join(live, 'solve_out.txt'), hourAgo, hourAgo);
    // Not ptb's: no task comment, so not a row.
    tracker.update([
      queued({ rawJobId: 100, comment: taskKey(gsm8k) }),
      queued({ rawJobId: 101, comment: taskKey(humaneval), state: 'PENDING', reason: 'Resources', nodes: null }),
      queued({ rawJobId: 7, comment: 'mine' }),
    ]);
    expect(tracker.list().map((j) => [j.id, j.state, j.inQueue])).toEqual([
      ['100', 'RUNNING', true],
      ['101', 'PENDING', true],
    ]);
    expect(tracker.get('100')?.diagnosis).toBeNull();
    await tracker.readPhases();
    expect(tracker.get('100')?.diagnosis).toBe('agent running, agent silent for 61 min');
    expect(tracker.pendingFinal()).toEqual([]);

    // 100 leaves the queue: it stays, waiting for sacct.
    expect(tracker.update([queued({ rawJobId: 101, comment: taskKey(humaneval) })])).toBe(1);
    expect(tracker.pendingFinal()).toEqual(['100']);
    const run = live;
    mkdirSync(join(run, 'task'), { recursive: true });
    writeFileSync(join(run, 'task', 'cuda_not_available'), '');
    // Accounting lags the queue: not there yet, then still RUNNING; the job waits for a final record.
    tracker.applyAccounting(['100'], []);
    tracker.applyAccounting(['100'], [record('100', 'RUNNING')]);
    expect(tracker.get('100')).toMatchObject({ state: 'RUNNING', inQueue: false, final: null });
    expect(tracker.pendingFinal()).toEqual(['100']);
    tracker.applyAccounting(['100'], [record('100', 'COMPLETED')]);
    tracker.diagnoseSome(10);
    expect(tracker.get('100')).toMatchObject({ state: 'COMPLETED', inQueue: false, final: 'sacct', diagnosis: expect.stringMatching(/^GPU check failed/) });
    expect(tracker.pendingFinal()).toEqual([]);
  });

  it("shows a queued ptb job missing from the ledger when it is this setup's (a crash lost its entry), never another setup's", () => {
    const tracker = createJobTracker({ ledgerFile: join(dir, 'ledger-foreign.jsonl'), config: () => config });
    const other = setupIdentity({ resultsDir: join(dir, 'other-results') });
    const script = (s: typeof setup, name: string) => join(s.workDir, '_run1', 'scripts', `${name}.sbatch`);
    tracker.update([
      queued({ rawJobId: 300, comment: jobComment(task('gsm8k'), setup), command: script(setup, 'gsm8k') }),
      // Same experiment, same task, another results folder: another setup's job.
      queued({ rawJobId: 301, comment: jobComment(task('gsm8k'), other), command: script(other, 'gsm8k') }),
      // An earlier ptb's jobs (no setup in the comment): their script tells.
      queued({ rawJobId: 302, comment: taskKey(task('bfcl')), command: script(setup, 'bfcl') }),
      queued({ rawJobId: 303, comment: taskKey(task('bfcl')), command: script(other, 'bfcl') }),
      queued({ rawJobId: 304, comment: taskKey(task('aime2025')), command: null }),
    ]);
    expect(tracker.list().map((j) => [j.id, j.setupDir])).toEqual([
      ['300', config.resultsDir],
      ['302', config.resultsDir],
    ]);
  });

  it('hands out the same list while a look changes nothing, so that the screen draws nothing new', async () => {
    const gsm8k = task('gsm8k');
    const tracker = createJobTracker({ ledgerFile: join(dir, 'ledger-stable.jsonl'), config: () => config });
    const look = (state: string) => [
      queued({ rawJobId: 300, comment: jobComment(gsm8k, setup), state }),
      queued({ rawJobId: 301, comment: jobComment(task('bfcl'), setup) }),
    ];
    tracker.update(look('PENDING'));
    const first = tracker.list();
    tracker.update(look('PENDING'));
    await tracker.readPhases();
    expect(tracker.list()).toBe(first);
    tracker.update(look('RUNNING'));
    const second = tracker.list();
    expect(second).not.toBe(first);
    expect(second.map((j) => j.state)).toEqual(['RUNNING', 'RUNNING']);
    // A job that leaves the queue is a change too.
    tracker.update([look('RUNNING')[0]!]);
    expect(tracker.list()).not.toBe(second);
    expect(tracker.get('301')?.inQueue).toBe(false);
  });

  it('passes over the jobs squeue printed the same, yet reads them again when the ledger or a late manifest says more', () => {
    const ledgerFile = join(dir, 'ledger-same-lines.jsonl');
    const tracker = createJobTracker({ ledgerFile, config: () => config });
    const manifest = join(experimentFiles, 'arrays', 'late.json');
    // The same objects each look, as parseSqueue hands them out for unchanged lines.
    const look = [
      queued({ rawJobId: 700, comment: jobComment(task('gsm8k'), setup), state: 'PENDING' }),
      queued({ rawJobId: 701, jobId: '701_0', arrayJobId: 701, arrayTaskId: '0', comment: `${ARRAY_COMMENT_PREFIX}${manifest}`, state: 'PENDING' }),
    ];
    tracker.update(look);
    expect(tracker.list().map((j) => j.id)).toEqual(['700']);
    const first = tracker.list();
    tracker.update(look);
    expect(tracker.list()).toBe(first);
    // The manifest could not be read at the first look (an NFS hiccup): the array task shows once it can.
    mkdirSync(join(experimentFiles, 'arrays'), { recursive: true });
    writeFileSync(manifest, JSON.stringify({ tasks: [{ key: taskKey(task('bfcl')), task: task('bfcl') }] }));
    tracker.update(look);
    expect(tracker.list().map((j) => [j.id, j.task?.eval])).toEqual([
      ['700', 'gsm8k'],
      ['701_0', 'bfcl'],
    ]);
    // Another ptb records job 700 with its script: the same squeue line, a row that knows more.
    const script = join(experimentFiles, 'scripts', 'gsm8k.sbatch');
    appendLedger(ledgerFile, { at: 'now', key: taskKey(task('gsm8k')), task: task('gsm8k'), jobId: 700, script });
    tracker.update(look);
    expect(tracker.get('700')?.script).toBe(script);
  });

  it('knows a setup by one spelling of its results folder, and keeps it when the configuration breaks later', () => {
    expect(setupIdentity({ resultsDir: `${dir}//results/./` })).toEqual(setup);
    const other = setupIdentity({ resultsDir: join(dir, 'other-results') });
    let current: Config | null = { ...config, resultsDir: `${dir}//results/` };
    const tracker = createJobTracker({ ledgerFile: join(dir, 'ledger-typo.jsonl'), config: () => current });
    // An array task of this setup: its manifest is known as this setup's by its place only.
    const manifest = join(experimentFiles, 'arrays', 'typo.json');
    mkdirSync(join(experimentFiles, 'arrays'), { recursive: true });
    writeFileSync(manifest, JSON.stringify({ tasks: [{ key: taskKey(task('bfcl')), task: task('bfcl') }] }));
    const queue = [
      queued({ rawJobId: 320, comment: jobComment(task('gsm8k'), setup) }),
      queued({ rawJobId: 321, comment: jobComment(task('gsm8k'), other) }),
      queued({ rawJobId: 323, jobId: '322_0', arrayJobId: 322, arrayTaskId: '0', comment: `${ARRAY_COMMENT_PREFIX}${manifest}` }),
    ];
    tracker.update(queue);
    expect(tracker.list().map((j) => j.id)).toEqual(['320', '322_0']);
    // A typo in a hand edit: no configuration for a while. Another setup's jobs must not appear (a cancel would reach them).
    current = null;
    tracker.update(queue);
    expect(tracker.list().map((j) => j.id)).toEqual(['320', '322_0']);
  });

  it("takes an earlier ptb's job by its script when the script tells, by this ledger only when it does not", () => {
    const ledgerFile = join(dir, 'ledger-legacy.jsonl');
    const other = setupIdentity({ resultsDir: join(dir, 'other-results') });
    const t = task('humaneval');
    // An earlier ptb recorded a queued job of another setup without its script.
    appendLedger(ledgerFile, { at: 'then', key: taskKey(t), task: t, jobId: 330, script: '', reconciled: true });
    appendLedger(ledgerFile, { at: 'then', key: taskKey(t), task: t, jobId: 331, script: '', reconciled: true });
    const tracker = createJobTracker({ ledgerFile, config: () => config });
    tracker.update([
      queued({ rawJobId: 330, comment: taskKey(t), command: join(other.workDir, '_run1', 'scripts', 'x.sbatch') }),
      queued({ rawJobId: 331, comment: taskKey(t), command: null }),
    ]);
    expect(
      tracker
        .list()
        .filter((j) => j.inQueue)
        .map((j) => j.id),
    ).toEqual(['331']);
  });

  it('without a configuration shows every ptb job of the account, each with the setup it belongs to', () => {
    const other = setupIdentity({ resultsDir: join(dir, 'other-results') });
    const tracker = createJobTracker({ ledgerFile: join(dir, 'ledger-none.jsonl'), config: () => null });
    tracker.update([
      queued({ rawJobId: 310, comment: jobComment(task('gsm8k'), setup), command: join(setup.workDir, '_run1', 'scripts', 'a.sbatch') }),
      queued({ rawJobId: 311, comment: jobComment(task('gsm8k'), other), command: join(other.workDir, '_run1', 'scripts', 'a.sbatch') }),
      queued({ rawJobId: 312, comment: 'not ptb' }),
    ]);
    expect(tracker.list().map((j) => [j.id, j.setupDir])).toEqual([
      ['310', config.resultsDir],
      ['311', other.resultsDir],
    ]);
  });

  it('reads array tasks through their manifest, and settles the never-started ones from the array remainder sacct reports', () => {
    const ledgerFile = join(dir, 'ledger-2.jsonl');
    const tasks = [task('gsm8k'), task('aime2025'), task('bfcl')];
    const manifest = join(experimentFiles, 'arrays', 'a.json');
    mkdirSync(join(experimentFiles, 'arrays'), { recursive: true });
    writeFileSync(manifest, JSON.stringify({ tasks: tasks.map((t) => ({ key: taskKey(t), task: t })) }));
    tasks.forEach((t, i) =>
      appendLedger(ledgerFile, { at: 'now', key: taskKey(t), task: t, jobId: 200, arrayIndex: i, script: join(experimentFiles, 'arrays', 'a.sbatch') }),
    );
    const tracker = createJobTracker({ ledgerFile, config: () => config });
    const comment = `${ARRAY_COMMENT_PREFIX}${manifest}`;
    tracker.update([
      queued({ rawJobId: 201, jobId: '200_0', arrayJobId: 200, arrayTaskId: '0', comment }),
      queued({ rawJobId: 200, jobId: '200_1', arrayJobId: 200, arrayTaskId: '1', comment, state: 'PENDING', reason: 'JobArrayTaskLimit' }),
      queued({ rawJobId: 200, jobId: '200_2', arrayJobId: 200, arrayTaskId: '2', comment, state: 'PENDING', reason: 'JobArrayTaskLimit' }),
    ]);
    expect(tracker.list().map((j) => [j.id, j.ownId, j.task?.eval, j.state])).toEqual([
      ['200_0', 201, 'gsm8k', 'RUNNING'],
      ['200_1', null, 'aime2025', 'PENDING'],
      ['200_2', null, 'bfcl', 'PENDING'],
    ]);
    tracker.update([]);
    // One id for the whole array; its never-started tasks come back as one record.
    expect(tracker.pendingFinal()).toEqual(['200']);
    expect(recordLabels('200_[1-2%1]')).toEqual(['200_1', '200_2']);
    tracker.applyAccounting(['200'], [record('200_0', 'TIMEOUT', { rawId: 201 }), record('200_[1-2%1]', 'CANCELLED', { rawId: 200 })]);
    expect(tracker.diagnoseSome(1)).toBe(2);
    tracker.diagnoseSome(10);
    expect(tracker.list().map((j) => [j.id, j.state, j.diagnosis])).toEqual([
      ['200_0', 'TIMEOUT', expect.stringMatching(/^hit the Slurm time limit/)],
      ['200_1', 'CANCELLED', 'cancelled'],
      ['200_2', 'CANCELLED', 'cancelled'],
    ]);
  });

  it('without accounting, settles history from the results: scored runs as COMPLETED, the rest as ENDED', () => {
    const ledgerFile = join(dir, 'ledger-3.jsonl');
    const scored = task('gpqamain');
    const lost = task('healthbench');
    appendLedger(ledgerFile, { at: 'now', key: taskKey(scored), task: scored, jobId: 300, script: '' });
    appendLedger(ledgerFile, { at: 'now', key: taskKey(lost), task: lost, jobId: 301, script: '' });
    const run = runDir(config.resultsDir, scored, 300);
    mkdirSync(run, { recursive: true });
    writeFileSync(join(run, 'metrics.json'), '{"accuracy": 0.5}');
    writeFileSync(join(run, 'contamination_judgement.txt'), 'no contamination detected\n');
    writeFileSync(join(run, 'disallowed_model_judgement.txt'), 'only allowed use detected\n');
    const tracker = createJobTracker({ ledgerFile, config: () => config });
    tracker.update([]);
    tracker.settleWithoutAccounting();
    tracker.diagnoseSome(10);
    expect(tracker.list().map((j) => [j.id, j.state, j.final, j.diagnosis])).toEqual([
      ['300', 'COMPLETED', 'results', 'scored: accuracy 0.5000'],
      ['301', 'ENDED', 'unknown', 'left the queue without a run folder (no accounting to say why)'],
    ]);
  });

  it('knows what an action did the moment it returns: a key pressed again at once offers nothing twice', () => {
    const ledgerFile = join(dir, 'ledger-5.jsonl');
    const [failed, running, pending] = [task('bfcl'), task('gsm8k'), task('aime2025')];
    appendLedger(ledgerFile, { at: 'now', key: taskKey(failed), task: failed, jobId: 500, script: '' });
    const tracker = createJobTracker({ ledgerFile, config: () => config });
    const queue = [
      queued({ rawJobId: 501, comment: jobComment(running, setup) }),
      queued({ rawJobId: 502, comment: jobComment(pending, setup), state: 'PENDING', nodes: null }),
    ];
    tracker.update(queue);
    tracker.applyAccounting(['500'], [record('500', 'FAILED')]);
    tracker.diagnoseSome(10);
    expect(resubmittable(tracker.list()).map((j) => j.id)).toEqual(['500']);
    expect(cancellable(tracker.list()).map((j) => j.id)).toEqual(['501', '502']);
    expect(requeueable(tracker.list()).map((j) => j.id)).toEqual(['501']);

    tracker.noteActions({ resubmitted: [['500', '510']], requested: { ids: ['502'], action: 'cancel' } });
    tracker.noteActions({ requested: { ids: ['501'], action: 'requeue' } });
    expect(resubmittable(tracker.list())).toEqual([]);
    expect(cancellable(tracker.list()).map((j) => j.id)).toEqual(['501']);
    expect(requeueable(tracker.list())).toEqual([]);
    // The queue shows the same states a moment later (Slurm not there yet): still nothing twice.
    tracker.update(queue);
    expect(requeueable(tracker.list())).toEqual([]);
    expect(cancellable(tracker.list()).map((j) => j.id)).toEqual(['501']);
    // Once the queue shows the requeue, the job is a job like any other again.
    tracker.update([queued({ rawJobId: 501, comment: jobComment(running, setup), state: 'PENDING', reason: 'BeginTime' }), queue[1]!]);
    expect(cancellable(tracker.list()).map((j) => j.id)).toEqual(['501']);
    tracker.update([queued({ rawJobId: 501, comment: jobComment(running, setup), state: 'RUNNING' })]);
    expect(requeueable(tracker.list()).map((j) => j.id)).toEqual(['501']);
  });

  it('takes a COMPLETED run without a score for a failure, and reruns only its evaluation when it saved a model, once', () => {
    const ledgerFile = join(dir, 'ledger-rerun.jsonl');
    const t = task('gpqamain');
    appendLedger(ledgerFile, { at: 'now', key: taskKey(t), task: t, jobId: 600, script: '' });
    const withCheckout = { ...config, checkout: FIXTURE_CHECKOUT };
    const tracker = createJobTracker({ ledgerFile, config: () => withCheckout });
    const run = runDir(config.resultsDir, t, 600);
    mkdirSync(join(run, 'final_model'), { recursive: true });
    writeFileSync(join(run, 'final_model', 'config.json'), '{}');
    writeFileSync(join(run, 'time_taken.txt'), '00:10:00\n');
    tracker.update([]);
    // run_task.sh exits 0 whatever failed inside it.
    tracker.applyAccounting(['600'], [record('600', 'COMPLETED')]);
    tracker.diagnoseSome(10);
    const job = tracker.list().find((j) => j.id === '600');
    expect(job).toMatchObject({ state: 'COMPLETED', scored: false, diagnosisKind: 'eval-failed' });
    expect(failedToResubmit(tracker.list()).map((j) => j.id)).toEqual(['600']);
    expect(rerunTask(job!, withCheckout, 'cheapest')).toMatchObject({ kind: 'eval-only', rerunOf: 600, eval: 'gpqamain' });
    expect(rerunTask(job!, withCheckout, 'full')).toMatchObject({ kind: 'agent' });
    // An evaluation-only rerun that failed too: the cheapest fix is now the whole task; --eval-only still may.
    const again = { ...job!, task: { ...t, kind: 'eval-only' as const, rerunOf: 600 } };
    expect(rerunTask(again, withCheckout, 'cheapest')).toMatchObject({ kind: 'agent', rerunOf: undefined });
    // A failed rerun is history once a newer job of its cell (a new plan's) has run: --failed takes that one.
    const failedRerun = { ...again, id: '610', ownId: 610, key: taskKey(again.task), resubmitOf: '600' };
    const newer = { ...job!, id: '620', ownId: 620 };
    expect(failedToResubmit([{ ...job!, resubmittedAs: '610' }, failedRerun, newer]).map((j) => j.id)).toEqual(['620']);
    expect(failedToResubmit([{ ...job!, resubmittedAs: '610' }, failedRerun]).map((j) => j.id)).toEqual(['610']);
    expect(rerunTask(again, withCheckout, 'eval-only')).toMatchObject({ kind: 'eval-only', rerunOf: 600 });
    // With a metrics.json, upstream's script would do nothing; without a model, there is nothing to evaluate.
    writeFileSync(join(run, 'metrics.json'), '{"accuracy": "n/a"}');
    expect(evalOnlyRerun(job!, withCheckout)).toEqual({
      reason: `${run}/metrics.json exists: upstream's evaluation-only script does nothing while it does; move it away first`,
    });
    rmSync(join(run, 'metrics.json'));
    rmSync(join(run, 'final_model'), { recursive: true });
    expect(evalOnlyRerun(job!, withCheckout)).toMatchObject({ reason: expect.stringContaining('has no saved model') });
    expect(rerunTask(job!, withCheckout, 'cheapest')).toMatchObject({ kind: 'agent' });
    expect(evalOnlyRerun(job!, { ...withCheckout, checkout: dir })).toMatchObject({
      reason: expect.stringContaining('has no dev_utils/test_evaluation/run_only_evaluation.sh'),
    });
  });

  it("keeps a queued evaluation-only rerun's run from the ledger, which its comment cannot carry", () => {
    const ledgerFile = join(dir, 'ledger-eval-only.jsonl');
    const t: Task = { ...task('aime2025'), kind: 'eval-only', rerunOf: 700 };
    appendLedger(ledgerFile, { at: 'now', key: taskKey(t), task: t, jobId: 710, script: '', setup: setupIdentity(config).id, resubmitOf: '700' });
    const tracker = createJobTracker({ ledgerFile, config: () => config });
    tracker.update([queued({ rawJobId: 710, comment: jobComment(t, setupIdentity(config)), state: 'RUNNING' })]);
    expect(tracker.get('710')?.task).toMatchObject({ kind: 'eval-only', rerunOf: 700 });
    // Its comment carries the run too, for a job a crash kept out of the ledger.
    expect(readJobMark(jobComment(t, setupIdentity(config)))).toMatchObject({
      kind: 'task',
      key: taskKey(t),
      task: { kind: 'eval-only', rerunOf: 700 },
      setup: setupIdentity(config).id,
    });
    // Its logs are the evaluation-only script's own, in the run it evaluates again.
    const job = tracker.get('710')!;
    const run = runDir(config.resultsDir, t, 700);
    expect(logPath(job, config, 'output.log')).toEqual({ path: join(run, 'z_new_710_output.log') });
    expect(logPath(job, config, 'final_eval')).toEqual({ path: join(run, 'z_new_710_final_eval_1.txt') });
    expect(logPath(job, config, 'solve_out.txt')).toEqual({ path: join(run, 'solve_out.txt') });
    expect(Object.fromEntries(detailLines(job, config, null, ['700', '710']))).toMatchObject({ EVAL_DIR: run });
  });

  it('reads the diagnosis of a run again once its evaluation-only rerun has ended', () => {
    const ledgerFile = join(dir, 'ledger-rediagnose.jsonl');
    const original = task('bfcl');
    const rerun: Task = { ...original, kind: 'eval-only', rerunOf: 800 };
    appendLedger(ledgerFile, { at: 'then', key: taskKey(original), task: original, jobId: 800, script: '' });
    appendLedger(ledgerFile, { at: 'now', key: taskKey(rerun), task: rerun, jobId: 810, script: '', resubmitOf: '800' });
    const run = runDir(config.resultsDir, original, 800);
    mkdirSync(join(run, 'final_model'), { recursive: true });
    writeFileSync(join(run, 'final_model', 'config.json'), '{}');
    writeFileSync(join(run, 'time_taken.txt'), '00:10:00\n');
    const tracker = createJobTracker({ ledgerFile, config: () => config });
    tracker.update([]);
    tracker.applyAccounting(['800'], [record('800', 'COMPLETED')]);
    tracker.diagnoseSome(10);
    expect(tracker.get('800')).toMatchObject({ diagnosisKind: 'eval-failed', scored: false });
    writeFileSync(join(run, 'metrics.json'), '{"accuracy": 0.5}');
    tracker.applyAccounting(['810'], [record('810', 'COMPLETED')]);
    tracker.diagnoseSome(10);
    expect(tracker.get('810')).toMatchObject({ scored: true });
    expect(tracker.get('800')).toMatchObject({ scored: true, diagnosis: expect.stringMatching(/^scored/) });
  });

  it('links resubmissions both ways and offers only the last failure of a chain for resubmission', () => {
    const ledgerFile = join(dir, 'ledger-4.jsonl');
    const t = task('bfcl');
    appendLedger(ledgerFile, { at: 'now', key: taskKey(t), task: t, jobId: 400, script: '' });
    appendLedger(ledgerFile, { at: 'now', key: taskKey(t), task: t, jobId: 410, script: '', resubmitOf: '400' });
    const tracker = createJobTracker({ ledgerFile, config: () => config });
    tracker.update([]);
    tracker.applyAccounting(['400', '410'], [record('400', 'FAILED'), record('410', 'NODE_FAIL')]);
    tracker.diagnoseSome(10);
    const jobs = tracker.list();
    expect(jobs.map((j) => [j.id, j.resubmitOf, j.resubmittedAs])).toEqual([
      ['400', null, '410'],
      ['410', '400', null],
    ]);
    expect(resubmissionChain(jobs[0]!, (id) => tracker.get(id))).toEqual(['400', '410']);
    expect(resubmittable(jobs).map((j) => j.id)).toEqual(['410']);
    expect(failedToResubmit(jobs).map((j) => j.id)).toEqual(['410']);
    // The task ran again from a new plan (not linked): its older failure is history.
    const rerun = { ...jobs[1]!, id: '420', ownId: 420, resubmitOf: null, state: 'COMPLETED', scored: true };
    expect(failedToResubmit([...jobs, rerun]).map((j) => j.id)).toEqual([]);
    const details = Object.fromEntries(detailLines(jobs[1]!, config, null, ['400', '410']));
    expect(details).toMatchObject({ state: 'NODE_FAIL', resubmissions: '400 -> 410', 'task key': taskKey(t), EVAL_DIR: runDir(config.resultsDir, t, 410) });
  });
});

describe('the grid', () => {
  const job = (id: string, state: string, evalId: string, over: Partial<PtbJob> = {}): PtbJob => trackedJob(id, state, task(evalId), over);
  const jobs = [
    job('5', 'COMPLETED', 'gsm8k'),
    job('6', 'TIMEOUT', 'aime2025'),
    job('7', 'RUNNING', 'bfcl'),
    job('8', 'PENDING', 'humaneval'),
    job('9_0', 'RUNNING', 'gsm8k', { arrayJobId: 9, arrayIndex: 0, ownId: 10 }),
    job('9_1', 'PENDING', 'gpqamain', { arrayJobId: 9, arrayIndex: 1, ownId: null }),
  ];
  const base: { quick: QuickFilter; filter: string; sort: SortKey; groupArrays: boolean } = { quick: 'all', filter: '', sort: 'state', groupArrays: false };
  const ids = (view: Partial<typeof base>) => visibleRows(jobs, { ...base, ...view }).map((r) => (r.kind === 'job' ? r.job.id : `[${r.arrayJobId}]`));

  it('sorts running, pending, failed, then done; filters by state family and fuzzily over the task', () => {
    expect(ids({})).toEqual(['9_0', '7', '9_1', '8', '6', '5']);
    expect(ids({ quick: 'failed' })).toEqual(['6']);
    expect(ids({ quick: 'pending' })).toEqual(['9_1', '8']);
    expect(ids({ filter: 'humanev' })).toEqual(['8']);
    expect(ids({ filter: '9_' })).toEqual(['9_0', '9_1']);
    expect(ids({ filter: '7' })).toEqual(['7']);
    // Words in any order over what a row shows, each fuzzy; ! leaves out.
    const qwen4b = job('11', 'RUNNING', 'gsm8k', { task: task('gsm8k', 'Qwen/Qwen3-4B-Base') });
    const words = (filter: string) => visibleRows([...jobs, qwen4b], { ...base, filter }).map((r) => (r.kind === 'job' ? r.job.id : ''));
    expect(words('gsm8k 4b')).toEqual(['11']);
    expect(words('4B gsn8k')).toEqual(['11']);
    expect(words('running !gsm8k')).toEqual(['7']);
    expect(ids({ sort: 'eval' })).toEqual(['6', '7', '9_1', '9_0', '5', '8']);
    expect(stateCounts(jobs)).toBe('2 running, 2 pending, 1 failed, 1 done');
  });

  it('acts on the marked jobs, those a filter hides included, else on the selected row', () => {
    const shown = visibleRows(jobs, { ...base, quick: 'running' });
    expect(actionTargets(shown, ['6', '7'], null, jobs).map((j) => j.id)).toEqual(['6', '7']);
    expect(actionTargets(shown, [], '7', jobs).map((j) => j.id)).toEqual(['7']);
    expect(actionTargets(shown, [], null, jobs).map((j) => j.id)).toEqual(['9_0']);
  });

  it('groups array tasks under their array, counted', () => {
    expect(ids({ groupArrays: true })).toEqual(['[9]', '9_0', '9_1', '7', '8', '6', '5']);
    const header = visibleRows(jobs, { ...base, groupArrays: true })[0]!;
    expect(monitorCells(header)).toMatchObject({ id: '9_*', state: 'ARRAY', where: '1 running, 1 pending', diagnosis: '2 task(s)' });
  });

  it('fits 80 columns without the diagnosis (a finished job shows it in place of its node), 250 with everything', () => {
    expect(fitColumns(MONITOR_COLUMNS, 79).map((c) => c.key)).toEqual(['id', 'state', 'eval', 'model', 'config', 'where']);
    expect(fitColumns(MONITOR_COLUMNS, 249).map((c) => c.key)).toEqual(MONITOR_COLUMNS.map((c) => c.key));
    const timeout = visibleRows(jobs, { ...base, quick: 'failed' })[0]!;
    expect(monitorCells(timeout, false).where).toBe('hit the Slurm time limit');
    expect(monitorCells(timeout, true)).toMatchObject({
      where: 'node01',
      diagnosis: 'hit the Slurm time limit',
      config: 'claude-opus-4-6 10h',
      time: '0:10:00/12:00:00',
    });
    // The 80-column layout still shows an agent configuration whole.
    expect(fitColumns(MONITOR_COLUMNS, 79).find((c) => c.key === 'config')?.width).toBeGreaterThanOrEqual('claude-sonnet-4-5 1h'.length);
  });

  it('steps the polling interval through sensible values, never under 2 s', () => {
    expect([stepInterval(5000, 1), stepInterval(5000, -1), stepInterval(2000, -1), stepInterval(60_000, 1), stepInterval(4000, 1)]).toEqual([
      10_000, 3000, 2000, 60_000, 5000,
    ]);
  });
});
