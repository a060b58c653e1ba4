import type { StateCreator } from 'zustand/vanilla';
import type { TaskOutcome } from '../../submit/submit-tasks.js';

/** A submission from the Review screen, pushed by the submit session. */
export interface SubmissionSlice {
  running: boolean;
  dryRun: boolean;
  total: number;
  outcomes: TaskOutcome[];
  stopped: string | null;
  /** Set while another ptb holds the setup's submission lock: who, as its lock says. */
  waiting: string | null;
}

/**
 * The review's screen state. In the store so that it survives the pager (the UI unmounts while it
 * runs); fresh each time the review is opened from another screen, so a forced mode never lingers.
 */
export interface ReviewSlice {
  selected: number;
  arrays: boolean;
  force: boolean;
  /** What went wrong showing the script in the pager, until the next key. */
  notice: string | null;
}

export const FRESH_REVIEW: ReviewSlice = { selected: 0, arrays: false, force: false, notice: null };

export interface ReviewState {
  review: ReviewSlice;
  updateReview: (change: (r: ReviewSlice) => Partial<ReviewSlice>) => void;
  submission: SubmissionSlice | null;
  updateSubmission: (change: (s: SubmissionSlice | null) => SubmissionSlice | null) => void;
}

export const createReviewState: StateCreator<ReviewState, [], [], ReviewState> = (set) => ({
  review: FRESH_REVIEW,
  updateReview: (change) => set((state) => ({ review: { ...state.review, ...change(state.review) } })),
  submission: null,
  updateSubmission: (change) => set((state) => ({ submission: change(state.submission) })),
});
