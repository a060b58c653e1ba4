import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resultsCsv } from '../../src/cli/results-command.js';
import { run } from '../../src/process/run.js';
import { collectResults } from '../../src/results/collect.js';
import { leaderboard, scoringFor } from '../../src/results/leaderboard.js';
import { modelSpendCell, spendLine } from '../../src/results/spend-summary.js';
import { detailLines } from '../../src/monitor/job-details.js';
import { spendCell, spendSummary } from '../../src/monitor/spend-summary.js';
import { apiEstimate, budgetWarning, earlierCosts, experimentSpent } from '../../src/results/cost-history.js';
import { taskKey, type Task } from '../../src/plan/task.js';
import { formatUsd, readRunSpend, runCost, usageOf } from '../../src/run/spend.js';
import { configIn } from '../helpers/config.js';
import { trackedJob } from '../helpers/jobs.js';
import { FIXTURE_CHECKOUT } from '../helpers/paths.js';

const results = mkdtempSync(join(tmpdir(), 'ptb-spend-'));
afterAll(() => rmSync(results, { recursive: true, force: true }));

const PRICES = { 'gpt-5.3-codex': { inputPerMTok: 1.25, outputPerMTok: 10, date: '2026-11-30' } };

describe("an agent's trace", () => {
  it("sums claude's results over its sessions, cached input included, timestamps and other events aside", () => {
    const usage = usageOf([
      '[2026-12-01T10:00:00Z] {"type":"system","subtype":"init","model":"claude-opus-4-6"}',
      '[2026-12-01T10:00:01Z] {"type":"assistant","message":{"content":[{"type":"text","text":"total_cost_usd is what I print"}]}}',
      '[2026-12-01T14:00:00Z] {"type":"result","subtype":"success","total_cost_usd":3.5,"usage":{"input_tokens":100,"cache_creation_input_tokens":1000,"cache_read_input_tokens":10000,"output_tokens":500}}',
      'not json {"type":"result"',
      '[2026-12-01T18:00:00Z] {"type":"result","subtype":"success","total_cost_usd":1.25,"usage":{"input_tokens":10,"output_tokens":50}}',
    ]);
    expect(usage).toEqual({ source: 'claude', reportedUsd: 4.75, inputTokens: 11110, outputTokens: 550 });
  });

  it("adds up codex's turns, or takes the last of its cumulative token_count events", () => {
    expect(
      usageOf([
        '{"type":"thread.started","thread_id":"x"}',
        '{"type":"turn.completed","usage":{"input_tokens":1000,"cached_input_tokens":800,"output_tokens":20}}',
        '{"type":"turn.completed","usage":{"input_tokens":500,"cached_input_tokens":0,"output_tokens":5}}',
      ]),
    ).toEqual({ source: 'codex', reportedUsd: null, inputTokens: 1500, outputTokens: 25 });
    expect(
      usageOf([
        '{"id":"1","msg":{"type":"token_count","session":{"input_tokens":100,"output_tokens":10,"total_tokens":110}}}',
        '{"id":"2","msg":{"type":"token_count","session":{"input_tokens":900,"output_tokens":90,"total_tokens":990}}}',
      ]),
    ).toEqual({ source: 'codex', reportedUsd: null, inputTokens: 900, outputTokens: 90 });
  });

  it("reads opencode's own cost and gemini's token counts, and finds nothing in a plain-text trace", () => {
    expect(usageOf(['{"type":"step_finish","part":{"type":"step-finish","cost":0.02,"tokens":{"input":300,"output":40,"reasoning":10}}}'])).toEqual({
      source: 'opencode',
      reportedUsd: 0.02,
      inputTokens: 300,
      outputTokens: 50,
    });
    expect(usageOf(['{"usageMetadata":{"promptTokenCount":70,"candidatesTokenCount":7}}'])).toMatchObject({
      source: 'gemini',
      inputTokens: 70,
      outputTokens: 7,
    });
    expect(usageOf(['tokens used', '12345'])).toEqual({ source: null, reportedUsd: null, inputTokens: null, outputTokens: null });
  });

  it('prices tokens with the dated price, and says unknown, never 0, without one', () => {
    const codex = { source: 'codex' as const, reportedUsd: null, inputTokens: 2_000_000, outputTokens: 100_000 };
    expect(runCost(codex, 'gpt-5.3-codex', PRICES)).toEqual({ usd: 3.5, how: { priced: '2026-11-30' } });
    expect(runCost(codex, 'gpt-5.4', PRICES)).toEqual({ usd: null, why: "no price for gpt-5.4 in the configuration's prices" });
    expect(runCost({ source: null, reportedUsd: null, inputTokens: null, outputTokens: null }, 'x', PRICES)).toMatchObject({ usd: null });
    expect([formatUsd(null), formatUsd(1.234), formatUsd(0.0042)]).toEqual(['unknown', '$1.23', '$0.004']);
  });
});

describe('the spend of fixture runs in the results', () => {
  it("shows claude's reported cost, codex's priced tokens, and unknown for an agent that says nothing", async () => {
    for (const [agent, config, id] of [
      ['claude', 'claude-sonnet-4-5', 1],
      ['codex', 'gpt-5.3-codex', 2],
      ['gemini', 'models/gemini-3-pro-preview', 3],
    ] as const) {
      const done = await run('bash', ['src/run_task.sh', 'gsm8k', agent, 'Qwen/Qwen3-1.7B-Base', String(id), '1', config], {
        timeoutMs: 20_000,
        cwd: FIXTURE_CHECKOUT,
        env: { ...process.env, POST_TRAIN_BENCH_RESULTS_DIR: results, POST_TRAIN_BENCH_EXPERIMENT_NAME: '_spend', PTB_FIXTURE_STEP: '0' },
      });
      expect(done.kind).toBe('ok');
    }
    const rows = collectResults(results, 'text', PRICES);
    const spend = Object.fromEntries(rows.map((r) => [r.method, r.spend]));
    expect(spend['claude_claude-sonnet-4-5_1h_spend']).toEqual({ usd: 1.23, how: 'reported by the agent', inputTokens: 2986163, outputTokens: 38210 });
    expect(spend['codex_gpt-5.3-codex_1h_spend']).toMatchObject({ how: 'codex tokens priced as of 2026-11-30', inputTokens: 1843200, outputTokens: 48211 });
    expect(spend['codex_gpt-5.3-codex_1h_spend']?.usd).toBeCloseTo(2.78611, 5);
    expect(spend['gemini_models_gemini-3-pro-preview_1h_spend']).toMatchObject({ usd: null, how: 'no cost or token counts in solve_out.txt' });
    expect(spendLine(rows.filter((r) => r.method.startsWith('codex')))).toBe('API spend $2.79 over 1 run(s)');
    expect(spendLine(rows.filter((r) => r.method.startsWith('gemini')))).toBe('API spend unknown for 1 run(s): no cost or token counts in solve_out.txt');
    // The results table's API column, per model row of a method.
    const board = leaderboard(rows, scoringFor(FIXTURE_CHECKOUT));
    const cellsOf = (method: string) => board.methods.find((m) => m.method === method)?.cells ?? [];
    expect(modelSpendCell(cellsOf('claude_claude-sonnet-4-5_1h_spend'), 'Qwen3-1.7B-Base')).toBe('$1.23');
    expect(modelSpendCell(cellsOf('gemini_models_gemini-3-pro-preview_1h_spend'), 'Qwen3-1.7B-Base')).toBe('unknown');
    expect(modelSpendCell(cellsOf('claude_claude-sonnet-4-5_1h_spend'), 'Qwen3-4B-Base')).toBe('-');
    const csv = resultsCsv(board).split('\n');
    expect(csv[0]).toContain('costUsd,cost,inputTokens,outputTokens');
    expect(csv.find((l) => l.startsWith('claude_'))).toContain(',1.23,reported by the agent,2986163,38210,');
    expect(csv.find((l) => l.startsWith('gemini_'))).toContain(',,no cost or token counts in solve_out.txt,,,');
  });
});

// The runs the test above made.
describe("a job's details", () => {
  it('give its GPU-hours from the elapsed time and its API spend, or say the spend is unknown', () => {
    const task: Task = {
      kind: 'agent',
      eval: 'gsm8k',
      model: 'Qwen/Qwen3-1.7B-Base',
      agent: 'claude',
      config: 'claude-sonnet-4-5',
      hours: 1,
      gpus: 2,
      experiment: '_spend',
    };
    const config = { ...configIn(results), resultsDir: results };
    const job = trackedJob('1', 'COMPLETED', task, { key: taskKey(task), elapsedSeconds: 5400 });
    const spend = readRunSpend(join(results, 'claude_claude-sonnet-4-5_1h_spend', 'gsm8k_Qwen_Qwen3-1.7B-Base_1'), task.config, {});
    const lines = Object.fromEntries(detailLines(job, config, null, ['1'], spend));
    expect(lines['GPU-hours']).toBe('3.00 (2 GPU x 1:30:00 elapsed)');
    expect(lines['API spend']).toBe('$1.23 (reported by the agent; 2,986,163 tokens in, 38,210 out)');
    expect(Object.fromEntries(detailLines(job, config, null, ['1'], null))['API spend']).toBe('unknown until the run folder exists');
  });
});

describe('the spend summary (ptb spend)', () => {
  it('adds GPU-hours and known API costs per experiment and agent configuration, counting unknown costs apart', () => {
    const agent = (config: string, a: string): Task => ({
      kind: 'agent',
      eval: 'gsm8k',
      model: 'Qwen/Qwen3-1.7B-Base',
      agent: a,
      config,
      hours: 1,
      gpus: 1,
      experiment: '_spend',
    });
    const baseline: Task = { ...agent('', ''), kind: 'baseline', agent: '', config: '' };
    const config = { ...configIn(results), resultsDir: results };
    // Newest first, as the tracker lists them: the runs the first tests made (cluster ids 1 and 2).
    const jobs = [
      trackedJob('9', 'COMPLETED', baseline, { elapsedSeconds: 360 }),
      trackedJob('2', 'COMPLETED', agent('gpt-5.3-codex', 'codex'), { elapsedSeconds: 7200 }),
      trackedJob('1', 'COMPLETED', agent('claude-sonnet-4-5', 'claude'), { elapsedSeconds: 3600 }),
    ];
    const groups = spendSummary(jobs, config);
    expect(groups.map((g) => [g.what, g.jobs, g.gpuHours.toFixed(1), spendCell(g)])).toEqual([
      ['', 3, '3.1', '$1.23 over 1 run(s), 1 unknown'],
      ['claude/claude-sonnet-4-5', 1, '1.0', '$1.23 over 1 run(s)'],
      ['codex/gpt-5.3-codex', 1, '2.0', 'unknown for 1 run(s)'],
      ['baseline', 1, '0.1', '-'],
    ]);
    // With a price, codex's tokens count.
    const priced = spendSummary(jobs, { ...config, prices: PRICES });
    expect(spendCell(priced[0]!)).toBe('$4.02 over 2 run(s)');
  });
});

describe('the estimate before a submission', () => {
  const agent = (config: string, hours: number): Task => ({
    kind: 'agent',
    eval: 'gsm8k',
    model: 'Qwen/Qwen3-4B-Base',
    agent: 'claude',
    config,
    hours,
    gpus: 1,
    experiment: '_next',
  });

  it('takes the earlier runs of the same configuration and budget from the results folder, in any experiment', () => {
    const config = { ...configIn(results), resultsDir: results };
    expect(earlierCosts(config, agent('claude-sonnet-4-5', 1))).toEqual([1.23]);
    expect(earlierCosts(config, agent('claude-sonnet-4-5', 10))).toEqual([]);
  });

  it('gives the median per run times the tasks, the range and the runs it rests on, and says when there is no history', () => {
    const config = { ...configIn(results), resultsDir: results };
    const costs = (t: Task) => (t.config === 'claude-opus-4-6' ? [2, 4, 9] : []);
    const tasks = [agent('claude-opus-4-6', 10), { ...agent('claude-opus-4-6', 10), eval: 'bfcl' }, agent('claude-sonnet-4-5', 10)];
    expect(apiEstimate(tasks, config, costs)).toEqual({
      expectedUsd: 8,
      lines: [
        'expected API spend: ~$8.00 ($4.00-$18.00) for 2 of 3 agent task(s), from 3 earlier run(s); 1 task(s) without history',
        '  claude/claude-opus-4-6 x 10h: 2 task(s) x $4.00 (median of 3 earlier run(s), $2.00-$9.00)',
        '  claude/claude-sonnet-4-5 x 10h: 1 task(s), no earlier run with a known API cost: no estimate',
      ],
    });
    expect(apiEstimate([agent('claude-sonnet-4-5', 10)], config, () => [])?.lines[0]).toBe(
      'expected API spend: unknown (no earlier runs of these configurations have a known cost)',
    );
    expect(apiEstimate([{ ...agent('', 10), kind: 'baseline' }], config, costs)).toBeNull();
  });

  it('warns when the plan would take the experiment past its spend limit, counting what it has spent', () => {
    const config = { ...configIn(results), resultsDir: results, experimentName: '_spend' };
    // _spend has spent the claude run's $1.23 (the codex run has no price here).
    expect(budgetWarning({ ...config, spendLimitUsd: 2 }, 1)).toBe(
      "the plan's expected API spend (~$1.00) and the $1.23 _spend has spent pass its limit of $2.00 (spendLimitUsd)",
    );
    expect(budgetWarning({ ...config, spendLimitUsd: 5 }, 1)).toBeNull();
    // Another experiment whose name ends the same is not this one.
    const other = join(results, 'claude_claude-sonnet-4-5_1h_x_spend', 'gsm8k_Qwen_Qwen3-1.7B-Base_7');
    mkdirSync(other, { recursive: true });
    writeFileSync(join(other, 'solve_out.txt'), '{"type":"result","total_cost_usd":50}\n');
    expect(experimentSpent(config, '_spend')).toBe(1.23);
    expect(experimentSpent(config, '_x_spend')).toBe(50);
    expect(budgetWarning(config, 1000)).toBeNull();
  });
});
