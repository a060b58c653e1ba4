import { untestedImages, ladderWarning } from '../../results/ladder.js';
import { planContainers } from '../../plan/plan-checks.js';
import { preparePlan, type PreparedPlan } from '../../submit/prepare.js';
import { computeVerdict, preflightWarning } from '../../preflight/last-compute.js';
import { composerPlan, type ComposerState } from '../compose/composer.js';
import type { PlanningContext } from '../compose/planning.js';
import type { AppState } from '../store.js';

/** The review's plan: prepared as `ptb submit` prepares it, with the review's own warnings (the ladder, the preflight). */
export interface ReviewPlan {
  prepared: PreparedPlan;
  /** The compute preflight has not passed for this setup: said in the warning and in the question. */
  preflight: string | null;
  /** Everything worth reading before submitting, on one line; null when there is nothing. */
  warning: string | null;
}

type Inputs = Pick<AppState, 'compose' | 'planning' | 'cluster' | 'review'>;
let last: {
  compose: Inputs['compose'];
  planning: Inputs['planning'];
  partitions: Inputs['cluster']['partitions'];
  arrays: boolean;
  plan: ReviewPlan | null;
} | null = null;

/**
 * The plan of the composer's selection, prepared once per change of the selection, the setup,
 * the partitions or the array mode (a recipes plan has ~950 tasks, and the blockers look at
 * files): every key and every render of the review reads the same one.
 */
export function reviewPlan(state: Inputs): ReviewPlan | null {
  const { compose, planning: ctx } = state;
  const partitions = state.cluster.partitions;
  const arrays = state.review.arrays;
  if (last && last.compose === compose && last.planning === ctx && last.partitions === partitions && last.arrays === arrays) return last.plan;
  const plan = compose && ctx ? prepareReview(compose, ctx, partitions, arrays) : null;
  last = { compose, planning: ctx, partitions, arrays, plan };
  return plan;
}

function prepareReview(compose: ComposerState, ctx: PlanningContext, partitions: Inputs['cluster']['partitions'], arrays: boolean): ReviewPlan {
  const prepared = preparePlan(composerPlan(compose), { ...ctx, partitions, arrays });
  if (!prepared.ok) return { prepared, preflight: null, warning: null };
  const { tasks, planned } = prepared;
  const agents = tasks.filter((t) => t.kind === 'agent').length;
  // Bigger than a smoke run: the ladder's unfinished steps are worth a warning.
  const untested = untestedImages(ctx.config, [...planContainers(planned), ...(agents > 0 ? ctx.checkout.images.run : [])]);
  const ladder =
    agents > 1
      ? [
          ladderWarning(ctx.ladder),
          untested.length ? `no passed container test for ${untested.map((i) => `${i}.sif`).join(', ')} (c in the composer tests them)` : null,
        ]
      : [];
  // GPU-hours wait on a compute preflight that passed for this setup.
  const preflight = tasks.some((t) => t.kind !== 'container-test') ? preflightWarning(computeVerdict(ctx.config)) : null;
  const warning = [preflight, ...prepared.notes, ...ladder].filter(Boolean).join('; ') || null;
  return { prepared, preflight, warning };
}
