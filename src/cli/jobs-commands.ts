import { userInfo } from 'node:os';
import { createInterface } from 'node:readline/promises';
import type { ConfigLocations } from '../config/locations.js';
import type { Config } from '../config/schema.js';
import {
  failedToResubmit,
  resubmittable,
  rejudgeable,
  cancelTracked,
  resubmitTracked,
  cancellable,
  evalOnlyRerun,
  judgeOnlyRerun,
  rerunTask,
} from '../monitor/job-actions.js';
import { formatHours } from '../plan/plan-checks.js';
import { resolveTask } from '../plan/resolve.js';
import { preflightGate } from '../preflight/last-compute.js';
import { parseDuration } from '../slurm/duration.js';
import type { Task } from '../plan/task.js';
import { createJobTracker, type JobTracker } from '../monitor/job-tracker.js';
import type { PtbJob } from '../monitor/ptb-job.js';
import { spendCell, spendSummary } from '../monitor/spend-summary.js';
import { jobEvents, jobStates, notificationBytes, type JobStates } from '../monitor/job-events.js';
import { MONITOR_COLUMNS, monitorCells, sortJobs, stateCounts } from '../monitor/grid.js';
import { settleLeavers, type AccountingState } from '../monitor/settle.js';
import type { Slurm } from '../slurm/adapter.js';
import { fit, fitColumns, GAP } from '../text/columns.js';
import { describeHolder } from '../submit/submit-lock.js';
import { entryResultsDir, isOwnEntry, jobOwner, readJobMark } from '../submit/job-mark.js';
import { readLedger } from '../submit/ledger.js';
import { setupIdentity, type SetupIdentity } from '../submit/setup-identity.js';
import { jobLabel } from '../submit/submit-tasks.js';

type Output = { code: number; stdout: string; stderr: string };
const refuse = (code: number, message: string): Output => ({ code, stdout: '', stderr: `ptb: ${message}\n` });

/** History is settled in bounded sacct calls; a command waits for at most this many. */
const MAX_SACCT_CALLS = 10;

/** One look: the queue (one squeue call), then the history's final states. */
async function look(
  slurm: Slurm,
  tracker: JobTracker,
  options: { history: boolean },
): Promise<{ ok: true; accounting: AccountingState } | { ok: false; message: string }> {
  const queue = await slurm.jobs({ user: 'me', expandArrays: true });
  if (!queue.ok) return { ok: false, message: `squeue failed: ${queue.error.message}` };
  tracker.update(queue.value);
  await tracker.readPhases();
  let accounting: AccountingState = { mode: null, error: null };
  for (let i = 0; options.history && i < MAX_SACCT_CALLS && tracker.pendingFinal().length > 0; i++) {
    accounting = await settleLeavers(slurm, tracker, accounting);
    if (accounting.mode === 'failed') break;
  }
  // A command has no screen to keep responsive: every settled job is diagnosed now.
  tracker.diagnoseSome(Number.POSITIVE_INFINITY);
  return { ok: true, accounting };
}

async function confirm(question: string, yes: boolean): Promise<boolean | 'no-tty'> {
  if (yes) return true;
  if (!process.stdin.isTTY) return 'no-tty';
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question(`${question} [y/N] `);
  rl.close();
  return /^y(es)?$/i.test(answer.trim());
}

/** A name as typed, quoted when an empty or spaced one would not be seen as one. */
const shownName = (name: string) => (/^[^\s,"]+$/.test(name) ? name : JSON.stringify(name));

/**
 * Why a name is not one of this setup's jobs, in words that say whose it looks like: another
 * user's, not ptb's, another setup's (with its results folder), or nothing known at all. Asks
 * squeue about every user's jobs once, and reads the whole ledger (every setup's entries).
 */
async function whyNotMine(slurm: Slurm, setup: SetupIdentity, ledgerFile: string, names: readonly string[]): Promise<string[]> {
  const ids = names.filter((n) => /^\d+(_\d+)?$/.test(n));
  const queue = ids.length > 0 ? await slurm.jobs({ jobIds: ids.map((id) => id.split('_')[0] ?? id), expandArrays: true }) : null;
  const jobs = queue?.ok ? queue.value : [];
  const entries = readLedger(ledgerFile);
  const me = userInfo().username;
  return names.map((name) => {
    const job = jobs.find((j) => j.jobId === name || String(j.rawJobId) === name);
    if (job) {
      if (job.user !== me) return `${name} is ${job.user}'s job, not yours`;
      const mark = readJobMark(job.comment);
      if (!mark) return `${name} (${shownName(job.name)}) is not a ptb job`;
      const owner = jobOwner(job, setup, false);
      const experiment = mark.kind === 'task' && mark.task.experiment ? `, experiment ${mark.task.experiment}` : '';
      if (owner.kind === 'other')
        return `${name} is a ptb job of another setup (${owner.resultsDir ? `results folder ${owner.resultsDir}` : 'its results folder is not known'}${experiment}${job.workDir ? `, run from ${job.workDir}` : ''})`;
    }
    const entry = entries.find((e) => jobLabel(e.jobId, e.arrayIndex) === name || e.key === name);
    if (entry && !isOwnEntry(entry, setup))
      return `${shownName(name)} is in the ledger of another setup (${entryResultsDir(entry) ? `results folder ${entryResultsDir(entry) ?? ''}` : 'its results folder is not known'})`;
    return `${shownName(name)} is not a job of this setup, in the queue or the ledger`;
  });
}

/** The refusal for names that are not this setup's: nothing is done to any of them. */
async function refuseForeign(slurm: Slurm, setup: SetupIdentity, ledgerFile: string, unknown: readonly string[], what: string): Promise<Output> {
  const reasons = await whyNotMine(slurm, setup, ledgerFile, unknown);
  return refuse(
    2,
    `not this setup's (results folder ${setup.resultsDir}), so nothing was ${what}:\n  ${reasons.join('\n  ')}\n(ptb status lists this setup's jobs)`,
  );
}

/** The jobs named by job id (`1234`, `1230_4`, an array's `1230`) or task key; unknown names are listed. */
function resolve(tracker: JobTracker, names: readonly string[]): { jobs: PtbJob[]; unknown: string[] } {
  const jobs: PtbJob[] = [];
  const unknown: string[] = [];
  for (const name of names) {
    const byId = tracker.get(name);
    // A task key names its jobs; an array's id names its tasks.
    const byKey = byId ? [] : tracker.list().filter((j) => j.key === name || (/^\d+$/.test(name) && j.arrayJobId === Number(name)));
    if (byId) jobs.push(byId);
    else if (byKey.length > 0) jobs.push(...byKey);
    else unknown.push(name);
  }
  return { jobs: [...new Set(jobs)], unknown };
}

/**
 * The status as text. With `accountWide` (no configuration) the jobs are every ptb job of the
 * account, grouped under the results folder of the setup each belongs to.
 */
export function renderStatusText(
  jobs: readonly PtbJob[],
  accounting: AccountingState,
  width: number,
  accountWide: { configFile: string } | null = null,
): string {
  const cols = fitColumns(MONITOR_COLUMNS, width);
  const diagnosis = cols.some((c) => c.key === 'diagnosis');
  const line = (cells: Record<string, string>) =>
    cols
      .map((c) => fit(cells[c.key] ?? '', c.width))
      .join(' '.repeat(GAP))
      .trimEnd();
  const rowsOf = (some: readonly PtbJob[]) => sortJobs(some, 'state').map((job) => line(monitorCells({ kind: 'job', job, indent: false }, diagnosis)));
  const title = line(Object.fromEntries(cols.map((c) => [c.key, c.title])));
  const note =
    accounting.mode === 'disabled'
      ? ' (no accounting: final states from the results)'
      : accounting.mode === 'failed'
        ? ` (sacct failed: ${accounting.error ?? ''})`
        : '';
  const head = `${jobs.length} ptb job(s)${jobs.length ? `: ${stateCounts(jobs)}` : ''}${note}`;
  if (!accountWide) return [head, ...(jobs.length ? [title, ...rowsOf(jobs)] : [])].join('\n') + '\n';
  const setups = new Map<string, PtbJob[]>();
  for (const job of jobs) {
    const where = job.setupDir ?? '';
    setups.set(where, [...(setups.get(where) ?? []), job]);
  }
  const groups = [...setups.entries()].sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : a.localeCompare(b)));
  return (
    [
      `no configuration (${accountWide.configFile}): every ptb job of this account, under the setup (results folder) each belongs to`,
      head,
      ...groups.flatMap(([where, some]) => ['', `setup ${where || '(not known: submitted by an earlier ptb)'}: ${some.length} job(s)`, title, ...rowsOf(some)]),
    ].join('\n') + '\n'
  );
}

/** `ptb spend [--json]`: what this setup's jobs have cost so far, per experiment and agent configuration. */
export async function spendCommand(
  slurm: Slurm,
  ledgerFile: string,
  config: Config,
  options: { json: boolean; redactor: () => (text: string) => string },
): Promise<Output> {
  const tracker = createJobTracker({ ledgerFile, config: () => config, redactor: options.redactor });
  const result = await look(slurm, tracker, { history: true });
  if (!result.ok) return refuse(1, `${result.message}. Try again when the controller answers.`);
  const groups = spendSummary(tracker.list(), config);
  // Sums of floating-point dollars carry noise (9.840000000000002): a millionth of a dollar or an hour is enough.
  const round = (x: number) => Math.round(x * 1e6) / 1e6;
  const shown = groups.map((g) => ({ ...g, usd: round(g.usd), gpuHours: round(g.gpuHours) }));
  if (options.json)
    return {
      code: 0,
      stdout: `${JSON.stringify({ at: new Date().toISOString(), setup: setupIdentity(config).resultsDir, groups: shown }, null, 2)}\n`,
      stderr: '',
    };
  if (groups.length === 0) return { code: 0, stdout: 'no ptb jobs in this setup yet\n', stderr: '' };
  const width = Math.max(24, ...groups.map((g) => g.what.length + 2));
  const lines = groups.map((g) =>
    g.what === ''
      ? `\nexperiment ${g.experiment || '(none)'}: ${g.jobs} job(s), ${g.gpuHours.toFixed(1)} GPU-hours, API ${spendCell(g)}`
      : `  ${g.what.padEnd(width)} ${String(g.jobs).padStart(5)} job(s) ${g.gpuHours.toFixed(1).padStart(8)} GPU-h  ${spendCell(g)}`,
  );
  return {
    code: 0,
    stdout: `${lines.join('\n').trimStart()}\n\nGPU-hours: GPUs x Slurm's elapsed time (running jobs so far). API: what the agents reported, or their tokens priced from the configuration's prices; unknown is never counted as 0.\n`,
    stderr: '',
  };
}

/** `ptb status [--json] [--watch]`: the monitor's grid, once or again and again. */
export async function statusCommand(
  slurm: Slurm,
  ledgerFile: string,
  config: Config | null,
  options: { json: boolean; watch: boolean; notify?: boolean; intervalSeconds: number; redactor: () => (text: string) => string; configFile: string },
): Promise<Output> {
  const tracker = createJobTracker({ ledgerFile, config: () => config, redactor: options.redactor });
  let seen: JobStates | null = null;
  let news: string[] = [];
  const once = async (): Promise<Output> => {
    const result = await look(slurm, tracker, { history: true });
    if (!result.ok) return refuse(1, `${result.message}. Try again when the controller answers.`);
    const jobs = tracker.list();
    // Without a configuration there is no setup to scope to: every ptb job of the account, each with its setup.
    const scope = config ? { setup: setupIdentity(config).resultsDir } : { setup: null, configFile: options.configFile };
    if (options.json)
      return {
        code: 0,
        stdout: `${JSON.stringify({ at: new Date().toISOString(), ...scope, accounting: result.accounting.mode, jobs }, null, 2)}\n`,
        stderr: '',
      };
    return {
      code: 0,
      stdout: renderStatusText(
        jobs,
        result.accounting,
        process.stdout.columns || Number(process.env.COLUMNS) || 120,
        config ? null : { configFile: options.configFile },
      ),
      stderr: '',
    };
  };
  if (!options.watch) return once();
  for (;;) {
    const out = await once();
    // A failed look is shown and retried: --watch is for a screen left open.
    const text = out.code === 0 ? out.stdout : out.stderr;
    const events = seen && options.notify ? jobEvents(seen, tracker.list()) : [];
    seen = jobStates(tracker.list());
    if (events.length) news = [...news, ...events.map((e) => `${new Date().toTimeString().slice(0, 8)} ${e.text}`)].slice(-5);
    const bell = events.map((e) => notificationBytes(e.text, Boolean(process.env.TMUX))).join('');
    const said = news.length ? `${news.join('\n')}\n` : '';
    process.stdout.write(
      process.stdout.isTTY
        ? `${bell}\x1b[H\x1b[2J${new Date().toTimeString().slice(0, 8)}\n${said}${text}`
        : `${bell}${events.map((e) => `${e.text}\n`).join('')}${text}\n`,
    );
    await new Promise((resolve) => setTimeout(resolve, options.intervalSeconds * 1000));
  }
}

/** `ptb cancel JOB|TASK... [--yes]`: only this setup's queued ptb jobs; a name that is not one cancels nothing. */
export async function cancelCommand(slurm: Slurm, config: Config, ledgerFile: string, names: readonly string[], options: { yes: boolean }): Promise<Output> {
  const tracker = createJobTracker({ ledgerFile, config: () => config });
  const result = await look(slurm, tracker, { history: false });
  if (!result.ok) return refuse(1, `${result.message}: nothing was cancelled.`);
  const { jobs, unknown } = resolve(tracker, names);
  if (unknown.length > 0) return refuseForeign(slurm, setupIdentity(config), ledgerFile, unknown, 'cancelled');
  const queued = cancellable(jobs);
  const gone = jobs.filter((j) => !queued.includes(j)).map((j) => j.id);
  if (queued.length === 0) return refuse(1, `nothing to cancel: ${gone.join(', ')} ${gone.length > 1 ? 'are' : 'is'} no longer pending or running`);
  const ok = await confirm(`Cancel ${queued.length} job(s): ${queued.map((j) => j.id).join(', ')}?`, options.yes);
  if (ok === 'no-tty') return refuse(2, `add --yes to cancel ${queued.length} job(s) without a question.`);
  if (!ok) return { code: 1, stdout: '', stderr: 'Nothing cancelled.\n' };
  const report = await cancelTracked(slurm, queued);
  return { code: report.ok ? 0 : 1, stdout: `${report.text}\n`, stderr: gone.length ? `ptb: no longer pending or running: ${gone.join(', ')}\n` : '' };
}

/** `410 (COMPLETED): evaluation only, of run 410: 1:54:30 on 1 GPU(s), up to 1.9 GPU-hours`: what a rerun will be, and ask. */
function rerunLine(job: PtbJob, task: Task, config: Config): string {
  const r = resolveTask(task, config);
  const gpus = r.gres ? Number(/(\d+)$/.exec(r.gres)?.[1] ?? 1) : 0;
  const hours = ((parseDuration(r.timeLimit) ?? 0) / 3600) * gpus;
  const what =
    task.kind === 'eval-only'
      ? `evaluation only, of run ${task.rerunOf ?? '?'}`
      : task.kind === 'judge-only'
        ? `judges only, of run ${task.rerunOf ?? '?'}`
        : 'the whole task again';
  return `${job.id} (${job.state}): ${what}: ${r.timeLimit} on ${gpus} GPU(s), up to ${formatHours(hours)} GPU-hours`;
}

/** `ptb resubmit JOB... | --failed [--eval-only] [--yes]`: each a new job, linked in the ledger; --failed takes the cheapest rerun that fixes each. */
export async function resubmitCommand(
  slurm: Slurm,
  config: Config,
  locations: ConfigLocations,
  ledgerFile: string,
  names: readonly string[],
  options: { failed: boolean; yes: boolean; evalOnly?: boolean; judgeOnly?: boolean; ignorePreflight?: boolean },
): Promise<Output> {
  if (options.evalOnly && options.judgeOnly) return refuse(2, 'either --eval-only or --judge-only, not both.');
  if (options.judgeOnly && options.failed)
    return refuse(2, '--judge-only takes job ids: a failed run has nothing new for its judges; name the runs to judge again.');
  if (names.length === 0 && !options.failed) return refuse(2, 'name the jobs to resubmit (ptb status lists them), or use --failed for every failed one.');
  if (names.length > 0 && options.failed) return refuse(2, 'either job ids or --failed, not both.');
  const tracker = createJobTracker({ ledgerFile, config: () => config });
  const result = await look(slurm, tracker, { history: true });
  if (!result.ok) return refuse(1, `${result.message}: nothing was resubmitted.`);
  if (result.accounting.mode === 'failed')
    return refuse(1, `sacct failed, so the final states are not known: ${result.accounting.error ?? ''}. Nothing was resubmitted.`);
  let chosen: PtbJob[];
  if (options.failed) chosen = failedToResubmit(tracker.list());
  else {
    const { jobs, unknown } = resolve(tracker, names);
    if (unknown.length > 0) return refuseForeign(slurm, setupIdentity(config), ledgerFile, unknown, 'resubmitted');
    const eligible = options.judgeOnly ? rejudgeable(jobs) : resubmittable(jobs);
    const not = jobs.filter((j) => !eligible.includes(j));
    if (not.length > 0) {
      const why = (j: PtbJob) =>
        j.inQueue
          ? 'still in the queue'
          : j.resubmittedAs
            ? `already resubmitted as ${j.resubmittedAs}`
            : options.judgeOnly
              ? 'not a run with judges'
              : j.state === 'COMPLETED' || j.scored
                ? 'its run scored'
                : 'its final state is not known yet';
      return refuse(2, `cannot resubmit: ${not.map((j) => `${j.id} (${why(j)})`).join(', ')}`);
    }
    chosen = eligible;
  }
  if (chosen.length === 0) return { code: 0, stdout: 'no failed job to resubmit\n', stderr: '' };
  const mode = options.evalOnly ? 'eval-only' : options.judgeOnly ? 'judge-only' : options.failed ? 'cheapest' : 'full';
  if (mode === 'eval-only' || mode === 'judge-only') {
    const cannot = chosen.flatMap((j) => {
      const rerun = mode === 'eval-only' ? evalOnlyRerun(j, config) : judgeOnlyRerun(j, config);
      return 'reason' in rerun ? [`${j.id}: ${rerun.reason}`] : [];
    });
    if (cannot.length > 0) return refuse(2, `cannot ${mode === 'eval-only' ? 'evaluate' : 'judge'} again:\n  ${cannot.join('\n  ')}`);
  }
  const lines = chosen.map((j) => {
    const task = rerunTask(j, config, mode);
    return task ? rerunLine(j, task, config) : `${j.id} (${j.state})`;
  });
  // GPU-hours wait on a compute preflight that passed for this setup, as for ptb submit; the judges use no GPU.
  const gate = mode !== 'judge-only' ? preflightGate(config, 'resubmit', options.ignorePreflight === true) : { note: null, ask: null, refusal: null };
  if (gate.note) process.stderr.write(`ptb: note: ${gate.note}\n`);
  if (gate.refusal && !process.stdin.isTTY) return refuse(1, gate.refusal);
  const ok = await confirm(
    `${gate.ask ? `Warning: ${gate.ask}.\n` : ''}Resubmit ${chosen.length} job(s):\n  ${lines.join('\n  ')}\n?`,
    options.yes && !gate.ask,
  );
  if (ok === 'no-tty') return refuse(2, `add --yes to resubmit ${chosen.length} job(s) without a question:\n  ${lines.join('\n  ')}`);
  if (!ok) return { code: 1, stdout: '', stderr: 'Nothing resubmitted.\n' };
  const report = await resubmitTracked(slurm, config, chosen, {
    ledgerFile,
    secretsFile: locations.secrets,
    what: 'ptb resubmit',
    mode,
    onWaiting: (holder) => process.stderr.write(`ptb: waiting: ${describeHolder(holder)}\n`),
  });
  return { code: report.ok ? 0 : 1, stdout: `${report.text}\n`, stderr: '' };
}
