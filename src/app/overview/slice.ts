import type { StateCreator } from 'zustand/vanilla';
import type { Checkout } from '../../checkout/detect.js';
import type { OverviewSnapshot } from '../../overview/snapshot.js';
import type { LadderStep } from '../../results/ladder.js';
import type { ControllerStatus } from '../../slurm/controller.js';
import type { SlurmError } from '../../slurm/errors.js';
import type { Partition } from '../../slurm/sinfo.js';
import type { QueueJob } from '../../slurm/squeue.js';
import type { UiState } from '../ui-slice.js';
import { clamp, withError } from '../ui-slice.js';

/** What the cluster looked like at the last successful look, and what went wrong since. */
export interface ClusterSlice {
  controller: ControllerStatus | null;
  partitions: Partition[] | null;
  jobs: QueueJob[] | null;
  /** When the data shown was read: it stays on screen while later reads fail. */
  dataAt: Date | null;
  error: SlurmError | null;
  errorSince: Date | null;
  refreshing: boolean;
  nextRefreshAt: Date | null;
  intervalMs: number;
  paused: boolean;
}

export interface OverviewState {
  cluster: ClusterSlice;
  /** The checkout the header describes: the configured one, --checkout, or the one found around the current directory. */
  checkout: Checkout | null;
  /** The site file's label and notes (the demo site says it simulates GPUs and containers), or null without one. */
  site: { label: string | null; notes: string[] } | null;
  setCheckout: (checkout: Checkout | null) => void;
  /** The trial ladder from the results and the ledger, read when the overview shows it; null without a configuration. */
  ladder: LadderStep[] | null;
  setLadder: (ladder: LadderStep[] | null) => void;
  applyOverview: (snapshot: OverviewSnapshot) => void;
  setRefreshing: (refreshing: boolean, nextRefreshAt?: Date | null) => void;
  setPolling: (polling: { intervalMs: number; paused: boolean }) => void;
}

export const createOverviewState: StateCreator<OverviewState & Pick<UiState, 'ui'>, [], [], OverviewState> = (set) => ({
  cluster: {
    controller: null,
    partitions: null,
    jobs: null,
    dataAt: null,
    error: null,
    errorSince: null,
    refreshing: false,
    nextRefreshAt: null,
    intervalMs: 5000,
    paused: false,
  },
  checkout: null,
  site: null,
  setCheckout: (checkout) => set({ checkout }),
  ladder: null,
  setLadder: (ladder) => set({ ladder }),
  applyOverview: (snapshot) =>
    set((state) => {
      const error = snapshot.partitionsError ?? snapshot.jobsError;
      const prev = state.cluster;
      const jobs = snapshot.jobs ?? prev.jobs;
      return {
        cluster: {
          ...prev,
          controller: snapshot.controller ?? prev.controller,
          partitions: snapshot.partitions ?? prev.partitions,
          jobs,
          dataAt: error === null ? snapshot.at : prev.dataAt,
          error,
          errorSince: error === null ? null : (prev.errorSince ?? snapshot.at),
        },
        ui: {
          ...(error && error.message !== prev.error?.message ? withError(state.ui, `${error.command}: ${error.message}`, snapshot.at) : state.ui),
          selectedJob: clamp(state.ui.selectedJob, jobs?.length ?? 0),
        },
      };
    }),
  setRefreshing: (refreshing, nextRefreshAt) =>
    set((state) => ({ cluster: { ...state.cluster, refreshing, nextRefreshAt: nextRefreshAt === undefined ? state.cluster.nextRefreshAt : nextRefreshAt } })),
  setPolling: (polling) => set((state) => ({ cluster: { ...state.cluster, ...polling } })),
});
