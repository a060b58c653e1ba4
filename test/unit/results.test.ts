import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resultsCsv, resultsMarkdown } from '../../src/cli/results-command.js';
import { collectResults, collectResultsGradually, parseRunFolder, resultMatrices } from '../../src/results/collect.js';

const dir = mkdtempSync(join(tmpdir(), 'ptb-results-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(method: string, folder: string, files: Record<string, string>): void {
  const path = join(dir, method, folder);
  mkdirSync(path, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(path, name), text);
}
const clean = { 'contamination_judgement.txt': 'no contamination detected\n', 'disallowed_model_judgement.txt': 'only allowed use detected\n', 'time_taken.txt': '09:58:12\n' };

describe('results', () => {
  it('takes the latest run per eval and model, like the aggregators, with judge verdicts and flagged files', () => {
    const method = 'claude_claude-opus-4-6_10h_run1';
    run(method, 'gsm8k_Qwen_Qwen3-1.7B-Base_100', { ...clean, 'metrics.json': '{"accuracy": 0.1}' });
    run(method, 'gsm8k_Qwen_Qwen3-1.7B-Base_250', { ...clean, 'metrics.json': '{"accuracy": 0.4312, "stderr": 0.01}' });
    run(method, 'aime2025_Qwen_Qwen3-1.7B-Base_251', { ...clean, 'contamination_judgement.txt': 'contamination detected', 'metrics.json': '{"accuracy": 0.2}' });
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
    expect(parseRunFolder('arenahardwriting_google_gemma-3-4b-pt_16675578')).toEqual({ eval: 'arenahardwriting', model: 'google_gemma-3-4b-pt', runId: 16675578 });
  });

  it("weighs each model's scores with upstream's weights, says when an eval is missing, and writes CSV and Markdown", () => {
    const matrices = resultMatrices(collectResults(dir));
    const row = matrices[0]?.models[0];
    // (0.2265 * 20 + 0.0936 * 43.1) / (0.2265 + 0.0936), bfcl has no score.
    expect(row).toMatchObject({ model: 'Qwen_Qwen3-1.7B-Base', weighted: 26.8, complete: false });
    expect(resultsMarkdown(matrices)).toContain('| Qwen_Qwen3-1.7B-Base | 20.0 | - | 43.1 | 26.8 (partial) |');
    const csv = resultsCsv(collectResults(dir));
    expect(csv.split('\n')[0]).toBe('method,eval,model,runId,score,timeTaken,judge,diagnosis,problems,dir');
    expect(csv).toContain('"metrics.json has no numeric accuracy or does not parse; time_taken.txt is not H:MM:SS (""soon"")"');
  });

  it('reads the same rows for the view a run at a time, the event loop free in between, and stops when told', async () => {
    const many = mkdtempSync(join(tmpdir(), 'ptb-results-many-'));
    try {
      for (let i = 0; i < 60; i++) {
        const path = join(many, 'claude_claude-opus-4-6_10h_run1', `gsm8k_model-${String(i).padStart(2, '0')}_${1000 + i}`);
        mkdirSync(path, { recursive: true });
        writeFileSync(join(path, 'metrics.json'), `{"accuracy": ${i / 100}}`);
      }
      // A key press waiting in the event loop: it must be handled before the read ends.
      let keyHandledAt = -1;
      const progress: number[] = [];
      setImmediate(() => (keyHandledAt = progress.length));
      const rows = await collectResultsGradually(many, { onProgress: (done, total) => progress.push(done * 1000 + total) });
      expect(rows).toEqual(collectResults(many));
      expect(progress.at(-1)).toBe(60 * 1000 + 60);
      expect(keyHandledAt).toBeGreaterThanOrEqual(0);
      expect(keyHandledAt).toBeLessThan(60);
      let reads = 0;
      expect(await collectResultsGradually(many, { onProgress: () => reads++, cancelled: () => reads >= 5 })).toBeNull();
      expect(reads).toBe(5);
    } finally {
      rmSync(many, { recursive: true, force: true });
    }
  });
});
