import { Box, Text } from 'ink';
import type { ResultsSlice } from '../src/store/app-store.js';
import { fit, fitColumns, GAP, type ColumnSpec } from '../src/ui/columns.js';
import { clockTime } from '../src/ui/status-line.js';
import { colour } from '../src/ui/theme.js';
import { useAppState } from './context.js';

/** How far a read under way got. */
function progress(reading: NonNullable<ResultsSlice['reading']>): string {
  return reading.total > 0 ? `${reading.done}/${reading.total} runs` : 'listing the runs';
}

/** When the shown read was made, or how far the next one got. */
function readNote(results: ResultsSlice): string {
  const at = results.at ? `read ${clockTime(results.at)}` : 'not read yet';
  return results.reading ? `${at}, reading again: ${progress(results.reading)}` : `${at}, r again`;
}

const score = (s: number | null | undefined): string => (s === null || s === undefined ? '-' : s.toFixed(1));

/** Scores per method (j/k), models × evals with the weighted average, and the runs without a clean score. */
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
  if (results.matrices.length === 0) return reading ?? <Text color={colour('text.dim')}>no runs in the results folder yet (r reads it again)</Text>;
  const m = results.matrices[Math.min(results.selected, results.matrices.length - 1)];
  if (!m) return null;
  const specs: ColumnSpec[] = [
    { key: 'model', title: 'MODEL', min: 14, max: 32, priority: 0 },
    ...m.evals.map((e, i) => ({ key: e, title: e.slice(0, 8), min: 6, max: 9, priority: 1 + i / 100 })),
    { key: 'weighted', title: 'WEIGHTED', min: 13, max: 14, priority: 0 },
  ];
  const cols = fitColumns(specs, width);
  const line = (cells: Record<string, string>) => cols.map((c) => fit(cells[c.key] ?? '', c.width)).join(' '.repeat(GAP));
  const runs = results.rows.filter((r) => r.method === m.method && (r.score === null || r.judge !== '' || r.problems.length > 0));
  const listHeight = Math.max(0, height - m.models.length - 6);
  return (
    <Box flexDirection="column">
      <Text bold color={colour('text.accent')} wrap="truncate">
        {`Results ${results.selected + 1}/${results.matrices.length}: ${m.method} (j/k: method, ${readNote(results)})`}
      </Text>
      <Text bold wrap="truncate">
        {line(Object.fromEntries(cols.map((c) => [c.key, c.title])))}
      </Text>
      {m.models.map((row) => (
        <Text key={row.model} wrap="truncate">
          {line({ model: row.model, ...Object.fromEntries(m.evals.map((e) => [e, score(row.scores[e])])), weighted: `${score(row.weighted)}${row.complete ? '' : ' partial'}` })}
        </Text>
      ))}
      <Text color={colour('text.dim')} wrap="truncate">
        {"scores x100; weighted: upstream's weights (factors.json) over the evals with a score"}
      </Text>
      {runs.length > 0 ? <Text bold>{`${runs.length} run(s) without a clean score`}</Text> : null}
      {runs.slice(0, listHeight).map((r) => (
        <Text key={r.dir} color={colour('text.warning')} wrap="truncate">
          {`${r.eval} ${r.model} (${r.runId}): ${[r.diagnosis, r.judge ? `judge ${r.judge}` : '', ...r.problems].filter(Boolean).join('; ')}`}
        </Text>
      ))}
    </Box>
  );
}
