import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What a finished run left in its folder (EVAL_DIR), as far as a diagnosis needs. */
export interface RunFiles {
  exists: boolean;
  /** metrics.json's numeric accuracy; null when absent or not a number. */
  accuracy: number | null;
  hasMetrics: boolean;
  cudaNotAvailable: boolean;
  hasTimeTaken: boolean;
  hasFinalModel: boolean;
}

/**
 * metrics.json's numeric accuracy, as upstream's aggregators read it (a number, or a string that is
 * one); null when absent, unparseable or not a number. Python's json writes NaN and Infinity, which
 * JSON.parse refuses: they are read as null, so one such field (a stderr) does not hide the accuracy.
 */
export function metricsAccuracy(file: string): number | null {
  try {
    const text = readFileSync(file, 'utf8').replace(/(?<=[:[,]\s*)-?(?:NaN|Infinity)\b/g, 'null');
    const value = (JSON.parse(text) as { accuracy?: unknown }).accuracy;
    if (typeof value === 'number') return Number.isFinite(value) ? value : null;
    return typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : null;
  } catch {
    return null;
  }
}

/** Reads the few files that classify a finished run (posttrainbench.md 2.3); never throws. */
export function readRunFiles(dir: string): RunFiles {
  if (!existsSync(dir)) return { exists: false, accuracy: null, hasMetrics: false, cudaNotAvailable: false, hasTimeTaken: false, hasFinalModel: false };
  const metrics = join(dir, 'metrics.json');
  const hasMetrics = existsSync(metrics);
  const accuracy = hasMetrics ? metricsAccuracy(metrics) : null;
  let hasFinalModel = false;
  try {
    hasFinalModel = readdirSync(join(dir, 'final_model')).length > 0;
  } catch {
    hasFinalModel = false;
  }
  return {
    exists: true,
    accuracy,
    hasMetrics,
    cudaNotAvailable: existsSync(join(dir, 'task', 'cuda_not_available')),
    hasTimeTaken: existsSync(join(dir, 'time_taken.txt')),
    hasFinalModel,
  };
}

/**
 * `final_eval_3.txt` beats `final_eval_12.txt`? No: the highest attempt number is the latest.
 * `prefix` names an evaluation-only rerun's own files (`z_new_<job>_`).
 */
export function latestFinalEval(dir: string, prefix = ''): string | null {
  try {
    const attempts = readdirSync(dir)
      .map((name) => (name.startsWith(prefix) ? /^final_eval_(\d+)\.txt$/.exec(name.slice(prefix.length)) : null))
      .filter((m): m is RegExpExecArray => m !== null)
      .sort((a, b) => Number(b[1]) - Number(a[1]));
    return attempts[0] ? join(dir, `${prefix}${attempts[0][0]}`) : null;
  } catch {
    return null;
  }
}
