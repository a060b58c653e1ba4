import { readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { classifyRun } from '../diagnosis/classify.js';
import { readRunFiles } from '../run/folder.js';
import { jsonFlag, readVerdicts, textFlag } from '../run/judges.js';
import { BASELINE_METHODS, leaderboard, type Leaderboard, type ScoringInputs } from './leaderboard.js';
import type { ResultRow } from './result-row.js';
import { readRunSpend, type Price } from '../run/spend.js';

export type { ResultRow } from './result-row.js';

/** `gsm8k_Qwen_Qwen3-1.7B-Base_1234`: eval first, cluster id last, the model between. */
export function parseRunFolder(name: string): { eval: string; model: string; shortModel: string | null; runId: number } | null {
  const parts = name.split('_');
  if (parts.length < 3) return null;
  const id = parts[parts.length - 1] ?? '';
  if (!/^\d+$/.test(id)) return null;
  return { eval: parts[0] ?? '', model: parts.slice(1, -1).join('_'), shortModel: parts.length === 4 ? (parts[2] ?? null) : null, runId: Number(id) };
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
      // Upstream keys by eval and short model (`Qwen3-4B-Base`), whatever the org part says.
      const key = `${parsed.eval}|${parsed.shortModel ?? parsed.model}`;
      const seen = latest.get(key);
      if (!seen || parsed.runId > seen.parsed.runId) latest.set(key, { method, name: entry.name, parsed });
    }
    runs.push(...latest.values());
  }
  return runs;
}

/** A run folder's score, time, judge verdicts and diagnosis; its flag read as `flags` says (the generation's files). */
function readResultRow(resultsDir: string, { method, name, parsed }: LatestRun, flags: 'text' | 'json', prices: Prices): ResultRow {
  const dir = join(resultsDir, method, name);
  const files = readRunFiles(dir);
  const problems: string[] = [];
  if (files.hasMetrics && files.accuracy === null) problems.push('metrics.json has no numeric accuracy or does not parse');
  if (parsed.shortModel === null)
    problems.push(
      "the folder name does not split into eval, org, model and cluster id: upstream's aggregate_methods.py stops at it, ptb leaves it out of the leaderboard",
    );
  const baseline = BASELINE_METHODS.includes(method);
  const verdicts = readVerdicts(dir);
  if (verdicts.problem && !baseline) problems.push(verdicts.problem);
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
    shortModel: parsed.shortModel,
    runId: parsed.runId,
    dir,
    accuracy: files.accuracy,
    score: files.accuracy === null ? null : Math.round(files.accuracy * 1000) / 10,
    timeTaken,
    hasTimeTaken: files.hasTimeTaken,
    hasFinalModel: files.hasFinalModel,
    judge: baseline ? '' : flags === 'json' ? jsonFlag(dir) : textFlag(dir),
    verdicts,
    diagnosis: classifyRun({ state: 'ENDED', exitCode: null }, dir, undefined, { baseline }).summary,
    spend: baseline ? null : readRunSpend(dir, pricedModel(method, prices), prices),
    endedAt: modifiedAt(join(dir, 'solve_out.txt')),
    problems,
  };
}

type Prices = Readonly<Record<string, Price>>;

const modifiedAt = (path: string): number | null => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return null;
  }
};

/**
 * The model a method folder's runs are priced as: the longest price name the folder's name holds
 * (`gpt-5.3-codex` before `gpt-5`), as upstream's method folders carry the agent configuration.
 */
function pricedModel(method: string, prices: Prices): string | null {
  return (
    Object.keys(prices)
      .filter((m) => method.includes(m.replace(/[/:[\]]/g, '_')))
      .sort((a, b) => b.length - a.length)[0] ?? null
  );
}

const byMethodModelEval = (a: ResultRow, b: ResultRow): number =>
  a.method.localeCompare(b.method) || a.model.localeCompare(b.model) || a.eval.localeCompare(b.eval);

/** Every method's latest run per eval and model, with score, time, judge verdicts and a diagnosis. */
export function collectResults(resultsDir: string, flags: 'text' | 'json' = 'text', prices: Prices = {}): ResultRow[] {
  return latestRuns(resultsDir)
    .map((run) => readResultRow(resultsDir, run, flags, prices))
    .sort(byMethodModelEval);
}

/** How a gradual read reports its progress (`done` of `total` runs, 0 once listed) and learns it should stop. */
export interface GradualRead {
  onProgress?: (done: number, total: number) => void;
  cancelled?: () => boolean;
  /** Which judge files give the flags (the generation's); text by default. */
  flags?: 'text' | 'json';
  /** The configuration's API prices, for agents that report tokens and no cost. */
  prices?: Prices;
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
    rows.push(readResultRow(resultsDir, run, options.flags ?? 'text', options.prices ?? {}));
    options.onProgress?.(rows.length, runs.length);
  }
  return rows.sort(byMethodModelEval);
}

/** What the Results view shows: read when it opens (and on r), a run folder at a time, never while rendering. */
export async function readResultsView(
  resultsDir: string | null,
  scoring: ScoringInputs,
  options: GradualRead = {},
): Promise<{ rows: ResultRow[]; board: Leaderboard; at: Date; problem: string | null } | null> {
  if (!resultsDir) return { rows: [], board: leaderboard([], scoring), at: new Date(), problem: 'no valid configuration: run the setup first (2 opens it)' };
  const rows = await collectResultsGradually(resultsDir, { ...options, flags: scoring.rules.flags });
  return rows && { rows, board: leaderboard(rows, scoring), at: new Date(), problem: null };
}
