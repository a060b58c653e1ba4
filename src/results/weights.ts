/** Upstream's leaderboard weights (scripts/factors.json): the weighted average of a method's evals. */
export const EVAL_WEIGHTS: Readonly<Record<string, number>> = {
  aime2025: 0.2265,
  arenahardwriting: 0.0904,
  bfcl: 0.0746,
  gpqamain: 0.2246,
  gsm8k: 0.0936,
  healthbench: 0.1841,
  humaneval: 0.1061,
};
