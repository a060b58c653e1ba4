import { commandFor, type InkKey } from '../keybindings.js';
import type { AppState, ReviewSlice } from '../store.js';
import { unitPreview } from '../../submit/prepare.js';
import { reviewPlan } from './plan.js';

export type ReviewEffect = { kind: 'submit'; dryRun: boolean } | { kind: 'text-pager'; text: string } | { kind: 'back' };

export interface ReviewStep {
  review?: Partial<ReviewSlice>;
  confirming?: boolean;
  effects: ReviewEffect[];
}

/** The selected task's place in the plan: the store's selection may point past a plan that shrank. */
export function reviewSelection(selected: number, tasks: number): number {
  return Math.max(0, Math.min(selected, tasks - 1));
}

/** A key on the review: the answer to "submit?" while it asks, else the review's commands. */
export function reviewKey(state: Pick<AppState, 'compose' | 'planning' | 'cluster' | 'review' | 'submission' | 'ui'>, input: string, key: InkKey): ReviewStep {
  const plan = reviewPlan(state);
  const prepared = plan?.prepared.ok ? plan.prepared : null;
  if (state.ui.confirming) {
    const yes = commandFor(input, key, 'review', 'question') === 'answer-yes';
    return { confirming: false, effects: yes && prepared ? [{ kind: 'submit', dryRun: false }] : [] };
  }
  const command = commandFor(input, key, 'review');
  // A notice (the pager failed) is read by the next key.
  const cleared: Partial<ReviewSlice> = state.review.notice ? { notice: null } : {};
  const step = (review: Partial<ReviewSlice>, effects: ReviewEffect[] = [], confirming?: boolean): ReviewStep => ({
    review: { ...cleared, ...review },
    effects,
    ...(confirming === undefined ? {} : { confirming }),
  });
  const tasks = prepared?.tasks.length ?? 0;
  const at = reviewSelection(state.review.selected, tasks);
  const canSubmit = !state.submission?.running && state.planning !== null && prepared !== null && tasks > 0 && prepared.blockers.length === 0;
  switch (command) {
    case 'back':
      return step({}, [{ kind: 'back' }]);
    case 'down':
      return step({ selected: Math.min(tasks - 1, at + 1) });
    case 'up':
      return step({ selected: Math.max(0, at - 1) });
    case 'dry-run':
      return step({}, canSubmit ? [{ kind: 'submit', dryRun: true }] : []);
    case 'submit':
      return canSubmit ? step({}, [], true) : step({});
    case 'array-mode':
      return step({ arrays: !state.review.arrays });
    case 'force':
      return step({ force: !state.review.force });
    // The body shows what fits; the pager, all of it, long lines too.
    case 'script-pager': {
      const chosen = prepared?.planned[at];
      const unit = chosen ? prepared?.units.find((u) => u.members.includes(chosen)) : undefined;
      if (!prepared || !chosen || !state.planning) return step({});
      if (prepared.blockers.length > 0) return step({}, [{ kind: 'text-pager', text: `${prepared.blockers.map((b) => `blocked: ${b}`).join('\n\n')}\n` }]);
      if (!unit) return step({});
      const preview = unitPreview(unit, state.planning.config, state.planning.secretsFile, state.planning.exported);
      return step({}, [{ kind: 'text-pager', text: `${[preview.sbatch, '', ...preview.script].join('\n')}\n` }]);
    }
    default:
      return command ? step({}) : { review: cleared, effects: [] };
  }
}
