import { stat } from 'node:fs/promises';
import type { Config } from '../../config/schema.js';
import type { UndiagnosedJob } from '../../monitor/ptb-job.js';
import type { AppState, AppStore } from '../store.js';
import { rowId, rowJob } from '../../monitor/grid.js';
import { logPath, type LogTab } from '../../monitor/log-tabs.js';
import { openInPager } from '../../logs/pager.js';
import { runPhase, silence } from '../../logs/phase.js';
import { createRedactor } from '../../logs/redact.js';
import { displayLine } from '../../logs/sanitize.js';
import { createTail, type Tail } from '../../logs/tail-file.js';
import { errorMessage } from '../../text/error-message.js';

/** How often the open log is looked at: new lines show within a second. */
export const LOG_POLL_MS = 500;

/**
 * The log pane's reader, outside React: follows one file of the selected job by polling, and
 * pushes its last lines, sanitised and redacted, into the store. Never two reads at once.
 */
export function createLogSession(deps: { store: AppStore; config: () => Config | null; secretValues: () => string[] }) {
  const { store } = deps;
  let tail: Tail | null = null;
  let key = '';
  let timer: NodeJS.Timeout | undefined;
  let reading = false;
  let redact = createRedactor(deps.secretValues());

  const publish = async (job: UndiagnosedJob | undefined, tab: LogTab) => {
    if (!tail) return;
    const shot = tail.snapshot();
    const lines = shot.lines.map((l, i) => displayLine(l, redact, { unterminated: shot.unterminated && i === shot.lines.length - 1 }));
    let quiet: string | null = null;
    if (tab === 'solve_out.txt' && shot.exists && job?.inQueue) {
      quiet = await stat(shot.path).then(
        (s) => silence(s.mtime, new Date()),
        () => null,
      );
    }
    store.getState().updateLogs(() => ({
      exists: shot.exists,
      deleted: shot.deleted,
      lines,
      skippedBytes: shot.skippedBytes,
      restarted: shot.restarted,
      phase: tab === 'output.log' ? runPhase(shot.lines) : null,
      silence: quiet,
    }));
  };

  const tick = async () => {
    if (reading) return;
    reading = true;
    try {
      const { logs, monitor } = store.getState();
      const job = monitor.jobs.find((j) => j.id === logs.jobId);
      if (tail && (await tail.poll())) await publish(job, logs.tab);
    } catch (error) {
      store.getState().updateLogs(() => ({ missing: `cannot read it: ${errorMessage(error)}` }));
    } finally {
      reading = false;
    }
  };

  const session = {
    /** Follows `tab` of `job` (null: stops). Reopens the file only when the job, tab or path changed. */
    watch(job: UndiagnosedJob | null, tab: LogTab) {
      const config = deps.config();
      const where = job && config ? logPath(job, config, tab) : { missing: job ? 'no valid configuration' : 'no job selected' };
      const next = `${job?.id ?? ''}|${tab}|${'path' in where ? where.path : where.missing}`;
      if (next === key) return;
      key = next;
      redact = createRedactor(deps.secretValues());
      tail = 'path' in where ? createTail(where.path) : null;
      store.getState().updateLogs(() => ({
        jobId: job?.id ?? null,
        tab,
        path: 'path' in where ? where.path : null,
        missing: 'missing' in where ? where.missing : null,
        exists: false,
        deleted: false,
        lines: [],
        scroll: 0,
        phase: null,
        silence: null,
      }));
      clearInterval(timer);
      if (tail) {
        void tick();
        timer = setInterval(() => void tick(), LOG_POLL_MS);
      }
    },
    /** The whole file in the pager, redacted; what to tell the user when it could not be shown. */
    pager(path: string): Promise<string | null> {
      return openInPager(path, createRedactor(deps.secretValues()));
    },
    stop() {
      clearInterval(timer);
      tail = null;
      key = '';
    },
    /**
     * The pane follows the monitor: the selected job's file while the pane is open on the monitor (a new
     * job or tab reopens it), nothing otherwise. Returns the way to stop following.
     */
    follow(): () => void {
      // What was last followed: most store changes (a look at Slurm, a key) leave it as it is.
      let followed: { job: UndiagnosedJob | null; tab: LogTab } | null = null;
      const onChange = (state: AppState) => {
        if (state.ui.view !== 'monitor' || !state.logs.open) {
          followed = null;
          if (key !== '' || tail) session.stop();
          return;
        }
        const { rows, selectedId } = state.monitor;
        const job = rowJob(rows.find((r) => rowId(r) === selectedId) ?? rows[0]) ?? null;
        if (followed?.job === job && followed.tab === state.logs.tab) return;
        followed = { job, tab: state.logs.tab };
        session.watch(job, state.logs.tab);
      };
      onChange(store.getState());
      const unsubscribe = store.subscribe(onChange);
      return () => {
        unsubscribe();
        session.stop();
      };
    },
  };
  return session;
}

export type LogSession = ReturnType<typeof createLogSession>;
