import { Box, Text } from 'ink';
import { cellNote, cellText, percent, rulesLine } from '../../src/results/leaderboard.js';
import type { ResultsSlice } from '../../src/app/store.js';
import { fit, fitColumns, GAP, type ColumnSpec } from '../../src/text/columns.js';
import { clockTime } from '../../src/app/status-line.js';
import { colour } from '../../src/app/theme.js';
import { scoreAgainstSpend, spendOverTime } from '../../src/results/charts.js';
import { modelSpendCell, spendLine } from '../../src/results/spend-summary.js';
import { useAppState } from '../services.js';

/** How far a read under way got. */
function progress(reading: NonNullable<ResultsSlice['reading']>): string {
  return reading.total > 0 ? `${reading.done}/${reading.total} runs` : 'listing the runs';
}

/** When the shown read was made, or how far the next one got. */
function readNote(results: ResultsSlice): string {
  const at = results.at ? `read ${clockTime(results.at)}` : 'not read yet';
  return results.reading ? `${at}, reading again: ${progress(results.reading)}` : `${at}, r again`;
}

/** Scores per method (j/k): models × evals as the leaderboard counts them, the method's metric, and the cells and runs to look at. */
export function Results({ width, height }: { width: number; height: number }) {
  const results = useAppState((s) => s.results);
  if (!results) return <Text color={colour('text.dim')}>reading the results folder...</Text>;
  const reading = results.reading ? <Text color={colour('text.dim')}>{`reading the results folder: ${progress(results.reading)}`}</Text> : null;
  if (results.problem) {
    return (
      <Box flexDirection="column">
        <Text color={colour('text.warning')}>{results.problem}</Text>
        {reading}
      </Box>
    );
  }
  const board = results.board;
  if (!board || board.methods.length === 0) return reading ?? <Text color={colour('text.dim')}>no runs in the results folder yet (r reads it again)</Text>;
  if (results.chart !== 'scores') {
    // Drawn from the rows read, when the view draws: a few hundred runs at most, and only on a key or a read.
    const lines = results.chart === 'spend' ? spendOverTime(results.rows, width) : scoreAgainstSpend(results.rows, width, height - 1);
    return (
      <Box flexDirection="column">
        {lines.slice(0, Math.max(1, height - 1)).map((line, i) => (
          <Text key={i} bold={i === 0} color={i === 0 ? colour('text.accent') : undefined} wrap="truncate">
            {i === 0 ? `${line} (g: ${results.chart === 'spend' ? 'scores against spend' : 'the scores'}; ${readNote(results)})` : line}
          </Text>
        ))}
      </Box>
    );
  }
  const m = board.methods[Math.min(results.selected, board.methods.length - 1)];
  if (!m) return null;
  const specs: ColumnSpec[] = [
    { key: 'model', title: 'MODEL', min: 14, max: 24, priority: 0 },
    ...m.evals.map((e, i) => ({ key: e, title: m.unweighted.includes(e) ? `(${e.slice(0, 7)})` : e.slice(0, 8), min: 6, max: 9, priority: 1 + i / 100 })),
    ...(m.baseline ? [] : [{ key: 'api', title: 'API $', min: 7, max: 10, priority: 0.5 }]),
  ];
  const cols = fitColumns(specs, width);
  const line = (cells: Record<string, string>) => cols.map((c) => fit(cells[c.key] ?? '', c.width)).join(' '.repeat(GAP));
  const notes = m.cells.map(cellNote).filter((n): n is string => n !== null);
  const runs = results.rows.filter((r) => r.method === m.method && (r.score === null || r.judge !== '' || r.problems.length > 0));
  const below = [
    ...notes.map((n) => ({ key: `cell ${n}`, text: n })),
    ...runs.map((r) => ({
      key: r.dir,
      text: `${r.eval} ${r.model} (${r.runId}): ${[r.diagnosis, r.judge ? `judge ${r.judge}` : '', ...r.problems].filter(Boolean).join('; ')}`,
    })),
  ];
  const spend = spendLine(results.rows.filter((r) => r.method === m.method));
  const listHeight = Math.max(0, height - m.models.length - 7 - (spend ? 1 : 0));
  return (
    <Box flexDirection="column">
      <Text bold color={colour('text.accent')} wrap="truncate">
        {`Results ${results.selected + 1}/${board.methods.length}: ${m.method}${m.baseline ? ' (baseline)' : ''} (j/k: method, ${readNote(results)})`}
      </Text>
      <Text color={colour('text.dim')} wrap="truncate">
        {rulesLine(board)}
      </Text>
      <Text bold wrap="truncate">
        {line(Object.fromEntries(cols.map((c) => [c.key, c.title])))}
      </Text>
      {m.models.map((model) => (
        <Text key={model} wrap="truncate">
          {line({
            model,
            ...Object.fromEntries(m.evals.map((e) => [e, cellText(m.cells.find((c) => c.model === model && c.eval === e)) || '-'])),
            api: modelSpendCell(m.cells, model),
          })}
        </Text>
      ))}
      <Text wrap="truncate">
        <Text bold>{`metric ${percent(m.metric)}`}</Text>
        <Text
          color={colour('text.dim')}
        >{`${m.metricNote ? `: ${m.metricNote}` : ''}; x100, * the baseline counts, ! a flagged score kept${m.unweighted.length ? `, (${m.unweighted.join(', ')}) outside the average` : ''}`}</Text>
      </Text>
      {spend ? (
        <Text color={colour('text.dim')} wrap="truncate">
          {spend}
        </Text>
      ) : null}
      {below.length > 0 ? <Text bold>{`${notes.length} cell(s) not the run's own score, ${runs.length} run(s) without a clean score`}</Text> : null}
      {below.slice(0, listHeight).map((b) => (
        <Text key={b.key} color={colour('text.warning')} wrap="truncate">
          {b.text}
        </Text>
      ))}
    </Box>
  );
}
