import type { StateCreator } from 'zustand/vanilla';
import { previousView, pushHistory, type View } from './navigation.js';
import { FRESH_REVIEW, type ReviewSlice } from './review/slice.js';
import type { ComposerState } from './compose/composer.js';
import type { ComposeState } from './compose/slice.js';
import type { ReviewState } from './review/slice.js';

export interface UiSlice {
  view: View;
  /** The views before this one, for `esc` and the breadcrumb (no view twice). */
  history: View[];
  helpOpen: boolean;
  selectedJob: number;
  /** The command palette (`:`): what is typed, and the highlighted match. */
  palette: { text: string; selected: number } | null;
  /** The review asks "submit? y" and waits for the answer. */
  confirming: boolean;
  /** Work the user asked for and waits on (the setup being read before the wizard opens). */
  busy: string | null;
  /** The last thing that went wrong anywhere (Slurm, an action, a submission), kept after the view changes. */
  lastError: { text: string; at: Date } | null;
}

export interface UiState {
  ui: UiSlice;
  /** Opens a view; the one left goes into the history. */
  setView: (view: View) => void;
  /** `esc`: the view before, else the overview. */
  back: () => void;
  setBusy: (busy: string | null) => void;
  reportError: (text: string) => void;
}

export const createUiState: StateCreator<UiState & Pick<ReviewState, 'review'> & Pick<ComposeState, 'compose'>, [], [], UiState> = (set) => ({
  ui: { view: 'overview', history: [], helpOpen: false, selectedJob: 0, palette: null, confirming: false, busy: null, lastError: null },
  setView: (view) =>
    set((state) => ({
      ui: { ...state.ui, view, history: pushHistory(state.ui.history, state.ui.view, view), helpOpen: false, palette: null, confirming: false },
      review: reviewOn(state, view),
      compose: composeOn(state, view),
    })),
  back: () =>
    set((state) => {
      const { view, history } = previousView(state.ui.history);
      return {
        ui: { ...state.ui, view, history, helpOpen: false, palette: null, confirming: false },
        review: reviewOn(state, view),
        compose: composeOn(state, view),
      };
    }),
  setBusy: (busy) => set((state) => ({ ui: { ...state.ui, busy } })),
  reportError: (text) => set((state) => ({ ui: withError(state.ui, text) })),
});

/** The review opened from another screen starts afresh: a forced mode never lingers. */
function reviewOn(state: UiState & Pick<ReviewState, 'review'>, view: View): ReviewSlice {
  return view === 'review' && state.ui.view !== 'review' ? FRESH_REVIEW : state.review;
}

/** What the composer said is for the visit it was said in. */
function composeOn(state: UiState & Pick<ComposeState, 'compose'>, view: View): ComposerState | null {
  return view === 'compose' && state.ui.view !== 'compose' && state.compose?.notice ? { ...state.compose, notice: null } : state.compose;
}

/** The last thing that went wrong, said in the status bar whatever the screen. */
export function withError(ui: UiSlice, text: string, at = new Date()): UiSlice {
  return { ...ui, lastError: { text, at } };
}

export function clamp(index: number, length: number): number {
  return Math.max(0, Math.min(index, length - 1));
}
