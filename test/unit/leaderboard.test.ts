import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resultsCsv, resultsMarkdown } from '../../src/cli/results-command.js';
import { collectResults } from '../../src/results/collect.js';
import { jsonFlag, textFlag } from '../../src/run/judges.js';
import { cellText, leaderboard, parseAgentMap, readScoringInputs, type Leaderboard } from '../../src/results/leaderboard.js';

const root = mkdtempSync(join(tmpdir(), 'ptb-leaderboard-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/*
 * Result trees that cover every scoring rule of the fact sheet's §6, and the tables upstream's
 * aggregators give for them, worked out by hand from those rules (weights from factors.json:
 * gsm8k 0.0935882347031865, humaneval 0.106148554819225).
 */
const W_GSM8K = 0.0935882347031865;
const W_HUMANEVAL = 0.106148554819225;
const FACTORS = {
  aime2025: 0.226536549919078,
  arenahardwriting: 0.0903518275042778,
  bfcl: 0.0746078457817324,
  gpqamain: 0.22462215653948,
  gsm8k: W_GSM8K,
  healthbench: 0.184144830733019,
  humaneval: W_HUMANEVAL,
};
const MODELS = { q17: 'Qwen_Qwen3-1.7B-Base', q4: 'Qwen_Qwen3-4B-Base', s3: 'HuggingFaceTB_SmolLM3-3B-Base', g4: 'google_gemma-3-4b-pt' } as const;
type Judge = 'clean' | 'contaminated' | 'no-model-verdict' | 'none';
interface RunSpec {
  model: keyof typeof MODELS;
  eval: string;
  id: number;
  accuracy?: number;
  time?: boolean;
  model_saved?: boolean;
  judge?: Judge;
}

function tree(
  name: string,
  generation: 'v1.0' | 'v1.1' | 'qol',
  methods: Record<string, RunSpec[]>,
  extra: { baselinesJson?: object; agentMap?: string } = {},
): { checkout: string; results: string } {
  const checkout = join(root, name, 'checkout');
  const results = join(root, name, 'results');
  mkdirSync(join(checkout, 'scripts'), { recursive: true });
  writeFileSync(join(checkout, 'scripts', 'factors.json'), JSON.stringify(FACTORS));
  if (extra.baselinesJson) writeFileSync(join(checkout, 'scripts', 'baselines.json'), JSON.stringify(extra.baselinesJson));
  if (extra.agentMap) writeFileSync(join(checkout, 'scripts', 'constants.py'), extra.agentMap);
  for (const [method, runs] of Object.entries(methods))
    for (const r of runs) {
      const dir = join(results, method, `${r.eval}_${MODELS[r.model]}_${r.id}`);
      mkdirSync(dir, { recursive: true });
      if (r.accuracy !== undefined) writeFileSync(join(dir, 'metrics.json'), JSON.stringify({ accuracy: r.accuracy, stderr: 0.01 }));
      if (r.time !== false) writeFileSync(join(dir, 'time_taken.txt'), '09:12:00\n');
      if (r.model_saved !== false) {
        mkdirSync(join(dir, 'final_model'));
        writeFileSync(join(dir, 'final_model', 'config.json'), '{}');
      }
      const judge = r.judge ?? 'clean';
      if (judge === 'none') continue;
      if (generation === 'v1.1') {
        const verdict: Record<string, unknown> = {
          contamination: judge === 'contaminated',
          disallowed_model: false,
          justification_contamination: 'x',
          justification_disallowed_model: 'y',
          disallowed_api_usage: false,
          justification_disallowed_api_usage: 'z',
        };
        if (judge === 'no-model-verdict') delete verdict.disallowed_model;
        writeFileSync(join(dir, 'judge_result.json'), JSON.stringify(verdict));
      } else {
        writeFileSync(join(dir, 'contamination_judgement.txt'), judge === 'contaminated' ? 'contamination detected\n' : 'no contamination detected\n');
        if (judge !== 'no-model-verdict') writeFileSync(join(dir, 'disallowed_model_judgement.txt'), 'only allowed use detected\n');
      }
    }
  return { checkout, results };
}

const baselineZeroshot: RunSpec[] = [
  { model: 'q17', eval: 'gsm8k', id: 10, accuracy: 0.1, judge: 'none' },
  { model: 'q4', eval: 'gsm8k', id: 11, accuracy: 0.2, judge: 'none' },
  { model: 's3', eval: 'gsm8k', id: 12, accuracy: 0.3, judge: 'none' },
  { model: 'g4', eval: 'gsm8k', id: 13, accuracy: 0.4, judge: 'none' },
  { model: 'q17', eval: 'humaneval', id: 14, accuracy: 0.05, judge: 'none' },
  { model: 'q4', eval: 'humaneval', id: 15, accuracy: 0.15, judge: 'none' },
  { model: 's3', eval: 'humaneval', id: 16, accuracy: 0.25, judge: 'none' },
  // gemma's humaneval baseline failed: that cell has no baseline to fall back on.
  { model: 'g4', eval: 'humaneval', id: 17, judge: 'none' },
];

/** Every rule of the score and flag cells, once: picked run, flags, not stored, not avl., ERR. */
const mixed: RunSpec[] = [
  { model: 'q17', eval: 'gsm8k', id: 100, accuracy: 0.9 },
  { model: 'q17', eval: 'gsm8k', id: 200, accuracy: 0.5 },
  { model: 'q4', eval: 'gsm8k', id: 201, accuracy: 0.6, judge: 'contaminated' },
  { model: 's3', eval: 'gsm8k', id: 202, accuracy: 0.7, judge: 'no-model-verdict' },
  { model: 'g4', eval: 'gsm8k', id: 203, model_saved: false },
  { model: 'q17', eval: 'humaneval', id: 204, accuracy: 0.8 },
  { model: 'q4', eval: 'humaneval', id: 205, time: false },
  { model: 's3', eval: 'humaneval', id: 206 },
  { model: 'g4', eval: 'humaneval', id: 207, accuracy: 0.9 },
];
/** A flagged cell whose baseline is missing: an empty cell. */
const emptyCell: RunSpec[] = [
  { model: 'q17', eval: 'humaneval', id: 300, accuracy: 0.8 },
  { model: 'q4', eval: 'humaneval', id: 301, accuracy: 0.6 },
  { model: 's3', eval: 'humaneval', id: 302, accuracy: 0.4 },
  { model: 'g4', eval: 'humaneval', id: 303, accuracy: 0.7, judge: 'contaminated' },
];
const twoModels: RunSpec[] = [
  { model: 'q17', eval: 'gsm8k', id: 400, accuracy: 0.5 },
  { model: 'q4', eval: 'gsm8k', id: 401, accuracy: 0.5 },
];
const AGENT_MAP =
  'HARDCODED_AGENT_MAP = {\n    "Mixed": [\n        "m_mixed",\n    ],\n    # a comment\n    \'Both\': ["m_mixed", "m_empty"],\n}\n\nHARDCODED_BENCHMARKS = ["gsm8k"]\n';

function board(t: { checkout: string; results: string }, generation: '1.0' | '1.1' | 'qol'): Leaderboard {
  const inputs = readScoringInputs(t.checkout, generation);
  return leaderboard(collectResults(t.results, inputs.rules.flags), inputs);
}
/** A method's table as text: `model: cell cell`, evals in name order. */
const table = (b: Leaderboard, method: string): string[] => {
  const m = b.methods.find((x) => x.method === method);
  return m ? m.models.map((model) => `${model}: ${m.evals.map((e) => cellText(m.cells.find((c) => c.model === model && c.eval === e))).join(' ')}`) : [];
};
const metricOf = (b: Leaderboard, method: string) => b.methods.find((m) => m.method === method);

describe("the leaderboard, as upstream's aggregators compute it", () => {
  it('v1.0: the latest run, the baseline_zeroshot score for a flagged or scoreless cell, the weighted metric of exactly four models', () => {
    const b = board(
      tree('v10', 'v1.0', { baseline_zeroshot: baselineZeroshot, m_mixed: mixed, m_empty: emptyCell, m_two: twoModels }, { agentMap: AGENT_MAP }),
      '1.0',
    );
    expect(b.rules.id).toBe('v1.0');
    expect(b.weightsSource).toBe('scripts/factors.json');
    expect(b.baselineSource).toBe('the baseline_zeroshot folder');
    // gsm8k, humaneval. Run 200 beats 100; C, M:ERR, not stored, not avl. and ERR take the baseline (*).
    expect(table(b, 'm_mixed')).toEqual([
      'Qwen3-1.7B-Base: 50.0 80.0',
      'Qwen3-4B-Base: 20.0* 15.0*',
      'SmolLM3-3B-Base: 30.0* 25.0*',
      'gemma-3-4b-pt: 40.0* 90.0',
    ]);
    const cell = (model: string, e: string) => metricOf(b, 'm_mixed')?.cells.find((c) => c.model === model && c.eval === e);
    expect(cell('Qwen3-4B-Base', 'gsm8k')).toMatchObject({ raw: 0.6, flag: 'C', counted: 0.2, replacedBecause: 'C' });
    expect(cell('SmolLM3-3B-Base', 'gsm8k')).toMatchObject({ flag: 'M:ERR', replacedBecause: 'M:ERR' });
    expect(cell('gemma-3-4b-pt', 'gsm8k')).toMatchObject({ rawText: 'not stored', replacedBecause: 'no metrics (not stored)' });
    expect(cell('Qwen3-4B-Base', 'humaneval')).toMatchObject({ rawText: 'not avl.', replacedBecause: 'no metrics (not avl.)' });
    expect(cell('SmolLM3-3B-Base', 'humaneval')).toMatchObject({ rawText: 'ERR', replacedBecause: 'no metrics (ERR)' });
    // Σ weight × mean of the four: nothing renormalised, so the five evals not run lower it.
    expect(metricOf(b, 'm_mixed')?.metric).toBeCloseTo(W_GSM8K * ((0.5 + 0.2 + 0.3 + 0.4) / 4) + W_HUMANEVAL * ((0.8 + 0.15 + 0.25 + 0.9) / 4), 12);
    expect(metricOf(b, 'm_mixed')?.metricNote).toMatch(/^aime2025, arenahardwriting, bfcl, gpqamain, healthbench not run: upstream does not renormalise/);
    // gemma's humaneval is flagged and has no baseline: upstream stops (KeyError), no metric.
    expect(table(b, 'm_empty')).toEqual(['Qwen3-1.7B-Base: 80.0', 'Qwen3-4B-Base: 60.0', 'SmolLM3-3B-Base: 40.0', 'gemma-3-4b-pt: -*']);
    expect(metricOf(b, 'm_empty')).toMatchObject({
      metric: null,
      metricNote: expect.stringMatching(/^no metric: 1 cell\(s\) have neither a score nor a baseline \(humaneval gemma-3-4b-pt\)/),
    });
    expect(metricOf(b, 'm_two')).toMatchObject({
      metric: null,
      metricNote: expect.stringMatching(/^no metric: upstream scores a method only with exactly the leaderboard's four models/),
    });
    // The baseline is a table of its own, never flagged or replaced.
    expect(table(b, 'baseline_zeroshot')).toEqual([
      'Qwen3-1.7B-Base: 10.0 5.0',
      'Qwen3-4B-Base: 20.0 15.0',
      'SmolLM3-3B-Base: 30.0 25.0',
      'gemma-3-4b-pt: 40.0 -',
    ]);
    // Agents: the mean of their methods' metrics, n-1 std; one without a metric is not scored.
    expect(b.agents).toEqual([
      { agent: 'Mixed', methods: ['m_mixed'], avg: metricOf(b, 'm_mixed')?.metric, std: null, n: 1, note: null },
      { agent: 'Both', methods: ['m_mixed', 'm_empty'], avg: null, std: null, n: 0, note: expect.stringContaining('m_empty has no metric') },
    ]);
    const markdown = resultsMarkdown(b);
    expect(markdown).toContain('scored as upstream v1.0 does (aggregate_methods.py, aggregate_contamination.py, aggregate_final.py');
    expect(markdown).toContain('| Qwen3-4B-Base | 20.0* | 15.0* |');
    expect(markdown).toContain('metric: 8.8 (aime2025, arenahardwriting');
    expect(markdown).toContain("- gsm8k Qwen3-4B-Base: baseline 20.0 (C; the run's own 60.0)");
    expect(resultsCsv(b)).toContain('m_mixed,gsm8k,Qwen3-4B-Base,201,0.6,0.2,C,C,09:12:00,');
  });

  it("v1.1: flags from judge_result.json, which upstream's final table never joins (flagged scores stay, marked); aime2026 shown outside the average", () => {
    const aime: RunSpec = { model: 'q17', eval: 'aime2026', id: 208, accuracy: 0.3 };
    const b = board(tree('v11', 'v1.1', { baseline_zeroshot: baselineZeroshot, m_mixed: [...mixed, aime] }), '1.1');
    expect(b.rules.id).toBe('v1.1');
    expect(table(b, 'm_mixed')).toEqual([
      'Qwen3-1.7B-Base: 30.0 50.0 80.0',
      'Qwen3-4B-Base: - 60.0! 15.0*',
      'SmolLM3-3B-Base: - 70.0! 25.0*',
      'gemma-3-4b-pt: - 40.0* 90.0',
    ]);
    const m = metricOf(b, 'm_mixed');
    expect(m?.cells.find((c) => c.model === 'Qwen3-4B-Base' && c.eval === 'gsm8k')).toMatchObject({
      flag: 'C',
      counted: 0.6,
      replacedBecause: null,
      note: expect.stringContaining('upstream v1.1 keeps the score'),
    });
    expect(m?.cells.find((c) => c.model === 'SmolLM3-3B-Base' && c.eval === 'gsm8k')?.flag).toBe('M:IMPORTANT ERR');
    expect(m?.unweighted).toEqual(['aime2026']);
    expect(m?.metric).toBeCloseTo(W_GSM8K * ((0.5 + 0.6 + 0.7 + 0.4) / 4) + W_HUMANEVAL * ((0.8 + 0.15 + 0.25 + 0.9) / 4), 12);
    expect(resultsMarkdown(b)).toContain('outside the average: aime2026 (no weight in factors.json)');
  });

  it('qol: baselines from scripts/baselines.json (the baseline folders are not read), empty cells count 0', () => {
    const baselinesJson = { zeroshot: { 'Qwen3-1.7B-Base': { humaneval: 0.05 }, 'Qwen3-4B-Base': { humaneval: 0.15 } }, fewshot: {} };
    const b = board(tree('qol', 'qol', { baseline_zeroshot: baselineZeroshot, m_empty: emptyCell }, { baselinesJson }), 'qol');
    expect(b.baselineSource).toBe("scripts/baselines.json's zeroshot scores");
    expect(table(b, 'm_empty')).toEqual(['Qwen3-1.7B-Base: 80.0', 'Qwen3-4B-Base: 60.0', 'SmolLM3-3B-Base: 40.0', 'gemma-3-4b-pt: -*']);
    expect(metricOf(b, 'm_empty')?.metric).toBeCloseTo(W_HUMANEVAL * ((0.8 + 0.6 + 0.4 + 0) / 4), 12);
    expect(metricOf(b, 'm_empty')?.metricNote).toContain('1 empty cell(s) count as 0');
  });

  it("uses run_baseline.sh's own folder when there is no baseline_zeroshot, and says the aggregators want it renamed", () => {
    const b = board(tree('own-baseline', 'v1.0', { baseline: baselineZeroshot, m_mixed: mixed }), '1.0');
    expect(b.baselineSource).toMatch(/^the baseline folder \(run_baseline\.sh's; upstream's aggregators read baseline_zeroshot only: rename/);
    expect(table(b, 'm_mixed')[1]).toBe('Qwen3-4B-Base: 20.0* 15.0*');
    // Its runs are not an agent's: no judge to miss.
    expect(collectResults(join(root, 'own-baseline', 'results')).find((r) => r.method === 'baseline' && r.runId === 10)).toMatchObject({
      judge: '',
      diagnosis: 'scored: accuracy 0.1000 (the base model)',
    });
  });

  it("writes the flag cell as combine_results does: an error alone drops the other judge's verdict", () => {
    const dir = join(root, 'flags');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'contamination_judgement.txt'), 'contamination detected\n');
    expect(textFlag(dir)).toBe('M:ERR');
    writeFileSync(join(dir, 'disallowed_model_judgement.txt'), 'disallowed use detected\n');
    expect(textFlag(dir)).toBe('MC');
    writeFileSync(join(dir, 'disallowed_model_judgement.txt'), 'maybe\n');
    expect(textFlag(dir)).toBe('M:IMPORTANT ERR');
    expect(jsonFlag(dir)).toBe('C:ERR M:ERR');
    writeFileSync(join(dir, 'judge_result.json'), '{"contamination": true, "disallowed_model": "no"}');
    expect(jsonFlag(dir)).toBe('M:IMPORTANT ERR');
    writeFileSync(join(dir, 'judge_result.json'), '[1]');
    expect(jsonFlag(dir)).toBe('C:IMPORTANT ERR M:IMPORTANT ERR');
  });

  it('reads metrics.json as Python writes it (NaN, numeric strings), and picks the latest run by short model, whatever the org part', () => {
    const t = tree('python-json', 'v1.0', {
      m: [
        { model: 'q17', eval: 'gsm8k', id: 500 },
        { model: 'q4', eval: 'gsm8k', id: 501 },
      ],
    });
    writeFileSync(join(t.results, 'm', `gsm8k_${MODELS.q17}_500`, 'metrics.json'), '{"accuracy": 0.41, "stderr": NaN}');
    writeFileSync(join(t.results, 'm', `gsm8k_${MODELS.q4}_501`, 'metrics.json'), '{"accuracy": "0.5", "stderr": Infinity}');
    // An older run of the same model under another spelling of its org.
    mkdirSync(join(t.results, 'm', 'gsm8k_qwen_Qwen3-1.7B-Base_100'), { recursive: true });
    writeFileSync(join(t.results, 'm', 'gsm8k_qwen_Qwen3-1.7B-Base_100', 'metrics.json'), '{"accuracy": 0.9}');
    const rows = collectResults(t.results);
    expect(rows.map((r) => [r.shortModel, r.runId, r.accuracy])).toEqual([
      ['Qwen3-1.7B-Base', 500, 0.41],
      ['Qwen3-4B-Base', 501, 0.5],
    ]);
  });

  it('reads HARDCODED_AGENT_MAP as the Python literal it is', () => {
    expect(parseAgentMap(AGENT_MAP)).toEqual({ Mixed: ['m_mixed'], Both: ['m_mixed', 'm_empty'] });
    expect(parseAgentMap('X = 1\n')).toEqual({});
    // An agent whose methods are all commented out is not scored (not NaN).
    const empty = parseAgentMap('HARDCODED_AGENT_MAP = {\n    "X": [\n        # "m_run1",\n    ],\n}\n');
    expect(empty).toEqual({ X: [] });
    expect(leaderboard([], { ...readScoringInputs(null, '1.0'), agentMap: empty }).agents).toEqual([expect.objectContaining({ agent: 'X', avg: null, n: 0 })]);
  });
});
