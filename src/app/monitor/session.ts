import type { OverviewSnapshot } from '../../overview/snapshot.js';
import type { ConfigLocations } from '../../config/locations.js';
import type { Config } from '../../config/schema.js';
import { experimentSpent } from '../../results/cost-history.js';
import type { Slurm } from '../../slurm/adapter.js';
import type { AppStore } from '../store.js';
import { cancelTracked, requeueTracked, resubmitTracked, type ActionReport } from '../../monitor/job-actions.js';
import type { JobTracker } from '../../monitor/job-tracker.js';
import type { PtbJob } from '../../monitor/ptb-job.js';
import { jobRunSpend } from '../../monitor/spend-summary.js';
import type { MonitorSlice } from './slice.js';
import { jobEvents, jobStates, type JobStates } from '../../monitor/job-events.js';
import { settleLeavers, type AccountingState } from '../../monitor/settle.js';
import { describeHolder } from '../../submit/submit-lock.js';
import { recordLabels } from '../../slurm/sacct.js';
import { errorMessage } from '../../text/error-message.js';

/** Run folders read per look: a long history is diagnosed over a few looks, keys stay responsive. */
export const DIAGNOSES_PER_LOOK = 40;

/**
 * The job monitor outside React: folds each squeue listing of the poller into the tracker,
 * asks sacct (one bounded call) about jobs that left the queue, and runs the actions the
 * screen asks for, pushing results and messages into the store.
 */
export function createMonitorSession(deps: {
  store: AppStore;
  slurm: Slurm;
  tracker: JobTracker;
  config: () => Config | null;
  locations: ConfigLocations;
  ledgerFile: string;
  refresh: () => void;
  /**
   * The checkout the configuration names, where ptb's --checkout stands in for another: a
   * resubmission would then run elsewhere than the job did. Null without such an option.
   */
  configuredCheckout?: () => string | null;
  /** Rings and notifies through the terminal (see notificationBytes); called only where the configuration turns it on. */
  notify?: (text: string) => void;
}) {
  const { store, slurm, tracker } = deps;
  let accounting: AccountingState = { mode: null, error: null };
  // What the last look saw: the first look's history is no news.
  let seen: { jobs: readonly PtbJob[]; states: JobStates } | null = null;
  let waiting: AbortController | null = null;
  // The experiment's spend is read from its run folders again only when a job has ended since.
  let budget: { ended: number; value: MonitorSlice['budget'] } = { ended: -1, value: null };
  const budgetOf = (jobs: readonly PtbJob[]): MonitorSlice['budget'] => {
    const config = deps.config();
    if (config?.spendLimitUsd === undefined) return null;
    const ended = jobs.filter((j) => !j.inQueue).length;
    if (ended !== budget.ended || budget.value?.limit !== config.spendLimitUsd || budget.value.experiment !== config.experimentName)
      budget = {
        ended,
        value: { usd: experimentSpent(config, config.experimentName), limit: config.spendLimitUsd, experiment: config.experimentName },
      };
    return budget.value;
  };

  /** Folds a look in (file reads and sacct included); returns its writes to the store, which the poller makes with its own. */
  const afterLoad = async (snapshot: OverviewSnapshot): Promise<(() => void) | undefined> => {
    // A failed squeue changes nothing: the rows stay as they were, the status line says why.
    if (!snapshot.jobs) return undefined;
    tracker.update(snapshot.jobs);
    await tracker.readPhases();
    accounting = await settleLeavers(slurm, tracker, accounting);
    tracker.diagnoseSome(DIAGNOSES_PER_LOOK);
    const jobs = tracker.list();
    // The tracker hands out the same list while no job changed: then there is no news either.
    const changed = jobs !== seen?.jobs;
    const events = changed && seen && deps.config()?.notify ? jobEvents(seen.states, jobs) : [];
    if (changed) seen = { jobs, states: jobStates(jobs) };
    const last = events.at(-1);
    const budget = budgetOf(jobs);
    return () => {
      for (const event of events) deps.notify?.(event.text);
      store.getState().updateMonitor(() => ({
        jobs,
        accounting: accounting.mode,
        accountingError: accounting.error,
        budget,
        ...(last ? { message: { text: last.text, tone: last.kind === 'failed' ? 'error' : 'ok' } } : {}),
      }));
    };
  };

  const act = (label: string, run: () => Promise<ActionReport>) => {
    if (store.getState().monitor.acting) {
      store.getState().updateMonitor(() => ({ message: { text: 'still working on the last action...', tone: 'error' } }));
      return;
    }
    store.getState().updateMonitor(() => ({ message: { text: `${label}...`, tone: 'ok' }, confirm: null, acting: true }));
    // What Slurm refused is the status bar's last error too; a hint about the keys is only the monitor's message.
    const failed = (text: string) => {
      store.getState().updateMonitor(() => ({ message: { text, tone: 'error' } }));
      store.getState().reportError(text);
    };
    void run()
      .then((report) => {
        // Known now, not at the next look: a key pressed again at once must not offer the same jobs.
        if (report.done) {
          tracker.noteActions(report.done);
          store.getState().updateMonitor(() => ({ jobs: tracker.list() }));
        }
        if (report.ok) store.getState().updateMonitor(() => ({ message: { text: report.text, tone: 'ok' }, marked: [] }));
        else failed(report.text);
      })
      .catch((error: unknown) => failed(`${label} failed: ${errorMessage(error)}`))
      .finally(() => {
        store.getState().updateMonitor(() => ({ acting: false }));
        deps.refresh();
      });
  };

  /** Opens the details of a job; Slurm's own fields, and its run's spend, are read here, off the render path. */
  const openDetails = (job: PtbJob) => {
    const spend = jobRunSpend(job, deps.config());
    store.getState().updateMonitor(() => ({ details: { id: job.id, fields: null, note: 'asking scontrol...', spend } }));
    void slurm.job(job.ownId ?? job.id).then((result) => {
      // A pending array task is part of its array's remainder record (ArrayTaskId=3-7%3).
      const covers = (r: { arrayJobId: number | null; arrayTaskId: string | null }) =>
        r.arrayJobId !== null && r.arrayTaskId !== null && recordLabels(`${r.arrayJobId}_[${r.arrayTaskId}]`).includes(job.id);
      const record = result.ok
        ? result.value.find((r) => String(r.jobId) === String(job.ownId ?? job.id) || `${r.arrayJobId}_${r.arrayTaskId}` === job.id || covers(r))
        : undefined;
      const note = record ? null : result.ok ? 'Slurm no longer knows this job: what the monitor recorded' : `scontrol failed: ${result.error.message}`;
      store.getState().updateMonitor((m) => (m.details?.id === job.id ? { details: { id: job.id, fields: record?.fields ?? null, note, spend } } : {}));
    });
  };

  return {
    afterLoad,
    openDetails,
    // Without a valid configuration the rows may be other setups' jobs too: ptb acts only on a setup's own.
    cancel: (jobs: readonly PtbJob[]) => act('cancelling', () => (deps.config() ? cancelTracked(slurm, jobs) : Promise.resolve(NO_SETUP))),
    requeue: (jobs: readonly PtbJob[]) => act('requeueing', () => (deps.config() ? requeueTracked(slurm, jobs) : Promise.resolve(NO_SETUP))),
    resubmit: (jobs: readonly PtbJob[]) =>
      act('resubmitting', async () => {
        const config = deps.config();
        if (!config) return NO_SETUP;
        const configured = deps.configuredCheckout?.() ?? null;
        if (configured !== null && configured !== config.checkout) {
          return {
            ok: false,
            text: `resubmit runs failed jobs again from the configured checkout ${configured}, and ptb runs with --checkout ${config.checkout}: quit and start ptb without --checkout`,
          };
        }
        const abort = new AbortController();
        waiting = abort;
        try {
          return await resubmitTracked(slurm, config, jobs, {
            ledgerFile: deps.ledgerFile,
            secretsFile: deps.locations.secrets,
            what: 'the monitor of ptb (resubmitting)',
            // The cheapest rerun that fixes each: the evaluation alone where the run saved a model.
            mode: 'cheapest',
            signal: abort.signal,
            onWaiting: (holder) => store.getState().updateMonitor(() => ({ message: { text: `waiting: ${describeHolder(holder)}`, tone: 'ok' } })),
            onAcquired: () => store.getState().updateMonitor(() => ({ message: { text: 'resubmitting...', tone: 'ok' } })),
          });
        } finally {
          if (waiting === abort) waiting = null;
        }
      }),
    /** ptb quits: a resubmission still waiting for the lock gives up rather than submit later, with no screen. */
    stopWaiting: () => waiting?.abort(),
  };
}

const NO_SETUP: ActionReport = { ok: false, text: 'no valid configuration: ptb acts only on the jobs of a setup (2 opens the setup)' };

export type MonitorSession = ReturnType<typeof createMonitorSession>;
