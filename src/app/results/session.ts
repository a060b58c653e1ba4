import type { Price } from '../../run/spend.js';
import type { AppStore, ResultsSlice } from '../store.js';
import { readResultsView } from '../../results/collect.js';
import type { ScoringInputs } from '../../results/leaderboard.js';
import { errorMessage } from '../../text/error-message.js';

/** How often the progress of a read is put on screen: often enough to move, not a render per run. */
const PROGRESS_MS = 100;

/**
 * The results view's reader, outside React: reads the folder a run at a time when the view opens
 * (and on r). The last read stays on screen with the progress of the new one. A read stops when a
 * newer one starts, when the view is left (opening it again reads anew), and when ptb quits.
 */
export function createResultsSession(deps: {
  store: AppStore;
  resultsDir: () => string | null;
  scoring: () => ScoringInputs;
  prices: () => Readonly<Record<string, Price>>;
}) {
  const { store } = deps;
  let reads = 0;

  const update = (change: (shown: ResultsSlice) => Partial<ResultsSlice>) => {
    const shown = store.getState().results;
    if (shown) store.getState().setResults({ ...shown, ...change(shown) });
  };

  return {
    open() {
      const read = ++reads;
      const current = () => read === reads;
      const shown = store.getState().results;
      store
        .getState()
        .setResults(
          shown
            ? { ...shown, reading: { done: 0, total: 0 } }
            : { rows: [], board: null, at: null, problem: null, selected: 0, chart: 'scores', reading: { done: 0, total: 0 } },
        );
      store.getState().setView('results');
      let publishedAt = 0;
      const onProgress = (done: number, total: number) => {
        if (!current() || (done > 0 && done < total && Date.now() - publishedAt < PROGRESS_MS)) return;
        publishedAt = Date.now();
        update(() => ({ reading: { done, total } }));
      };
      const cancelled = () => !current() || store.getState().ui.view !== 'results';
      const finish = (next: Omit<ResultsSlice, 'selected' | 'reading' | 'chart'> | null) => {
        if (!current()) return;
        // Stopped (the view was left): what was read before stays, marked as no longer being read.
        if (!next) return update(() => ({ reading: null }));
        update((s) => ({ ...next, reading: null, selected: Math.min(s.selected, Math.max(0, (next.board?.methods.length ?? 0) - 1)) }));
      };
      readResultsView(deps.resultsDir(), deps.scoring(), { onProgress, cancelled, prices: deps.prices() })
        .then(finish)
        .catch((error: unknown) =>
          finish({
            rows: [],
            board: null,
            at: new Date(),
            problem: `cannot read the results folder: ${errorMessage(error)}`,
          }),
        );
    },
    /** Stops the read under way (ptb quits). */
    stop() {
      reads++;
    },
  };
}

export type ResultsSession = ReturnType<typeof createResultsSession>;
