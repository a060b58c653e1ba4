import type { StateCreator } from 'zustand/vanilla';
import type { CheckResult } from '../../preflight/check-result.js';
import type { ProbeProgress } from '../../preflight/probe-job.js';
import { clamp } from '../ui-slice.js';

/** The Preflight screen's data, pushed by the preflight session (outside React). */
export interface PreflightSlice {
  results: CheckResult[];
  /** Ids of checks running now (`compute` while the probe job is out). */
  running: string[];
  probe: ProbeProgress | null;
  selected: number;
  /** Why preflight cannot run (no configuration), if it cannot. */
  unavailable: string | null;
}

export interface PreflightState {
  preflight: PreflightSlice;
  updatePreflight: (change: (p: PreflightSlice) => Partial<PreflightSlice>) => void;
}

export const createPreflightState: StateCreator<PreflightState, [], [], PreflightState> = (set) => ({
  preflight: { results: [], running: [], probe: null, selected: 0, unavailable: null },
  updatePreflight: (change) => set((state) => ({ preflight: clampedPreflight({ ...state.preflight, ...change(state.preflight) }) })),
});

/** The selection stays on a check that exists. */
export function clampedPreflight(p: PreflightSlice): PreflightSlice {
  return { ...p, selected: clamp(p.selected, p.results.length) };
}
