import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { resultsCsv } from '../../src/cli/results-command.js';
import { collectResults, collectResultsGradually, parseRunFolder } from '../../src/results/collect.js';
import { leaderboard, scoringFor } from '../../src/results/leaderboard.js';
import { createResultsSession } from '../../src/app/results/session.js';
import { createAppStore } from '../../src/app/store.js';
import { waitFor } from '../helpers/wait.js';

const dir = mkdtempSync(join(tmpdir(), 'ptb-results-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(method: string, folder: string, files: Record<string, string>): void {
  const path = join(dir, method, folder);
  mkdirSync(path, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(path, name), text);
}
const clean = {
  'contamination_judgement.txt': 'no contamination detected\n',
  'disallowed_model_judgement.txt': 'only allowed use detected\n',
  'time_taken.txt': '09:58:12\n',
};

describe('results', () => {
  it('takes the latest run per eval and model, like the aggregators, with judge verdicts and flagged files', () => {
    const method = 'claude_claude-opus-4-6_10h_run1';
    run(method, 'gsm8k_Qwen_Qwen3-1.7B-Base_100', { ...clean, 'metrics.json': '{"accuracy": 0.1}' });
    run(method, 'gsm8k_Qwen_Qwen3-1.7B-Base_250', { ...clean, 'metrics.json': '{"accuracy": 0.4312, "stderr": 0.01}' });
    run(method, 'aime2025_Qwen_Qwen3-1.7B-Base_251', {
      ...clean,
      'contamination_judgement.txt': 'contamination detected',
      'metrics.json': '{"accuracy": 0.2}',
    });
    run(method, 'bfcl_Qwen_Qwen3-1.7B-Base_252', { 'metrics.json': '{"accuracy": ', 'time_taken.txt': 'soon' });
    run('.ptb-slurm', 'gsm8k_x_y_1', {});
    mkdirSync(join(dir, method, 'not_a_run'), { recursive: true });
    const rows = collectResults(dir);
    expect(rows.map((r) => [r.eval, r.runId, r.score, r.judge])).toEqual([
      ['aime2025', 251, 20, 'C'],
      ['bfcl', 252, null, 'C:ERR M:ERR'],
      ['gsm8k', 250, 43.1, ''],
    ]);
    expect(rows[1]?.problems).toEqual(['metrics.json has no numeric accuracy or does not parse', 'time_taken.txt is not H:MM:SS ("soon")']);
    expect(parseRunFolder('arenahardwriting_google_gemma-3-4b-pt_16675578')).toEqual({
      eval: 'arenahardwriting',
      model: 'google_gemma-3-4b-pt',
      shortModel: 'gemma-3-4b-pt',
      runId: 16675578,
    });
  });

  it("writes a CSV line per cell, with the run's own score, what counts, and the files that did not parse", () => {
    const csv = resultsCsv(leaderboard(collectResults(dir), scoringFor(null)));
    expect(csv.split('\n')[0]).toBe(
      'method,eval,model,runId,raw,counted,replacedBecause,flag,timeTaken,costUsd,cost,inputTokens,outputTokens,diagnosis,problems,dir',
    );
    expect(csv).toContain('"metrics.json has no numeric accuracy or does not parse; time_taken.txt is not H:MM:SS (""soon"")"');
  });

  it('reads the same rows for the view a run at a time, the event loop free in between, and stops when told', async () => {
    const many = manyRuns(60);
    // A key press arriving while the first run is read must be handled before the second.
    let keyHandledAfter = -1;
    const seen: number[] = [];
    const onProgress = (done: number, total: number) => {
      seen.push(done);
      expect(total).toBe(60);
      if (done === 1) setImmediate(() => (keyHandledAfter = seen.length - 1));
    };
    const rows = await collectResultsGradually(many, { onProgress });
    expect(rows).toEqual(collectResults(many));
    expect(seen).toEqual(Array.from({ length: 61 }, (_, i) => i));
    expect(seen[keyHandledAfter]).toBe(1);
    let reported = 0;
    expect(await collectResultsGradually(many, { onProgress: () => reported++, cancelled: () => reported >= 5 })).toBeNull();
    expect(reported).toBe(5);
  });

  it('shows the last read while it reads again, with its progress, and stops reading when the view is left or ptb quits', async () => {
    const many = manyRuns(40);
    const store = createAppStore({ checkout: null });
    const session = createResultsSession({ store, resultsDir: () => many, scoring: () => scoringFor(null), prices: () => ({}) });
    session.open();
    expect(store.getState().ui.view).toBe('results');
    expect(store.getState().results).toMatchObject({ at: null, reading: { done: 0 } });
    await waitFor(() => store.getState().results?.reading === null, { timeoutMs: 5_000, what: 'the first read' });
    expect(store.getState().results?.rows).toHaveLength(40);
    store.getState().setResults({ ...store.getState().results!, selected: 0 });
    writeFileSync(join(many, 'claude_claude-opus-4-6_10h_run1', 'gsm8k_model-00_1000', 'metrics.json'), '{"accuracy": 0.99}');
    session.open();
    // Meanwhile the last read is shown, marked as being read again.
    expect(store.getState().results).toMatchObject({ reading: { done: 0 } });
    expect(store.getState().results?.rows).toHaveLength(40);
    await waitFor(() => store.getState().results?.reading === null, { timeoutMs: 5_000, what: 'the second read' });
    expect(store.getState().results?.rows.find((r) => r.model === 'model-00')?.score).toBe(99);
    // Left mid-read: it stops (what it would have read never lands), and nothing says it is still reading.
    writeFileSync(join(many, 'claude_claude-opus-4-6_10h_run1', 'gsm8k_model-00_1000', 'metrics.json'), '{"accuracy": 0.55}');
    session.open();
    store.getState().setView('monitor');
    await waitFor(() => store.getState().results?.reading === null, { timeoutMs: 5_000, what: 'the read to stop' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(store.getState().results?.rows.find((r) => r.model === 'model-00')?.score).toBe(99);
    // Quitting stops a read under way too.
    store.getState().setView('results');
    session.open();
    session.stop();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(store.getState().results?.rows.find((r) => r.model === 'model-00')?.score).toBe(99);
  });
});

/** A results folder of `count` scored runs of one method. */
function manyRuns(count: number): string {
  const root = mkdtempSync(join(tmpdir(), 'ptb-results-many-'));
  onTestFinished(() => rmSync(root, { recursive: true, force: true }));
  for (let i = 0; i < count; i++) {
    const path = join(root, 'claude_claude-opus-4-6_10h_run1', `gsm8k_model-${String(i).padStart(2, '0')}_${1000 + i}`);
    mkdirSync(path, { recursive: true });
    writeFileSync(join(path, 'metrics.json'), `{"accuracy": ${i / 100}}`);
  }
  return root;
}
