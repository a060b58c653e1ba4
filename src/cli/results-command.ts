import type { Config } from '../config/schema.js';
import { collectResults, resultMatrices, type ResultMatrix, type ResultRow } from '../results/collect.js';
import { EVAL_WEIGHTS } from '../results/weights.js';

type Output = { code: number; stdout: string; stderr: string };

const CSV_FIELDS = ['method', 'eval', 'model', 'runId', 'score', 'timeTaken', 'judge', 'diagnosis', 'problems', 'dir'] as const;

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
const csvField = (value: string | number | null | readonly string[]): string => {
  const text = value === null ? '' : typeof value === 'object' ? value.join('; ') : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export function resultsCsv(rows: readonly ResultRow[]): string {
  return [CSV_FIELDS.join(','), ...rows.map((r) => CSV_FIELDS.map((f) => csvField(r[f])).join(','))].join('\n') + '\n';
}

const cell = (score: number | null | undefined): string => (score === null || score === undefined ? '-' : score.toFixed(1));

/** One Markdown table per method: models × evals, and the weighted average (upstream's weights). */
export function resultsMarkdown(matrices: readonly ResultMatrix[]): string {
  return matrices
    .map((m) => {
      const head = ['model', ...m.evals, 'weighted'];
      const lines = [`### ${m.method}`, '', `| ${head.join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`];
      for (const row of m.models) lines.push(`| ${[row.model, ...m.evals.map((e) => cell(row.scores[e])), `${cell(row.weighted)}${row.complete ? '' : ' (partial)'}`].join(' | ')} |`);
      return lines.join('\n');
    })
    .join('\n\n')
    .concat('\n');
}

export function resultsText(rows: readonly ResultRow[], matrices: readonly ResultMatrix[]): string {
  if (rows.length === 0) return 'no runs in the results folder yet\n';
  const flagged = rows.filter((r) => r.score === null || r.judge !== '' || r.problems.length > 0);
  const notes = flagged.map((r) => `  ${r.method}/${r.eval}_${r.model}_${r.runId}: ${[r.diagnosis, r.judge ? `judge ${r.judge}` : '', ...r.problems].filter(Boolean).join('; ')}`);
  return `${resultsMarkdown(matrices)}${notes.length ? `\nRuns without a clean score:\n${notes.join('\n')}\n` : ''}`;
}

/** `ptb results [--json|--csv|--markdown]`: the latest run per method, eval and model. */
export function resultsCommand(config: Config, options: { format: 'text' | 'json' | 'csv' | 'markdown' }): Output {
  const rows = collectResults(config.resultsDir);
  const matrices = resultMatrices(rows);
  switch (options.format) {
    case 'json':
      return { code: 0, stdout: `${JSON.stringify({ resultsDir: config.resultsDir, weights: EVAL_WEIGHTS, runs: rows, matrices }, null, 2)}\n`, stderr: '' };
    case 'csv':
      return { code: 0, stdout: resultsCsv(rows), stderr: '' };
    case 'markdown':
      return { code: 0, stdout: resultsMarkdown(matrices), stderr: '' };
    case 'text':
      return { code: 0, stdout: resultsText(rows, matrices), stderr: '' };
  }
}
