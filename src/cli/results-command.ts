import type { Config } from '../config/schema.js';
import { collectResults, type ResultRow } from '../results/collect.js';
import { spendLine } from '../results/spend-summary.js';
import { cellNote, cellText, leaderboard, percent, rulesLine, scoringFor, type Leaderboard, type MethodBoard } from '../results/leaderboard.js';

type Output = { code: number; stdout: string; stderr: string };

const CSV_FIELDS = [
  'method',
  'eval',
  'model',
  'runId',
  'raw',
  'counted',
  'replacedBecause',
  'flag',
  'timeTaken',
  'costUsd',
  'cost',
  'inputTokens',
  'outputTokens',
  'diagnosis',
  'problems',
  'dir',
] as const;

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
const csvField = (value: string | number | null | undefined | readonly string[]): string => {
  const text = value === null || value === undefined ? '' : typeof value === 'object' ? value.join('; ') : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** One line per cell of every method: the run's own score (`raw`, or why not) and what the leaderboard counts. */
export function resultsCsv(board: Leaderboard): string {
  const lines = board.methods.flatMap((m) =>
    m.cells
      .filter((c) => c.run)
      .map((c) => {
        const r = c.run as ResultRow;
        const values = {
          method: m.method,
          eval: c.eval,
          model: c.model,
          runId: r.runId,
          raw: c.raw ?? c.rawText,
          counted: c.counted,
          replacedBecause: c.replacedBecause,
          flag: c.flag,
          timeTaken: r.timeTaken,
          costUsd: r.spend?.usd ?? null,
          cost: r.spend?.how ?? 'baseline: no agent',
          inputTokens: r.spend?.inputTokens ?? null,
          outputTokens: r.spend?.outputTokens ?? null,
          diagnosis: r.diagnosis,
          problems: r.problems,
          dir: r.dir,
        };
        return CSV_FIELDS.map((f) => csvField(values[f])).join(',');
      }),
  );
  return [CSV_FIELDS.join(','), ...lines].join('\n') + '\n';
}

function methodMarkdown(m: MethodBoard): string {
  const head = ['model', ...m.evals.map((e) => (m.unweighted.includes(e) ? `${e} (unweighted)` : e))];
  const lines = [`### ${m.method}${m.baseline ? ' (baseline)' : ''}`, '', `| ${head.join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`];
  for (const model of m.models)
    lines.push(`| ${[model, ...m.evals.map((e) => cellText(m.cells.find((c) => c.model === model && c.eval === e)) || '-')].join(' | ')} |`);
  lines.push('', `metric: ${m.metric === null ? '-' : percent(m.metric)}${m.metricNote ? ` (${m.metricNote})` : ''}`);
  const spend = spendLine(m.cells.flatMap((c) => (c.run ? [c.run] : [])));
  if (spend) lines.push(spend);
  if (m.unweighted.length) lines.push(`outside the average: ${m.unweighted.join(', ')} (no weight in factors.json)`);
  const notes = m.cells.map(cellNote).filter((n): n is string => n !== null);
  if (notes.length) lines.push('', ...notes.map((n) => `- ${n}`));
  return lines.join('\n');
}

/** The rules line, one Markdown table per method (`*` the baseline took the cell, `!` a flagged score kept), and the agents. */
export function resultsMarkdown(board: Leaderboard): string {
  const agents = board.agents.length
    ? [
        '### agents (HARDCODED_AGENT_MAP)',
        '',
        '| agent | avg | std | n |',
        '| --- | --- | --- | --- |',
        ...board.agents.map((a) => `| ${a.agent} | ${percent(a.avg)} | ${percent(a.std)} | ${a.n}${a.note ? ` (${a.note})` : ''} |`),
      ].join('\n')
    : '';
  return [`${rulesLine(board)}; * the baseline counts, ! a flagged score kept`, ...board.methods.map(methodMarkdown), agents]
    .filter(Boolean)
    .join('\n\n')
    .concat('\n');
}

export function resultsText(rows: readonly ResultRow[], board: Leaderboard): string {
  if (rows.length === 0) return 'no runs in the results folder yet\n';
  const flagged = rows.filter((r) => r.score === null || r.judge !== '' || r.problems.length > 0);
  const notes = flagged.map(
    (r) => `  ${r.method}/${r.eval}_${r.model}_${r.runId}: ${[r.diagnosis, r.judge ? `judge ${r.judge}` : '', ...r.problems].filter(Boolean).join('; ')}`,
  );
  return `${resultsMarkdown(board)}${notes.length ? `\nRuns without a clean score:\n${notes.join('\n')}\n` : ''}`;
}

/** `ptb results [--json|--csv|--markdown]`: every method's cells as the leaderboard counts them. */
export function resultsCommand(config: Config, options: { format: 'text' | 'json' | 'csv' | 'markdown' }): Output {
  const scoring = scoringFor(config.checkout);
  const rows = collectResults(config.resultsDir, scoring.rules.flags, config.prices);
  const board = leaderboard(rows, scoring);
  switch (options.format) {
    case 'json': {
      const methods = board.methods.map(({ cells, ...m }) => ({
        ...m,
        cells: cells.map(({ run, ...c }) => ({ ...c, runId: run?.runId ?? null, dir: run?.dir ?? null })),
      }));
      return {
        code: 0,
        stdout: `${JSON.stringify({ resultsDir: config.resultsDir, rules: board.rules, weights: board.weights, weightsSource: board.weightsSource, baselineSource: board.baselineSource, methods, agents: board.agents, runs: rows }, null, 2)}\n`,
        stderr: '',
      };
    }
    case 'csv':
      return { code: 0, stdout: resultsCsv(board), stderr: '' };
    case 'markdown':
      return { code: 0, stdout: resultsMarkdown(board), stderr: '' };
    case 'text':
      return { code: 0, stdout: resultsText(rows, board), stderr: '' };
  }
}
