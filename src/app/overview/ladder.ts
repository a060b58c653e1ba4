import type { LadderStep } from '../../results/ladder.js';
import type { AppState, AppStore } from '../store.js';

/**
 * Keeps the overview's trial ladder current while the overview is shown: read on the way in, and
 * again when a ptb job appears or changes state (a step submitted, ended, scored), not at every look
 * at Slurm: the read walks the ledger and the run folders, on shared storage. Returns the way to stop.
 */
export function followLadder(store: AppStore, loadLadder: () => LadderStep[] | null): () => void {
  let read: string | null = null;
  let seen: AppState['monitor']['jobs'] | null = null;
  const onChange = (state: AppState) => {
    if (state.ui.view !== 'overview') {
      read = null;
      seen = null;
      return;
    }
    // The same list of jobs (the tracker hands it out again while none changed): nothing to compare.
    if (state.monitor.jobs === seen) return;
    seen = state.monitor.jobs;
    const jobStates = state.monitor.jobs.map((j) => `${j.id}:${j.state}:${String(j.scored)}`).join(',');
    if (jobStates === read) return;
    read = jobStates;
    state.setLadder(loadLadder());
  };
  onChange(store.getState());
  return store.subscribe(onChange);
}
