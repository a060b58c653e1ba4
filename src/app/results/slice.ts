import type { StateCreator } from 'zustand/vanilla';
import type { ResultRow } from '../../results/collect.js';
import type { Leaderboard } from '../../results/leaderboard.js';

/** The results table, read from the results folder when the view opens (and on r). */
export interface ResultsSlice {
  rows: ResultRow[];
  board: Leaderboard | null;
  /** When the rows shown were read; null before the first read ends. */
  at: Date | null;
  /** Why nothing could be read (no configuration). */
  problem: string | null;
  selected: number;
  /** What the view draws: the scores table, API spend over time per method, or scores against spend (g). */
  chart: ResultsChart;
  /** While the folder is read again: how far (what is shown meanwhile is the last read). */
  reading: { done: number; total: number } | null;
}

export const RESULTS_CHARTS = ['scores', 'spend', 'score-vs-spend'] as const;
export type ResultsChart = (typeof RESULTS_CHARTS)[number];

export interface ResultsState {
  results: ResultsSlice | null;
  setResults: (results: ResultsSlice | null) => void;
}

export const createResultsState: StateCreator<ResultsState, [], [], ResultsState> = (set) => ({
  results: null,
  setResults: (results) => set({ results }),
});
