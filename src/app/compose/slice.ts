import type { StateCreator } from 'zustand/vanilla';
import { FRESH_REVIEW } from '../review/slice.js';
import type { ReviewState } from '../review/slice.js';
import { composerReducer, type ComposerAction, type ComposerState } from './composer.js';
import type { PlanningContext } from './planning.js';

export interface ComposeState {
  /** Read when the composer opens: the configuration may have just been saved by the wizard. */
  planning: PlanningContext | null;
  setPlanning: (planning: PlanningContext | null) => void;
  compose: ComposerState | null;
  composeDispatch: (action: ComposerAction) => void;
  setCompose: (compose: ComposerState) => void;
}

export const createComposeState: StateCreator<ComposeState & Pick<ReviewState, 'review'>, [], [], ComposeState> = (set) => ({
  planning: null,
  setPlanning: (planning) => set({ planning }),
  compose: null,
  composeDispatch: (action) => set((state) => (state.compose ? { compose: composerReducer(state.compose, action) } : {})),
  // Another plan: the review's selection and modes were the old one's.
  setCompose: (compose) => set({ compose, review: FRESH_REVIEW }),
});
