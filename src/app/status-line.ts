import type { AppState, ClusterSlice } from './store.js';

/** `14:02:05`, local time: what a user compares with the clock on their wall. */
export function clockTime(date: Date): string {
  return date.toTimeString().slice(0, 8);
}

/**
 * The one line that says what the screen is showing and how fresh it is. Stale data is
 * never hidden: a failure names itself, says when it started and when the next try is.
 */
// ASCII only: a non-ASCII character sends Ink's width measurement down its slow Unicode path.
export function statusLine(cluster: ClusterSlice, now: Date): { text: string; tone: 'ok' | 'warning' | 'error' } {
  // The time of the next look, not a countdown: a countdown redraws the screen every second, idle or not.
  const at = cluster.nextRefreshAt && cluster.nextRefreshAt.getTime() > now.getTime() ? clockTime(cluster.nextRefreshAt) : null;
  const next = cluster.refreshing ? 'refreshing...' : at === null ? '' : `retrying at ${at}`;
  if (cluster.error) {
    const what = cluster.error.kind === 'unreachable' || cluster.error.kind === 'timeout' ? 'controller unreachable' : `${cluster.error.command} failed`;
    const since = cluster.errorSince ? ` since ${clockTime(cluster.errorSince)}` : '';
    const shown = cluster.dataAt ? `showing data from ${clockTime(cluster.dataAt)}` : 'no data yet';
    // The short facts first: on a narrow terminal the line is cut from the right.
    return { text: [`${what}${since}`, next, shown, cluster.error.message].filter(Boolean).join(' - '), tone: 'error' };
  }
  if (cluster.paused)
    return {
      text: `paused, Slurm is not asked (p resumes) - showing data from ${cluster.dataAt ? clockTime(cluster.dataAt) : 'nowhere yet'}`,
      tone: 'warning',
    };
  if (!cluster.dataAt) return { text: 'asking Slurm...', tone: 'ok' };
  // Nothing here changes with a look that read the same again: such a look draws no frame at all.
  const every = cluster.intervalMs === 5000 ? '' : `every ${cluster.intervalMs / 1000} s`;
  const changed = cluster.changedAt ? `last change ${clockTime(cluster.changedAt)}` : '';
  return { text: [cluster.refreshing ? 'refreshing...' : 'live', changed, every].filter(Boolean).join(' - '), tone: 'ok' };
}

/** What runs in the background beside the screen: the probe job, a submission. */
export function backgroundWork(state: Pick<AppState, 'preflight' | 'submission' | 'ui'>): string[] {
  const work: string[] = state.ui.busy ? [state.ui.busy] : [];
  const { probe, running } = state.preflight;
  if (running.includes('compute')) work.push(probe?.jobId ? `probe job ${probe.jobId} ${probe.state}` : 'probe job starting');
  else if (running.length > 0) work.push(`preflight: ${running.length} check(s) running`);
  const s = state.submission;
  if (s?.running) work.push(`${s.dryRun ? 'dry run' : 'submitting'} ${s.outcomes.length}/${s.total}`);
  return work;
}

/**
 * The status bar: Slurm's freshness (when the poller runs), the background work, the last error.
 * Stale data and errors are never hidden; on a narrow terminal the line is cut from the right.
 */
export function statusBar(
  state: Pick<AppState, 'cluster' | 'preflight' | 'submission' | 'ui'>,
  now: Date,
  polling: boolean,
): { text: string; tone: 'ok' | 'warning' | 'error' } {
  const slurm = polling ? statusLine(state.cluster, now) : { text: '', tone: 'ok' as const };
  const error = state.ui.lastError;
  // The current Slurm failure is already the line's first words.
  const last = error && !(state.cluster.error && error.text.endsWith(state.cluster.error.message)) ? `last error ${clockTime(error.at)}: ${error.text}` : '';
  const text = [slurm.text, ...backgroundWork(state), last].filter(Boolean).join(' | ');
  // Fresh, it is in yellow; after a minute it stays readable, dim, until the next one.
  const fresh = last !== '' && error !== null && now.getTime() - error.at.getTime() < 60_000;
  return { text: text || 'nothing runs in the background', tone: slurm.tone === 'ok' && fresh ? 'warning' : slurm.tone };
}
