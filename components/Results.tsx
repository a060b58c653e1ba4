import { Box, Text } from 'ink';
import { readResultsView } from '../src/results/collect.js';
import type { AppStore, ResultsSlice } from '../src/store/app-store.js';
import { fit, fitColumns, GAP, type ColumnSpec } from '../src/ui/columns.js';
import { clockTime } from '../src/ui/status-line.js';
import { colour } from '../src/ui/theme.js';
import { useAppState } from './context.js';

let reads = 0;

/**
 * Opens the results view and reads the folder again, a run at a time: the last read stays on
 * screen meanwhile, with the progress, and keys keep working. A newer read makes an older one stop.
 */
export function openResults(store: AppStore, resultsDir: string | null): void {
  const read = ++reads;
  const current = () => read === reads;
  const last = store.getState().results;
  store.getState().setResults(last ? { ...last, reading: { done: 0, total: 0 } } : null);
  store.getState().setView('results');
  const setReading = (done: number, total: number) => {
    const shown = store.getState().results;
    if (shown && current() && (done % 25 === 0 || done === total)) store.getState().setResults({ ...shown, reading: { done, total } });
  };
  const show = (next: Omit<ResultsSlice, 'selected' | 'reading'>) => {
    if (!current()) return;
    const selected = store.getState().results?.selected ?? 0;
    store.getState().setResults({ ...next, reading: null, selected: Math.min(selected, Math.max(0, next.matrices.length - 1)) });
  };
  readResultsView(resultsDir, { onProgress: setReading, cancelled: () => !current() })
    .then((next) => next && show(next))
    .catch((error: unknown) => show({ rows: [], matrices: [], at: new Date(), problem: `cannot read the results folder: ${error instanceof Error ? error.message : String(error)}` }));
}

/** When the shown read was made, or how far the next one got. */
function readNote(results: ResultsSlice): string {
  if (!results.reading) return `read ${clockTime(results.at)}, r again`;
  return `read ${clockTime(results.at)}, reading again: ${results.reading.total > 0 ? `${results.reading.done}/${results.reading.total} runs` : 'listing the runs'}`;
}

const score = (s: number | null | undefined): string => (s === null || s === undefined ? '-' : s.toFixed(1));

/** Scores per method (j/k), models × evals with the weighted average, and the runs without a clean score. */
export function Results({ width, height }: { width: number; height: number }) {
  const results = useAppState((s) => s.results);
  if (!results) return <Text color={colour('text.dim')}>reading the results folder...</Text>;
  if (results.problem) return <Text color={colour('text.warning')}>{results.problem}</Text>;
  if (results.matrices.length === 0) return <Text color={colour('text.dim')}>{results.reading ? 'reading the results folder again...' : 'no runs in the results folder yet (r reads it again)'}</Text>;
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
