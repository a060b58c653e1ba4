import type { StateCreator } from 'zustand/vanilla';
import type { Checkout } from '../../checkout/detect.js';
import type { OverviewSnapshot } from '../../overview/snapshot.js';
import type { LadderStep } from '../../results/ladder.js';
import type { ControllerStatus } from '../../slurm/controller.js';
import type { SlurmError } from '../../slurm/errors.js';
import type { Partition } from '../../slurm/sinfo.js';
import { sameListing, type QueueJob } from '../../slurm/squeue.js';
import type { UiState } from '../ui-slice.js';
import { clamp, withError } from '../ui-slice.js';

/** What the cluster looked like at the last successful look, and what went wrong since. */
export interface ClusterSlice {
  controller: ControllerStatus | null;
  partitions: Partition[] | null;
  jobs: QueueJob[] | null;
  /** When the data shown was read: it stays on screen while later reads fail. */
  dataAt: Date | null;
  /** The first look that read what is shown: a look that read the same again changes nothing on screen. */
  changedAt: Date | null;
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
    changedAt: null,
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
      // What reads the same as before stays the same object: views that show it draw nothing new.
      const jobs = snapshot.jobs === null || sameListing(prev.jobs, snapshot.jobs) ? prev.jobs : snapshot.jobs;
      const partitions = snapshot.partitions === null || sameJson(prev.partitions, snapshot.partitions) ? prev.partitions : snapshot.partitions;
      const controller = snapshot.controller === null || sameJson(prev.controller, snapshot.controller) ? prev.controller : snapshot.controller;
      const changed = jobs !== prev.jobs || partitions !== prev.partitions || controller !== prev.controller;
      const selectedJob = clamp(state.ui.selectedJob, jobs?.length ?? 0);
      const newError = error !== null && error.message !== prev.error?.message;
      return {
        cluster: {
          ...prev,
          controller,
          partitions,
          jobs,
          dataAt: error === null ? snapshot.at : prev.dataAt,
          changedAt: error === null && (changed || prev.changedAt === null) ? snapshot.at : prev.changedAt,
          error,
          errorSince: error === null ? null : (prev.errorSince ?? snapshot.at),
        },
        ui:
          newError || selectedJob !== state.ui.selectedJob
            ? { ...(newError ? withError(state.ui, `${error.command}: ${error.message}`, snapshot.at) : state.ui), selectedJob }
            : state.ui,
      };
    }),
  setRefreshing: (refreshing, nextRefreshAt) =>
    set((state) => ({ cluster: { ...state.cluster, refreshing, nextRefreshAt: nextRefreshAt === undefined ? state.cluster.nextRefreshAt : nextRefreshAt } })),
  setPolling: (polling) => set((state) => ({ cluster: { ...state.cluster, ...polling } })),
});

const sameJson = (a: unknown, b: unknown): boolean => a !== null && JSON.stringify(a) === JSON.stringify(b);
