import { Box, Text } from 'ink';
import { useEffect, useState } from 'react';
import type { CheckResult } from '../../src/preflight/check-result.js';
import { explainPending, type ProbeProgress } from '../../src/preflight/probe-job.js';
import { formatDuration } from '../../src/slurm/duration.js';
import { fit } from '../../src/text/columns.js';
import { colour, type Token } from '../../src/app/theme.js';
import { useAppState } from '../services.js';

const WORD: Record<CheckResult['status'], string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', skip: 'SKIP' };
const TOKEN: Record<CheckResult['status'], Token> = { pass: 'status.running', warn: 'status.pending', fail: 'status.failed', skip: 'status.other' };

/** The probe job's line: where it is, and for a pending job why and for how long. */
function probeLine(probe: ProbeProgress | null, running: boolean, now: Date): string {
  if (!probe) return running ? 'probe job: starting' : 'probe job: not run (R runs every check with a probe job)';
  const age = formatDuration(Math.max(0, Math.round((now.getTime() - probe.since.getTime()) / 1000)));
  const id = probe.jobId === null ? '' : ` ${probe.jobId}`;
  if (probe.state === 'PENDING') return `probe job${id}: PENDING for ${age} - ${explainPending(probe.reason)}`;
  return `probe job${id}: ${probe.state}${running ? ` for ${age}` : ''}`;
}

/** Every check with its status word and colour, and the selected one's finding, fix and evidence. */
export function Preflight({ width, height }: { width: number; height: number }) {
  const { results, running, probe, selected, unavailable } = useAppState((s) => s.preflight);
  const site = useAppState((s) => s.site);
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(timer);
  }, []);
  if (unavailable) return <Text color={colour('text.warning')}>{unavailable}</Text>;
  const idWidth = Math.min(24, Math.max(10, ...results.map((r) => r.id.length)));
  const findingWidth = Math.max(10, width - idWidth - 16);
  // The details keep at least their title and a line: the list gives way on a short terminal.
  const listHeight = Math.max(3, Math.min(results.length + running.length, Math.floor(height / 2), height - 7));
  const current = results[selected];
  const detailsHeight = Math.max(1, height - listHeight - 6);
  const detailLines = current ? [current.fix ? `Fix: ${current.fix}` : 'Nothing to do.', ...current.details.split('\n')].flatMap((l) => wrap(l, width)) : [];
  const start = Math.max(0, Math.min(selected - listHeight + 1, results.length - listHeight));
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        <Text bold color={colour('text.accent')}>
          Preflight
        </Text>
        {site && site.notes.length > 0 ? <Text color={colour('text.warning')}>{`  ${site.notes.join(' ')}`}</Text> : null}
      </Text>
      <Text color={colour(running.includes('compute') ? 'status.pending' : 'text.dim')} wrap="truncate">
        {probeLine(probe, running.includes('compute'), now)}
      </Text>
      <Text bold>{`${fit('STATUS', 6)} ${fit('WHERE', 7)} ${fit('CHECK', idWidth)} FINDING`}</Text>
      {results.slice(start, start + listHeight).map((r, i) => (
        <Text key={r.id} inverse={start + i === selected} wrap="truncate">
          <Text color={colour(TOKEN[r.status])}>{fit(running.includes(r.id) ? '....' : WORD[r.status], 6)}</Text>
          {` ${fit(r.where, 7)} ${fit(r.id, idWidth)} ${fit(r.finding, findingWidth)}`}
        </Text>
      ))}
      {running
        .filter((id) => id !== 'compute' && !results.some((r) => r.id === id))
        .map((id) => (
          <Text key={id} color={colour('text.dim')}>{`....   login   ${fit(id, idWidth)} checking...`}</Text>
        ))}
      {current ? (
        <Box flexDirection="column" marginTop={1}>
          <Text bold>{`${current.title}: ${current.finding}`.slice(0, width)}</Text>
          {detailLines.slice(0, detailsHeight).map((line, i) => (
            <Text key={i} color={i === 0 && current.fix ? colour('text.warning') : colour('text.dim')}>
              {line}
            </Text>
          ))}
        </Box>
      ) : null}
    </Box>
  );
}

function wrap(line: string, width: number): string[] {
  if (line.length <= width) return [line];
  const out: string[] = [];
  for (let i = 0; i < line.length; i += width) out.push(line.slice(i, i + width));
  return out;
}
