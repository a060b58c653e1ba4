import { Text } from 'ink';
import { useMemo, type ReactNode } from 'react';
import { footerText } from '../../src/app/keybindings.js';
import { reviewSelection } from '../../src/app/review/keys.js';
import { reviewPlan } from '../../src/app/review/plan.js';
import { colour } from '../../src/app/theme.js';
import { unitPreview } from '../../src/submit/prepare.js';
import { describeTask, taskKey } from '../../src/plan/task.js';
import { jobLabel, type TaskOutcome } from '../../src/submit/submit-tasks.js';
import { clipLines, fit, wrapLines } from '../../src/text/columns.js';
import { tableWindow } from '../../src/text/window.js';
import { BottomLines } from '../BottomLines.js';
import { useAppState } from '../services.js';

/** The review's own keys before the table's footer (they move the selection, which the table lists apart). */
const TASK_KEYS = 'j/k task | ';

function outcomeWord(o: TaskOutcome | undefined, running: boolean): string {
  if (!o) return running ? '...' : '';
  switch (o.status) {
    case 'submitted':
      return `job ${jobLabel(o.jobId, o.arrayIndex)}`;
    case 'skipped':
      return o.reason === 'active'
        ? `in queue ${jobLabel(o.jobId, o.arrayIndex)}`
        : o.reason === 'scored'
          ? 'already scored'
          : o.reason === 'duplicate'
            ? 'twice in the plan'
            : `resubmitted ${jobLabel(o.jobId, o.arrayIndex)}`;
    case 'checked':
      return 'ok (test-only)';
    case 'failed':
      return 'FAILED';
  }
}

/** The tasks of the plan, the exact script of the selected one, and the submission with its progress. */
export function Review({ width, height, statusBar }: { width: number; height: number; statusBar: ReactNode }) {
  const compose = useAppState((s) => s.compose);
  const submission = useAppState((s) => s.submission);
  const { selected, arrays, force, notice } = useAppState((s) => s.review);
  // In the store: while it asks, number keys are the answer, not a way to another screen.
  const confirming = useAppState((s) => s.ui.confirming);
  const ctx = useAppState((s) => s.planning);
  // Prepared once per change of the selection, the setup, the partitions or the mode; the keys read the same one.
  const plan = useAppState(reviewPlan);
  const prepared = plan?.prepared;
  const ready = prepared?.ok ? prepared : null;
  const tasks = ready?.tasks ?? [];
  const blockers = ready?.blockers ?? [];
  const summary = ready?.summary ?? '';
  const warning = plan?.warning ?? null;
  const preflight = plan?.preflight ?? null;
  const at = reviewSelection(selected, tasks.length);
  const chosen = ready?.planned[at];
  const unit = chosen ? ready?.units.find((u) => u.members.includes(chosen)) : undefined;
  // The selected task's exact script and sbatch line, as they will be submitted.
  const preview = useMemo(() => (unit && ctx ? unitPreview(unit, ctx.config, ctx.secretsFile, ctx.exported) : null), [unit, ctx]);
  const sbatchLine = preview?.sbatch ?? '';
  const scriptLines = (): string[] => preview?.script ?? [];

  if (!ctx || !compose) {
    return (
      <BottomLines height={height} bottom={statusBar}>
        <Text color={colour('text.warning')}>No valid configuration yet: 2 runs the setup first.</Text>
      </BottomLines>
    );
  }
  if (prepared && !prepared.ok) {
    return (
      <BottomLines
        height={height}
        bottom={
          <>
            {statusBar}
            <Text color={colour('text.dim')}>esc back to the composer</Text>
          </>
        }
      >
        <Text color={colour('text.error')}>This plan cannot run:</Text>
        {prepared.problems.map((p) => (
          <Text key={p}>{`  ${p}`}</Text>
        ))}
      </BottomLines>
    );
  }
  const outcomes = submission?.outcomes ?? [];
  // Arrays submit group by group: outcomes come in their own order, found by task key.
  const outcomeOf = new Map(outcomes.map((o) => [taskKey(o.task), o]));
  const tableHeight = Math.max(2, Math.min(tasks.length, Math.floor((height - 5) / 3)));
  const { start } = tableWindow(tasks.length, at, tableHeight);
  // Blocked: what blocks, with its fix, takes the script's place; it matters more.
  const bodyLines = blockers.length > 0 ? blockers.flatMap((b) => wrapLines(`blocked: ${b}`, width)) : scriptLines();
  const estimate = ready?.estimate?.[0] ?? null;
  const body = clipLines(
    bodyLines,
    Math.max(1, height - tableHeight - 4 - (submission ? 1 : 0) - (warning ? 1 : 0) - (notice ? 1 : 0) - (estimate ? 1 : 0)),
    ': o shows them all',
  );
  const done = outcomes.length;
  const bar = submission ? `[${'#'.repeat(Math.round((done / Math.max(1, submission.total)) * 20)).padEnd(20, '.')}] ${done}/${submission.total}` : '';
  const image = chosen?.task.kind === 'agent' ? ` | image ${chosen.resolved.image}` : '';
  const bottom = (
    <>
      {notice ? (
        <Text color={colour('text.error')} wrap="truncate">
          {notice}
        </Text>
      ) : null}
      {warning ? (
        <Text color={colour('text.warning')} wrap="truncate">
          {`warning: ${warning}`}
        </Text>
      ) : null}
      {submission ? (
        <Text color={submission.stopped ? colour('text.error') : colour('status.running')} wrap="truncate">
          {submission.running && submission.waiting
            ? submission.waiting
            : `${submission.dryRun ? 'dry run' : 'submitting'} ${bar}${submission.running ? '' : submission.stopped ? ` - stopped: ${submission.stopped}` : ' - done'}`}
        </Text>
      ) : null}
      {statusBar}
      <Text color={confirming ? colour('text.warning') : colour('text.dim')} wrap="truncate">
        {confirming
          ? `Submit ${summary}${force ? ', forced (queued and scored ones again)' : ''}? y to submit${preflight ? ' although the compute preflight has not passed' : warning ? ' despite the warning' : ''}, any other key to cancel`
          : blockers.length > 0
            ? 'fix what blocks, then come back | esc back to the composer'
            : `${TASK_KEYS}${footerText('review', undefined, width - TASK_KEYS.length)}`}
      </Text>
    </>
  );
  return (
    <BottomLines height={height} bottom={bottom}>
      <Text
        bold
        color={colour('text.accent')}
        wrap="truncate"
      >{`Review: ${summary}${arrays ? ' | as job arrays, one sbatch per agent' : ''}${force ? ' | FORCE: queued and scored tasks too' : ''}`}</Text>
      {estimate ? (
        <Text color={colour('text.dim')} wrap="truncate">
          {estimate}
        </Text>
      ) : null}
      {tasks.slice(start, start + tableHeight).map((t, i) => (
        <Text key={taskKey(t)} inverse={start + i === at} wrap="truncate">
          {`${fit(String(start + i + 1), 4)} ${fit(describeTask(t), Math.max(20, width - 22))} ${fit(outcomeWord(outcomeOf.get(taskKey(t)), submission?.running ?? false), 16)}`}
        </Text>
      ))}
      <Text color={colour('text.accent')} wrap="truncate">
        {sbatchLine ? `${sbatchLine}${image}` : ''}
      </Text>
      {body.map((line, i) => (
        <Text key={i} color={blockers.length > 0 ? colour('text.error') : colour('text.dim')} wrap="truncate">
          {line === '' ? ' ' : line}
        </Text>
      ))}
    </BottomLines>
  );
}
