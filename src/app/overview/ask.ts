import type { OverviewAsk } from '../../overview/snapshot.js';
import type { AppState } from '../store.js';

/** The screens that show or check the partitions (their GPUs, their time limits): sinfo is asked at each look there. */
const PARTITION_VIEWS = new Set(['overview', 'review', 'preflight']);

/**
 * What a look asks Slurm besides squeue. The version and the controller's state cannot change while
 * squeue answers: they are asked at the first look, on demand (`r`), and while something fails.
 * The partitions are asked where a screen shows them, and at those same times.
 */
export function overviewAsk(state: Pick<AppState, 'ui' | 'cluster'>, look: { first: boolean; demanded: boolean }): OverviewAsk {
  const { cluster } = state;
  const troubled = cluster.error !== null || cluster.controller === null || !cluster.controller.reachable;
  const always = look.first || look.demanded || troubled;
  return { controller: always, partitions: always || cluster.partitions === null || PARTITION_VIEWS.has(state.ui.view) };
}
