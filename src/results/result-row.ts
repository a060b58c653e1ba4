import type { JudgeVerdicts } from '../run/judges.js';
import type { RunSpend } from '../run/spend.js';

/** One run folder, the latest of its (method, eval, model), as upstream's aggregators pick it. */
export interface ResultRow {
  method: string;
  eval: string;
  /** As the folder names it (`Qwen_Qwen3-1.7B-Base`). */
  model: string;
  /**
   * The short model upstream's aggregators key by (`Qwen3-1.7B-Base`): the folder split on `_`
   * must give exactly eval, org, model and cluster id; null otherwise (aggregate_methods.py stops there).
   */
  shortModel: string | null;
  runId: number;
  dir: string;
  /** metrics.json's accuracy, a fraction; null without a numeric one. */
  accuracy: number | null;
  /** ×100, as the leaderboard shows it; null without a numeric accuracy. */
  score: number | null;
  /** `H:MM:SS` from time_taken.txt. */
  timeTaken: string | null;
  hasTimeTaken: boolean;
  hasFinalModel: boolean;
  /** The flag cell of the generation's aggregate_contamination.py: `C`, `M`, `MC`, `C:ERR M:ERR`, '' clean; '' for a baseline. */
  judge: string;
  verdicts: JudgeVerdicts;
  diagnosis: string | null;
  /** A baseline runs no agent: null. */
  spend: RunSpend | null;
  /** When its agent stopped writing its trace (solve_out.txt's modification time, ms); null without one. */
  endedAt: number | null;
  /** Files that exist but do not parse: flagged, never dropped silently. */
  problems: string[];
}
