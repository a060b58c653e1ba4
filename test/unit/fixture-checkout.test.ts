import { cpSync, existsSync, mkdtempSync, writeFileSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../src/process/run.js';
import { isCheckout, readCheckout } from '../../src/checkout/detect.js';
import { FIXTURE_CHECKOUT } from '../helpers/paths.js';

const results = mkdtempSync(join(tmpdir(), 'ptb-fixture-results-'));
afterAll(() => rmSync(results, { recursive: true, force: true }));

const BANNERS = [
  'Preparing job directory...',
  '========= RUNNING TASK =========',
  '--- SOLVE DIAGNOSTICS ---',
  '--- END SOLVE DIAGNOSTICS ---',
  '=== TASK COMPLETE, PARSING AGENT TRACE ===',
  '=== RUNNING CONTAMINATION JUDGE ===',
  '======== CLEANING UP ========',
  '========= EVALUATING ===========',
  'Evaluation attempt 1 (phase attempt 1 of',
  '======= EVALUATION DONE ========',
];

/** `outcome` null: none from the shell (the checkout's fixture-knobs.env decides). */
async function runTask(outcome: string | null, clusterId: number, extraEnv: Record<string, string> = {}, timeoutMs = 20_000, cwd = FIXTURE_CHECKOUT) {
  const args = ['src/run_task.sh', 'gsm8k', 'claude', 'Qwen/Qwen3-1.7B-Base', String(clusterId), '1', 'claude-opus-4-6[1m]'];
  const result = await run('bash', args, {
    timeoutMs,
    cwd,
    env: {
      ...process.env,
      POST_TRAIN_BENCH_RESULTS_DIR: results,
      POST_TRAIN_BENCH_EXPERIMENT_NAME: '_test',
      ...(outcome === null ? {} : { PTB_FIXTURE_OUTCOME: outcome }),
      PTB_FIXTURE_STEP: '0',
      ...extraEnv,
    },
  });
  const dir = join(results, 'claude_claude-opus-4-6_1m__1h_test', `gsm8k_Qwen_Qwen3-1.7B-Base_${clusterId}`);
  const file = (name: string) => readFileSync(join(dir, name), 'utf8');
  const has = (name: string) => existsSync(join(dir, name));
  return { result, dir, file, has };
}

describe('the fixture checkout', () => {
  it('is a checkout with upstream tasks and agents', () => {
    expect(isCheckout(FIXTURE_CHECKOUT)).toBe(true);
    const checkout = readCheckout(FIXTURE_CHECKOUT);
    expect(checkout.tasks.map((t) => t.id)).toEqual(['aime2025', 'arenahardwriting', 'bfcl', 'gpqamain', 'gsm8k', 'healthbench', 'humaneval']);
    expect(checkout.tasks.find((t) => t.id === 'gsm8k')?.benchmark).toBe('GSM8K (Grade School Math 8K)');
    expect(checkout.agents).toEqual(expect.arrayContaining(['claude', 'codex', 'gemini', 'opencode']));
    const resources = JSON.parse(readFileSync(join(FIXTURE_CHECKOUT, 'containers/download_hf_cache/resources.json'), 'utf8')) as { models: unknown[] };
    expect(resources.models.length).toBeGreaterThanOrEqual(14);
  });

  it('writes a scored run into upstream EVAL_DIR, banners in order, timestamped agent trace', async () => {
    const { result, file, has } = await runTask('success', 101);
    expect(result.kind).toBe('ok');
    const log = file('output.log').split('\n');
    expect(log[0]).toBe('gsm8k claude Qwen/Qwen3-1.7B-Base 101 1 claude-opus-4-6[1m]');
    const positions = BANNERS.map((b) => log.findIndex((line) => line.startsWith(b)));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(log.filter(Boolean).at(-1)).toBe('inspect eval gsm8k: accuracy 0.4312');
    expect(JSON.parse(file('metrics.json'))).toEqual({ accuracy: 0.4312, stderr: 0.0136 });
    expect(
      file('solve_out.txt')
        .trim()
        .split('\n')
        .every((l) => /^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\] /.test(l)),
    ).toBe(true);
    expect(file('time_taken.txt')).toMatch(/^\d\d:\d\d:\d\d\n$/);
    expect(file('contamination_judgement.txt').trim()).toBe('no contamination detected');
    expect(file('disallowed_model_judgement.txt').trim()).toBe('only allowed use detected');
    for (const name of ['final_model/config.json', 'solve_parsed.txt', 'prompt.txt', 'final_eval_1.txt', 'error.log']) expect(has(name), name).toBe(true);
  });

  it.each([
    ['agent-failure', 'status: exited with error code 1', ['final_model', 'metrics.json']],
    ['no-metrics', 'Evaluation attempt 2 (phase attempt 2 of 2)', ['metrics.json']],
    ['cuda-unavailable', 'final_model_files: 0', ['final_model', 'metrics.json']],
    ['api-limit', 'final_model_files: 0', ['final_model', 'metrics.json']],
  ])('%s leaves its marks and not the files of a success', async (outcome, logLine, absent) => {
    const { result, file, has } = await runTask(outcome, 200 + outcome.length);
    expect(result.kind).toBe('ok');
    expect(file('output.log')).toContain(logLine);
    for (const name of absent) expect(has(name), name).toBe(false);
    if (outcome === 'no-metrics') expect(file('final_eval_2.txt')).toContain('Failed to start vLLM server');
    if (outcome === 'cuda-unavailable') expect(has('task/cuda_not_available')).toBe(true);
    if (outcome === 'api-limit') {
      expect(file('solve_out.txt')).toContain("You've hit your limit");
      expect(file('solve_out.txt')).toContain('API Error: 529 overloaded_error');
    }
  });

  it('keeps the agent running past its budget for the timeout outcome', async () => {
    const { result, has } = await runTask('timeout', 300, { PTB_FIXTURE_SLEEP: '4' }, 2_000);
    expect(result.kind).toBe('timed-out');
    expect(has('solve_out.txt')).toBe(true);
    expect(has('time_taken.txt')).toBe(false);
  });

  it("takes its knobs from the checkout's fixture-knobs.env, and with PTB_FIXTURE_ONCE fails a task's first run only", async () => {
    const copy = join(results, 'checkout-copy');
    cpSync(FIXTURE_CHECKOUT, copy, { recursive: true });
    writeFileSync(join(copy, 'fixture-knobs.env'), 'PTB_FIXTURE_OUTCOME=api-limit\nPTB_FIXTURE_ONCE=1\nNOT_A_KNOB=x\n');
    const first = await runTask(null, 500, {}, 20_000, copy);
    expect(first.file('solve_out.txt')).toContain("You've hit your limit");
    expect(first.has('metrics.json')).toBe(false);
    const second = await runTask(null, 501, {}, 20_000, copy);
    expect(second.has('metrics.json')).toBe(true);
    // The shell's knob wins over the file's.
    const shell = await runTask('no-metrics', 502, { PTB_FIXTURE_ONCE: '0' }, 20_000, copy);
    expect(shell.has('final_model')).toBe(true);
    expect(shell.has('metrics.json')).toBe(false);
  });

  it('rejects an unknown outcome with exit 2, and honours a forced exit code', async () => {
    const unknown = await runTask('nope', 400);
    expect(unknown.result).toMatchObject({ kind: 'failed', exitCode: 2, stderr: expect.stringContaining('unknown PTB_FIXTURE_OUTCOME=nope') });
    const forced = await runTask('success', 401, { PTB_FIXTURE_EXIT: '3' });
    expect(forced.result).toMatchObject({ kind: 'failed', exitCode: 3 });
  });

  it('runs a baseline into the baseline folder, like upstream', async () => {
    const result = await run('bash', ['src/baselines/run_baseline.sh', 'gsm8k', 'Qwen/Qwen3-1.7B-Base', '500'], {
      timeoutMs: 20_000,
      cwd: FIXTURE_CHECKOUT,
      env: { ...process.env, POST_TRAIN_BENCH_RESULTS_DIR: results, PTB_FIXTURE_STEP: '0' },
    });
    expect(result.kind).toBe('ok');
    const dir = join(results, 'baseline', 'gsm8k_Qwen_Qwen3-1.7B-Base_500');
    expect(readdirSync(dir).sort()).toEqual([
      'cuda_check.txt',
      'error.log',
      'eval.txt',
      'final_eval.txt',
      'metrics.json',
      'model.txt',
      'output.log',
      'time_taken.txt',
      'timestamp.txt',
    ]);
    expect(readFileSync(join(dir, 'final_eval.txt'), 'utf8')).toMatch(/Time taken \(seconds\): \d+\n$/);
  });
});
