/**
 * Upstream's leaderboard weights (`scripts/factors.json`, the same in every generation so far),
 * used only where the checkout has no readable factors.json: a checkout's own file wins.
 */
export const EVAL_WEIGHTS: Readonly<Record<string, number>> = {
  aime2025: 0.226536549919078,
  arenahardwriting: 0.0903518275042778,
  bfcl: 0.0746078457817324,
  gpqamain: 0.22462215653948,
  gsm8k: 0.0935882347031865,
  healthbench: 0.184144830733019,
  humaneval: 0.106148554819225,
};
