import { createInterface } from 'node:readline/promises';
import type { ConfigLocations } from '../config/locations.js';
import type { Config } from '../config/schema.js';
import { failedToResubmit, resubmittable, cancelTracked, resubmitTracked, cancellable } from '../monitor/job-actions.js';
import { createJobTracker, type JobTracker, type TrackedJob } from '../monitor/job-tracker.js';
import { MONITOR_COLUMNS, monitorCells, sortJobs, stateCounts } from '../monitor/grid.js';
import { settleLeavers, type AccountingState } from '../monitor/settle.js';
import type { Slurm } from '../slurm/adapter.js';
import { fit, fitColumns, GAP } from '../ui/columns.js';
import { describeHolder } from '../submit/submit-lock.js';

type Output = { code: number; stdout: string; stderr: string };
const refuse = (code: number, message: string): Output => ({ code, stdout: '', stderr: `ptb: ${message}\n` });

/** History is settled in bounded sacct calls; a command waits for at most this many. */
const MAX_SACCT_CALLS = 10;

/** One look: the queue (one squeue call), then the history's final states. */
async function look(slurm: Slurm, tracker: JobTracker, options: { history: boolean }): Promise<{ ok: true; accounting: AccountingState } | { ok: false; message: string }> {
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

/** The jobs named by job id (`1234`, `1230_4`, an array's `1230`) or task key; unknown names are listed. */
function resolve(tracker: JobTracker, names: readonly string[]): { jobs: TrackedJob[]; unknown: string[] } {
  const jobs: TrackedJob[] = [];
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

export function renderStatusText(jobs: readonly TrackedJob[], accounting: AccountingState, width: number): string {
  const cols = fitColumns(MONITOR_COLUMNS, width);
  const diagnosis = cols.some((c) => c.key === 'diagnosis');
  const line = (cells: Record<string, string>) => cols.map((c) => fit(cells[c.key] ?? '', c.width)).join(' '.repeat(GAP)).trimEnd();
  const rows = sortJobs(jobs, 'state').map((job) => line(monitorCells({ kind: 'job', job, indent: false }, diagnosis)));
  const title = Object.fromEntries(cols.map((c) => [c.key, c.title]));
  const note = accounting.mode === 'disabled' ? ' (no accounting: final states from the results)' : accounting.mode === 'failed' ? ` (sacct failed: ${accounting.error ?? ''})` : '';
  return [`${jobs.length} ptb job(s)${jobs.length ? `: ${stateCounts(jobs)}` : ''}${note}`, ...(rows.length ? [line(title), ...rows] : [])].join('\n') + '\n';
}

/** `ptb status [--json] [--watch]`: the monitor's grid, once or again and again. */
export async function statusCommand(
  slurm: Slurm,
  ledgerFile: string,
  config: Config | null,
  options: { json: boolean; watch: boolean; intervalSeconds: number; redactor: () => (text: string) => string },
): Promise<Output> {
  const tracker = createJobTracker({ ledgerFile, config: () => config, redactor: options.redactor });
  const once = async (): Promise<Output> => {
    const result = await look(slurm, tracker, { history: true });
    if (!result.ok) return refuse(1, `${result.message}. Try again when the controller answers.`);
    const jobs = tracker.list();
    if (options.json) return { code: 0, stdout: `${JSON.stringify({ at: new Date().toISOString(), accounting: result.accounting.mode, jobs }, null, 2)}\n`, stderr: '' };
    return { code: 0, stdout: renderStatusText(jobs, result.accounting, process.stdout.columns || Number(process.env.COLUMNS) || 120), stderr: '' };
  };
  if (!options.watch) return once();
  for (;;) {
    const out = await once();
    // A failed look is shown and retried: --watch is for a screen left open.
    const text = out.code === 0 ? out.stdout : out.stderr;
    process.stdout.write(process.stdout.isTTY ? `\x1b[H\x1b[2J${new Date().toTimeString().slice(0, 8)}\n${text}` : `${text}\n`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalSeconds * 1000));
  }
}

/** `ptb cancel JOB|TASK... [--yes]`: only this user's queued ptb jobs. */
export async function cancelCommand(slurm: Slurm, ledgerFile: string, names: readonly string[], options: { yes: boolean }): Promise<Output> {
  const tracker = createJobTracker({ ledgerFile, config: () => null });
  const result = await look(slurm, tracker, { history: false });
  if (!result.ok) return refuse(1, `${result.message}: nothing was cancelled.`);
  const { jobs, unknown } = resolve(tracker, names);
  if (unknown.length > 0) return refuse(2, `not a ptb job of yours in the queue or the ledger: ${unknown.map(shownName).join(', ')} (ptb status lists them)`);
  const queued = cancellable(jobs);
  const gone = jobs.filter((j) => !j.inQueue).map((j) => j.id);
  if (queued.length === 0) return refuse(1, `nothing to cancel: ${gone.join(', ')} ${gone.length > 1 ? 'are' : 'is'} no longer in the queue`);
  const ok = await confirm(`Cancel ${queued.length} job(s): ${queued.map((j) => j.id).join(', ')}?`, options.yes);
  if (ok === 'no-tty') return refuse(2, `add --yes to cancel ${queued.length} job(s) without a question.`);
  if (!ok) return { code: 1, stdout: '', stderr: 'Nothing cancelled.\n' };
  const report = await cancelTracked(slurm, queued);
  return { code: report.ok ? 0 : 1, stdout: `${report.text}\n`, stderr: gone.length ? `ptb: not in the queue any more: ${gone.join(', ')}\n` : '' };
}

/** `ptb resubmit JOB... | --failed [--yes]`: each a new job of the same task, linked in the ledger. */
export async function resubmitCommand(
  slurm: Slurm,
  config: Config,
  locations: ConfigLocations,
  ledgerFile: string,
  names: readonly string[],
  options: { failed: boolean; yes: boolean },
): Promise<Output> {
  if (names.length === 0 && !options.failed) return refuse(2, 'name the jobs to resubmit (ptb status lists them), or use --failed for every failed one.');
  if (names.length > 0 && options.failed) return refuse(2, 'either job ids or --failed, not both.');
  const tracker = createJobTracker({ ledgerFile, config: () => config });
  const result = await look(slurm, tracker, { history: true });
  if (!result.ok) return refuse(1, `${result.message}: nothing was resubmitted.`);
  if (result.accounting.mode === 'failed') return refuse(1, `sacct failed, so the final states are not known: ${result.accounting.error ?? ''}. Nothing was resubmitted.`);
  let chosen: TrackedJob[];
  if (options.failed) chosen = failedToResubmit(tracker.list());
  else {
    const { jobs, unknown } = resolve(tracker, names);
    if (unknown.length > 0) return refuse(2, `not a ptb job of yours in the queue or the ledger: ${unknown.map(shownName).join(', ')} (ptb status lists them)`);
    const eligible = resubmittable(jobs);
    const not = jobs.filter((j) => !eligible.includes(j));
    if (not.length > 0) {
      const why = (j: TrackedJob) =>
        j.inQueue ? 'still in the queue' : j.resubmittedAs ? `already resubmitted as ${j.resubmittedAs}` : j.state === 'COMPLETED' || j.scored ? 'its run scored' : 'its final state is not known yet';
      return refuse(2, `cannot resubmit: ${not.map((j) => `${j.id} (${why(j)})`).join(', ')}`);
    }
    chosen = eligible;
  }
  if (chosen.length === 0) return { code: 0, stdout: 'no failed job to resubmit\n', stderr: '' };
  const ok = await confirm(`Resubmit ${chosen.length} job(s): ${chosen.map((j) => `${j.id} (${j.state})`).join(', ')}?`, options.yes);
  if (ok === 'no-tty') return refuse(2, `add --yes to resubmit ${chosen.length} job(s) without a question.`);
  if (!ok) return { code: 1, stdout: '', stderr: 'Nothing resubmitted.\n' };
  const report = await resubmitTracked(slurm, config, chosen, {
    ledgerFile,
    secretsFile: locations.secrets,
    what: 'ptb resubmit',
    onWaiting: (holder) => process.stderr.write(`ptb: ${describeHolder(holder)}: waiting for it to finish\n`),
  });
  return { code: report.ok ? 0 : 1, stdout: `${report.text}\n`, stderr: '' };
}
