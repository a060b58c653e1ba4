import { readTextIfAny } from '../fs/read-text.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectGeneration, type GenerationId } from '../checkout/generation.js';
import type { ResultRow } from './result-row.js';
import { EVAL_WEIGHTS } from './weights.js';

/**
 * How upstream's aggregators of a generation turn run folders into the leaderboard's numbers
 * (the fact sheet's §6). Each rule names the script it mirrors.
 */
export interface RuleSet {
  id: 'v1.0' | 'v1.1' | 'qol';
  /** The scripts whose numbers these are, for the header. */
  mirrors: string;
  /** Where the judges' flags come from: v1.0's text files, or v1.1's judge_result.json. */
  flags: 'text' | 'json';
  /**
   * Whether a flagged cell falls back to the baseline. v1.1's aggregate_contamination.py keys its
   * rows by `Qwen_Qwen3-4B-Base` and aggregate_methods.py by `Qwen3-4B-Base`: the flags never join
   * aggregate_final.py's cells, so a flagged run keeps its score there.
   */
  flagsJoin: boolean;
  /** The zero-shot baseline: the `baseline_zeroshot` method folder, or qol's `scripts/baselines.json`. */
  baseline: 'baseline_zeroshot' | 'baselines.json';
  /** A cell with neither score nor baseline: a KeyError in compute_single_metrics.py (no metric), 0 in qol's aggregate.py. */
  emptyCell: 'no-metric' | 'zero';
}

export const RULE_SETS: Readonly<Record<RuleSet['id'], RuleSet>> = {
  'v1.0': {
    id: 'v1.0',
    mirrors: 'aggregate_methods.py, aggregate_contamination.py, aggregate_final.py, compute_single_metrics*.py',
    flags: 'text',
    flagsJoin: true,
    baseline: 'baseline_zeroshot',
    emptyCell: 'no-metric',
  },
  'v1.1': {
    id: 'v1.1',
    mirrors: 'aggregate_methods.py, aggregate_contamination.py (judge_result.json), aggregate_final.py, compute_single_metrics*.py',
    flags: 'json',
    flagsJoin: false,
    baseline: 'baseline_zeroshot',
    emptyCell: 'no-metric',
  },
  qol: { id: 'qol', mirrors: 'collect.py, aggregate.py (baselines.json)', flags: 'text', flagsJoin: true, baseline: 'baselines.json', emptyCell: 'zero' },
};

/** The rules of a checkout's generation: a newer one judges in JSON like v1.1; an unknown one is read as v1.0. */
export function ruleSetFor(generation: GenerationId): RuleSet {
  return generation === '1.1' || generation === 'newer' ? RULE_SETS['v1.1'] : generation === 'qol' ? RULE_SETS.qol : RULE_SETS['v1.0'];
}

/**
 * The leaderboard's models: compute_single_metrics.py (and qol's aggregate.py) score a method
 * only when its models are exactly these four, by their short names.
 */
export const LEADERBOARD_MODELS: readonly string[] = ['Qwen3-1.7B-Base', 'Qwen3-4B-Base', 'SmolLM3-3B-Base', 'gemma-3-4b-pt'];

/** Method folders that hold baselines, not an agent's runs. */
export const BASELINE_METHODS: readonly string[] = ['baseline_zeroshot', 'baseline'];

/** What scoring reads from the checkout: the rules, `scripts/factors.json`, qol's baselines and the agents' method lists. */
export interface ScoringInputs {
  rules: RuleSet;
  weights: Readonly<Record<string, number>>;
  /** `scripts/factors.json`, or why ptb's copy of upstream's weights is used. */
  weightsSource: string;
  /** qol's `scripts/baselines.json` zero-shot scores, by short model and eval; null where the checkout has none. */
  baselinesJson: Readonly<Record<string, Readonly<Record<string, number>>>> | null;
  /** `HARDCODED_AGENT_MAP` of `scripts/constants.py`: display name → method folders. */
  agentMap: Readonly<Record<string, readonly string[]>>;
}

function readJsonFile(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function numbers(v: unknown): Record<string, number> | null {
  if (!isRecord(v)) return null;
  const out: Record<string, number> = {};
  for (const [k, n] of Object.entries(v)) if (typeof n === 'number' && Number.isFinite(n)) out[k] = n;
  return out;
}

/**
 * `HARDCODED_AGENT_MAP = {"Name": ["method", ...], ...}` of a constants.py, read as the literal
 * it is (double- or single-quoted strings, comments and trailing commas allowed).
 */
export function parseAgentMap(python: string): Record<string, string[]> {
  const start = python.search(/^HARDCODED_AGENT_MAP\s*=\s*\{/m);
  if (start < 0) return {};
  const body = python.slice(python.indexOf('{', start) + 1);
  const end = body.search(/^\}/m);
  const text = (end < 0 ? body : body.slice(0, end)).replace(/#.*$/gm, '');
  const map: Record<string, string[]> = {};
  for (const m of text.matchAll(/(["'])([^"'\n]+)\1\s*:\s*\[([^\]]*)\]/g)) {
    const name = m[2];
    if (name) map[name] = [...(m[3] ?? '').matchAll(/(["'])([^"'\n]+)\1/g)].map((s) => s[2] ?? '').filter(Boolean);
  }
  return map;
}

/** What the checkout says about scoring; ptb's copy of upstream's weights only where it has no factors.json. */
export function readScoringInputs(checkoutRoot: string | null, generation: GenerationId): ScoringInputs {
  const rules = ruleSetFor(generation);
  const factors = checkoutRoot ? numbers(readJsonFile(join(checkoutRoot, 'scripts', 'factors.json'))) : null;
  const baselines = checkoutRoot ? readJsonFile(join(checkoutRoot, 'scripts', 'baselines.json')) : undefined;
  const zeroshot = isRecord(baselines) && isRecord(baselines.zeroshot) ? baselines.zeroshot : null;
  // qol's aggregate.py reads the copy in scripts/utils.py; the others scripts/constants.py.
  const constants = checkoutRoot ? readTextIfAny(join(checkoutRoot, 'scripts', rules.id === 'qol' ? 'utils.py' : 'constants.py')) : null;
  const agentMap = constants ? parseAgentMap(constants) : {};
  return {
    rules,
    weights: factors && Object.keys(factors).length > 0 ? factors : EVAL_WEIGHTS,
    weightsSource:
      factors && Object.keys(factors).length > 0
        ? 'scripts/factors.json'
        : `ptb's copy of upstream's factors.json (${checkoutRoot ? 'the checkout has no readable scripts/factors.json' : 'no checkout'})`,
    baselinesJson: zeroshot ? Object.fromEntries(Object.entries(zeroshot).flatMap(([model, v]) => (numbers(v) ? [[model, numbers(v) ?? {}]] : []))) : null,
    agentMap,
  };
}

/** One cell of a method's table: the run's own score, the flag, and what the leaderboard counts. */
export interface LeaderboardCell {
  eval: string;
  model: string;
  run: ResultRow | null;
  /** The score cell as aggregate_methods.py writes it: the accuracy, or `not avl.`, `not stored`, `ERR`. */
  raw: number | null;
  rawText: string;
  flag: string;
  /** What the final table counts (a fraction): the run's score, the baseline's, or nothing. */
  counted: number | null;
  /** Why the baseline took the cell (`C`, `C:ERR M:ERR`, `no metrics (not stored)`); null when the run's own score counts. */
  replacedBecause: string | null;
  /** Something the reader should know about this cell (upstream v1.1 keeping a flagged score). */
  note: string | null;
}

export interface MethodBoard {
  method: string;
  baseline: boolean;
  models: string[];
  evals: string[];
  cells: LeaderboardCell[];
  /** Evals the method has runs of that factors.json does not weigh (aime2026): shown, outside the average. */
  unweighted: string[];
  /** compute_single_metrics' number (a fraction), or null with the reason in `metricNote`. */
  metric: number | null;
  metricNote: string | null;
}

export interface AgentScore {
  agent: string;
  methods: readonly string[];
  /** Mean of the methods' metrics, with the sample standard deviation (n-1; null for one run) and n. */
  avg: number | null;
  std: number | null;
  n: number;
  note: string | null;
}

export interface Leaderboard {
  rules: RuleSet;
  weights: Readonly<Record<string, number>>;
  weightsSource: string;
  /** Where the baseline scores came from, in words. */
  baselineSource: string;
  methods: MethodBoard[];
  agents: AgentScore[];
}

/** aggregate_methods.py's score cell. */
function scoreCell(run: ResultRow): { raw: number | null; rawText: string } {
  if (run.accuracy !== null) return { raw: run.accuracy, rawText: String(run.accuracy) };
  if (run.method === 'baseline_zeroshot') return { raw: null, rawText: 'ERR' };
  if (!run.hasTimeTaken) return { raw: null, rawText: 'not avl.' };
  if (!run.hasFinalModel) return { raw: null, rawText: 'not stored' };
  return { raw: null, rawText: 'ERR' };
}

/** The baseline's score of each short model and eval, and where they came from. */
function baselineScores(rows: readonly ResultRow[], inputs: ScoringInputs): { of: (model: string, evalId: string) => number | null; source: string } {
  if (inputs.rules.baseline === 'baselines.json') {
    const table = inputs.baselinesJson;
    return {
      of: (model, evalId) => table?.[model]?.[evalId] ?? null,
      source: table ? "scripts/baselines.json's zeroshot scores" : 'none: the checkout has no scripts/baselines.json',
    };
  }
  const from = (method: string) =>
    new Map(
      rows.filter((r) => r.method === method && r.shortModel !== null && r.accuracy !== null).map((r) => [`${r.shortModel}|${r.eval}`, r.accuracy as number]),
    );
  const zeroshot = from('baseline_zeroshot');
  if (rows.some((r) => r.method === 'baseline_zeroshot')) return { of: (m, e) => zeroshot.get(`${m}|${e}`) ?? null, source: 'the baseline_zeroshot folder' };
  const own = from('baseline');
  if (rows.some((r) => r.method === 'baseline'))
    return {
      of: (m, e) => own.get(`${m}|${e}`) ?? null,
      source: "the baseline folder (run_baseline.sh's; upstream's aggregators read baseline_zeroshot only: rename the folder for them to agree)",
    };
  return { of: () => null, source: 'none: no baseline_zeroshot folder (ptb compose b runs the baselines)' };
}

function methodBoard(
  method: string,
  runs: readonly ResultRow[],
  inputs: ScoringInputs,
  baselineOf: (model: string, evalId: string) => number | null,
): MethodBoard {
  const { rules, weights } = inputs;
  const baseline = BASELINE_METHODS.includes(method);
  const scoredRuns = runs.filter((r) => r.shortModel !== null);
  const models = [...new Set(scoredRuns.map((r) => r.shortModel as string))].sort();
  const evals = [...new Set(scoredRuns.map((r) => r.eval))].sort();
  const cells: LeaderboardCell[] = [];
  for (const model of models)
    for (const evalId of evals) {
      const run = scoredRuns.find((r) => r.shortModel === model && r.eval === evalId) ?? null;
      const { raw, rawText } = run ? scoreCell(run) : { raw: null, rawText: '' };
      const flag = baseline || !run ? '' : run.judge;
      const flagged = flag !== '' && rules.flagsJoin;
      const keep = raw !== null && !flagged;
      const fallback = baseline ? null : baselineOf(model, evalId);
      // No run at all is a cell that is not a number too (inferred: the final table's join leaves it empty).
      const because =
        keep || baseline ? null : !run ? 'no run' : [flagged ? flag : '', raw === null ? `no metrics (${rawText})` : ''].filter(Boolean).join(', ');
      const note =
        raw !== null && flag !== '' && !rules.flagsJoin
          ? `flagged ${flag}, yet upstream v1.1 keeps the score: its aggregate_final.py never joins the flags (the model keys differ)`
          : null;
      cells.push({ eval: evalId, model, run, raw, rawText, flag, counted: keep ? raw : baseline ? null : fallback, replacedBecause: because, note });
    }
  const unweighted = evals.filter((e) => weights[e] === undefined);
  let metric: number | null = null;
  let metricNote: string | null = null;
  const exact = models.length === LEADERBOARD_MODELS.length && LEADERBOARD_MODELS.every((m) => models.includes(m));
  if (!exact)
    metricNote = `no metric: upstream scores a method only with exactly the leaderboard's four models (${LEADERBOARD_MODELS.join(', ')}); this one has ${models.join(', ') || 'none'}`;
  else {
    const weighted = evals.filter((e) => weights[e] !== undefined);
    const empty = cells.filter((c) => weighted.includes(c.eval) && c.counted === null);
    if (empty.length > 0 && rules.emptyCell === 'no-metric')
      metricNote = `no metric: ${empty.length} cell(s) have neither a score nor a baseline (${empty.map((c) => `${c.eval} ${c.model}`).join(', ')}); upstream's compute_single_metrics.py stops there`;
    else {
      metric = weighted.reduce(
        (sum, e) => sum + (weights[e] ?? 0) * (cells.filter((c) => c.eval === e).reduce((s, c) => s + (c.counted ?? 0), 0) / LEADERBOARD_MODELS.length),
        0,
      );
      const missing = Object.keys(weights).filter((e) => !weighted.includes(e));
      if (missing.length > 0) metricNote = `${missing.join(', ')} not run: upstream does not renormalise, so the metric is lower by their weight`;
      if (empty.length > 0) metricNote = [metricNote, `${empty.length} empty cell(s) count as 0 (qol's aggregate.py)`].filter(Boolean).join('; ');
    }
  }
  return { method, baseline, models, evals, cells, unweighted, metric, metricNote };
}

function agentScores(methods: readonly MethodBoard[], agentMap: ScoringInputs['agentMap']): AgentScore[] {
  return Object.entries(agentMap).map(([agent, list]) => {
    const boards = list.map((m) => methods.find((b) => b.method === m));
    const missing = list.filter((_, i) => !boards[i]);
    const unscored = boards.filter((b): b is MethodBoard => b !== undefined && b.metric === null).map((b) => b.method);
    if (missing.length > 0 || unscored.length > 0) {
      const why = [missing.length ? `${missing.join(', ')} not in the results folder` : '', unscored.length ? `${unscored.join(', ')} has no metric` : '']
        .filter(Boolean)
        .join('; ');
      return { agent, methods: list, avg: null, std: null, n: 0, note: `not scored: ${why} (upstream skips the agent, or stops)` };
    }
    const values = boards.map((b) => b?.metric ?? 0);
    const n = values.length;
    if (n === 0) return { agent, methods: list, avg: null, std: null, n: 0, note: 'not scored: HARDCODED_AGENT_MAP lists no method for it' };
    const avg = values.reduce((a, b) => a + b, 0) / n;
    const std = n > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - avg) ** 2, 0) / (n - 1)) : null;
    return { agent, methods: list, avg, std, n, note: null };
  });
}

/** The leaderboard as upstream's aggregators of the checkout's generation compute it, from the collected runs. */
export function leaderboard(rows: readonly ResultRow[], inputs: ScoringInputs): Leaderboard {
  const baselines = baselineScores(rows, inputs);
  const byMethod = new Map<string, ResultRow[]>();
  for (const r of rows) byMethod.set(r.method, [...(byMethod.get(r.method) ?? []), r]);
  const methods = [...byMethod].map(([method, runs]) => methodBoard(method, runs, inputs, baselines.of));
  return {
    rules: inputs.rules,
    weights: inputs.weights,
    weightsSource: inputs.weightsSource,
    baselineSource: baselines.source,
    methods,
    agents: agentScores(methods, inputs.agentMap),
  };
}

/** The scoring inputs of a checkout, its generation detected; without a checkout, v1.0's rules and ptb's weights. */
export const scoringFor = (checkoutRoot: string | null): ScoringInputs =>
  readScoringInputs(checkoutRoot, checkoutRoot ? detectGeneration(checkoutRoot).id : '1.0');

/** A fraction as the leaderboard shows it: ×100, one decimal; `-` for nothing. */
export const percent = (value: number | null | undefined): string => (value === null || value === undefined ? '-' : (value * 100).toFixed(1));

/** A cell as the tables show it: what counts, `*` when the baseline took it, `!` when a flagged score was kept. */
export function cellText(cell: LeaderboardCell | undefined): string {
  if (!cell) return '';
  if (!cell.run && cell.counted === null) return '-';
  return `${percent(cell.counted)}${cell.replacedBecause !== null ? '*' : cell.note ? '!' : ''}`;
}

/** Why a cell does not show its run's own score, in one line; null when it does. */
export function cellNote(cell: LeaderboardCell): string | null {
  if (!cell.run && cell.counted === null) return null;
  const why = cell.raw !== null ? `${cell.replacedBecause}; the run's own ${percent(cell.raw)}` : cell.replacedBecause;
  if (cell.replacedBecause !== null)
    return `${cell.eval} ${cell.model}: ${cell.counted === null ? 'no baseline either, empty' : `baseline ${percent(cell.counted)}`} (${why})`;
  if (cell.note) return `${cell.eval} ${cell.model}: ${percent(cell.counted)} ${cell.note}`;
  return null;
}

/** The header: which rules, weights and baselines the numbers follow. */
export function rulesLine(board: Leaderboard): string {
  return `scored as upstream ${board.rules.id} does (${board.rules.mirrors}); weights: ${board.weightsSource}; baseline: ${board.baselineSource}`;
}
