import { readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { classifyRun } from '../diagnosis/classify.js';
import { readRunFiles } from '../monitor/run-files.js';
import { EVAL_WEIGHTS } from './weights.js';

/** One run folder, the latest of its (method, eval, model), as upstream's aggregators pick it. */
export interface ResultRow {
  method: string;
  eval: string;
  /** As the folder names it (`Qwen_Qwen3-1.7B-Base`). */
  model: string;
  runId: number;
  dir: string;
  /** ×100, as the leaderboard shows it; null without a numeric accuracy. */
  score: number | null;
  /** `H:MM:SS` from time_taken.txt. */
  timeTaken: string | null;
  /** `C` contamination, `M` disallowed model, `C:ERR`/`M:ERR` a judge file missing, '' clean, as aggregate_contamination.py writes. */
  judge: string;
  diagnosis: string | null;
  /** Files that exist but do not parse: flagged, never dropped silently. */
  problems: string[];
}

/** `gsm8k_Qwen_Qwen3-1.7B-Base_1234`: eval first, cluster id last, the model between. */
export function parseRunFolder(name: string): { eval: string; model: string; runId: number } | null {
  const parts = name.split('_');
  if (parts.length < 3) return null;
  const id = parts[parts.length - 1] ?? '';
  if (!/^\d+$/.test(id)) return null;
  return { eval: parts[0] ?? '', model: parts.slice(1, -1).join('_'), runId: Number(id) };
}

function judgeCell(dir: string): string {
  const read = (file: string): string | null => {
    try {
      return readFileSync(join(dir, file), 'utf8').trim().toLowerCase();
    } catch {
      return null;
    }
  };
  const contamination = read('contamination_judgement.txt');
  const model = read('disallowed_model_judgement.txt');
  const c = contamination === null ? 'C:ERR' : contamination === 'contamination detected' ? 'C' : contamination === 'no contamination detected' ? '' : 'C:IMPORTANT ERR';
  const m = model === null ? 'M:ERR' : model === 'disallowed use detected' ? 'M' : model === 'only allowed use detected' ? '' : 'M:IMPORTANT ERR';
  return [c, m].filter(Boolean).join(' ');
}

const isDir = (path: string): boolean => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

/** A run folder to read: the latest of its method, eval and model. */
interface LatestRun {
  method: string;
  name: string;
  parsed: NonNullable<ReturnType<typeof parseRunFolder>>;
}

/**
 * Every method folder of the results directory (dot-folders such as preflight's `.ptb-preflight`
 * aside) and its latest run per eval and model: listings only, no run file read yet.
 */
function latestRuns(resultsDir: string): LatestRun[] {
  let methods: string[];
  try {
    methods = readdirSync(resultsDir).filter((m) => !m.startsWith('.') && isDir(join(resultsDir, m)));
  } catch {
    return [];
  }
  const runs: LatestRun[] = [];
  for (const method of methods.sort()) {
    const latest = new Map<string, LatestRun>();
    let entries: Dirent[];
    try {
      entries = readdirSync(join(resultsDir, method), { withFileTypes: true });
    } catch {
      // A method folder that cannot be listed right now is left out of this read, not fatal.
      continue;
    }
    for (const entry of entries) {
      const parsed = parseRunFolder(entry.name);
      // The listing's own file types spare a stat per run on shared storage; a link is followed.
      if (!parsed || !(entry.isDirectory() || (entry.isSymbolicLink() && isDir(join(resultsDir, method, entry.name))))) continue;
      const key = `${parsed.eval}|${parsed.model}`;
      const seen = latest.get(key);
      if (!seen || parsed.runId > seen.parsed.runId) latest.set(key, { method, name: entry.name, parsed });
    }
    runs.push(...latest.values());
  }
  return runs;
}

/** A run folder's score, time, judge verdicts and diagnosis. */
function readResultRow(resultsDir: string, { method, name, parsed }: LatestRun): ResultRow {
  const dir = join(resultsDir, method, name);
  const files = readRunFiles(dir);
  const problems: string[] = [];
  if (files.hasMetrics && files.accuracy === null) problems.push('metrics.json has no numeric accuracy or does not parse');
  let timeTaken: string | null = null;
  try {
    const text = readFileSync(join(dir, 'time_taken.txt'), 'utf8').trim();
    if (/^\d+:\d{1,2}:\d{1,2}$/.test(text)) timeTaken = text;
    else problems.push(`time_taken.txt is not H:MM:SS ("${text.slice(0, 20)}")`);
  } catch {
    timeTaken = null;
  }
  return {
    method,
    eval: parsed.eval,
    model: parsed.model,
    runId: parsed.runId,
    dir,
    score: files.accuracy === null ? null : Math.round(files.accuracy * 1000) / 10,
    timeTaken,
    judge: method === 'baseline' ? '' : judgeCell(dir),
    diagnosis: classifyRun({ state: 'ENDED', exitCode: null }, dir).summary,
    problems,
  };
}

const byMethodModelEval = (a: ResultRow, b: ResultRow): number => a.method.localeCompare(b.method) || a.model.localeCompare(b.model) || a.eval.localeCompare(b.eval);

/** Every method's latest run per eval and model, with score, time, judge verdicts and a diagnosis. */
export function collectResults(resultsDir: string): ResultRow[] {
  return latestRuns(resultsDir)
    .map((run) => readResultRow(resultsDir, run))
    .sort(byMethodModelEval);
}

/** How a gradual read reports its progress (`done` of `total` runs, 0 once listed) and learns it should stop. */
export interface GradualRead {
  onProgress?: (done: number, total: number) => void;
  cancelled?: () => boolean;
}

/**
 * The same rows, read one run folder at a time with the event loop free in between: on shared
 * storage a full experiment's few thousand file reads take seconds, and the screen must keep
 * taking keys meanwhile. `onProgress` hears how far it got; `cancelled` stops it early (null).
 */
export async function collectResultsGradually(resultsDir: string, options: GradualRead = {}): Promise<ResultRow[] | null> {
  const runs = latestRuns(resultsDir);
  options.onProgress?.(0, runs.length);
  const rows: ResultRow[] = [];
  for (const run of runs) {
    await new Promise((resolve) => setImmediate(resolve));
    if (options.cancelled?.()) return null;
    rows.push(readResultRow(resultsDir, run));
    options.onProgress?.(rows.length, runs.length);
  }
  return rows.sort(byMethodModelEval);
}

/** A method's models × evals, and each model's weighted average over the evals it has scores for. */
export interface ResultMatrix {
  method: string;
  evals: string[];
  models: { model: string; scores: Record<string, number | null>; weighted: number | null; complete: boolean }[];
}

export function resultMatrices(rows: readonly ResultRow[]): ResultMatrix[] {
  const byMethod = new Map<string, ResultRow[]>();
  for (const r of rows) byMethod.set(r.method, [...(byMethod.get(r.method) ?? []), r]);
  return [...byMethod].map(([method, list]) => {
    const evals = [...new Set(list.map((r) => r.eval))].sort();
    const models = [...new Set(list.map((r) => r.model))].sort().map((model) => {
      const scores = Object.fromEntries(evals.map((e) => [e, list.find((r) => r.model === model && r.eval === e)?.score ?? null]));
      let sum = 0;
      let weights = 0;
      for (const [e, score] of Object.entries(scores)) {
        const w = EVAL_WEIGHTS[e];
        if (score === null || w === undefined) continue;
        sum += w * score;
        weights += w;
      }
      const complete = Object.keys(EVAL_WEIGHTS).every((e) => scores[e] !== null && scores[e] !== undefined);
      return { model, scores, weighted: weights > 0 ? Math.round((sum / weights) * 10) / 10 : null, complete };
    });
    return { method, evals, models };
  });
}

/** What the Results view shows: read when it opens (and on r), a run folder at a time, never while rendering. */
export async function readResultsView(resultsDir: string | null, options: GradualRead = {}): Promise<{ rows: ResultRow[]; matrices: ResultMatrix[]; at: Date; problem: string | null } | null> {
  if (!resultsDir) return { rows: [], matrices: [], at: new Date(), problem: 'no valid configuration: run the setup first (2 opens it)' };
  const rows = await collectResultsGradually(resultsDir, options);
  return rows && { rows, matrices: resultMatrices(rows), at: new Date(), problem: null };
}
