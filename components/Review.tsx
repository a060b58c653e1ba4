import { Text } from 'ink';
import { useMemo, type ReactNode } from 'react';
import { composerPlan } from '../src/plan/composer.js';
import { ladderWarning, untestedImages } from '../src/plan/ladder.js';
import { gpuModelBlocker, partitionTimeBlocker, planBlockers, planContainers, planSummary, silentAgentsNote } from '../src/plan/plan-checks.js';
import { planTasks } from '../src/plan/resolve.js';
import { computeVerdict, preflightWarning } from '../src/preflight/last-compute.js';
import { expandPlan } from '../src/plan/plan.js';
import { describeTask, shortTimeLimits, taskKey } from '../src/plan/task.js';
import { jobUnits, unitComment, unitFiles, unitScript } from '../src/submit/job-units.js';
import { openTextInPager } from '../src/logs/pager.js';
import { jobLabel, type TaskOutcome } from '../src/submit/submit-tasks.js';
import { setupIdentity } from '../src/submit/setup-identity.js';
import { clipLines, fit, wrapLines } from '../src/ui/columns.js';
import { commandFor, footerText, type Command } from '../src/ui/keybindings.js';
import { colour } from '../src/ui/theme.js';
import { useAppState, useServices } from './context.js';
import { BottomLines } from './BottomLines.js';
import { useScreenKeys } from './screen-keys.js';

/** The review's own keys before the table's footer (they move the selection, which the table lists apart). */
const TASK_KEYS = 'j/k task | ';

function outcomeWord(o: TaskOutcome | undefined, running: boolean): string {
  if (!o) return running ? '...' : '';
  switch (o.status) {
    case 'submitted':
      return `job ${jobLabel(o.jobId, o.arrayIndex)}`;
    case 'skipped':
      return o.reason === 'active' ? `in queue ${jobLabel(o.jobId, o.arrayIndex)}` : o.reason === 'scored' ? 'already scored' : o.reason === 'duplicate' ? 'twice in the plan' : `resubmitted ${jobLabel(o.jobId, o.arrayIndex)}`;
    case 'checked':
      return 'ok (test-only)';
    case 'failed':
      return 'FAILED';
  }
}

/** The tasks of the plan, the exact script of the selected one, and the submission with its progress. */
export function Review({ width, height, statusBar }: { width: number; height: number; statusBar: ReactNode }) {
  const { store, submit, suspend } = useServices();
  const compose = useAppState((s) => s.compose);
  const submission = useAppState((s) => s.submission);
  const { selected, arrays, force, notice } = useAppState((s) => s.review);
  const updateReview = store.getState().updateReview;
  // In the store: while it asks, number keys are the answer, not a way to another screen.
  const confirming = useAppState((s) => s.ui.confirming);
  const setConfirming = store.getState().setConfirming;
  const ctx = useAppState((s) => s.planning);
  // Computed once per plan, not at every key: a recipes plan has ~950 tasks, and the blockers look at files.
  const expanded = useMemo(() => (compose && ctx ? expandPlan(composerPlan(compose), ctx.vocabulary, ctx.config.experimentName) : null), [compose, ctx]);
  const tasks = useMemo(() => (expanded?.ok ? expanded.tasks : []), [expanded]);
  // What each task asks for, resolved once: the checks, the summary and the scripts all read it.
  const planned = useMemo(() => (ctx ? planTasks(tasks, ctx.config) : []), [tasks, ctx]);
  const units = useMemo(() => (ctx ? jobUnits(planned, ctx.config, arrays) : []), [planned, ctx, arrays]);
  const partitions = useAppState((s) => s.cluster.partitions);
  const timeBlocker = useMemo(() => (ctx ? partitionTimeBlocker(planned, ctx.config, partitions) : null), [planned, ctx, partitions]);
  const gpuBlocker = ctx && tasks.some((t) => t.kind !== 'container-test') ? gpuModelBlocker(ctx.config, partitions, ctx.checkout.requiredGpu) : null;
  const planProblems = useMemo(() => (ctx ? planBlockers(planned, ctx.config, { keys: ctx.storedKeys, secretsFile: ctx.secretsFile }, ctx.checkout) : []), [planned, ctx]);
  const blockers = ctx ? [...(ctx.secretsProblem && tasks.some((t) => t.kind === 'agent') ? [ctx.secretsProblem] : []), ...planProblems, ...(timeBlocker ? [timeBlocker] : []), ...(gpuBlocker ? [gpuBlocker] : [])] : [];
  const summary = planSummary(planned);
  // Bigger than a smoke run: the ladder's unfinished steps are worth a warning.
  const untested = ctx ? untestedImages(ctx.config, [...planContainers(planned), ...(tasks.some((t) => t.kind === 'agent') ? ctx.checkout.images.run : [])]) : [];
  const ladder =
    ctx && tasks.filter((t) => t.kind === 'agent').length > 1
      ? [ladderWarning(ctx.ladder), untested.length ? `no passed container test for ${untested.map((i) => `${i}.sif`).join(', ')} (c in the composer tests them)` : null]
      : [];
  const silent = useMemo(() => (ctx ? silentAgentsNote(tasks, ctx.checkout) : null), [tasks, ctx]);
  // GPU-hours wait on a compute preflight that passed for this setup (read once per plan: it is a file).
  const preflight = useMemo(() => (ctx && tasks.some((t) => t.kind !== 'container-test') ? preflightWarning(computeVerdict(ctx.config)) : null), [tasks, ctx]);
  const warning = [preflight, ...(expanded?.ok ? expanded.warnings : []), shortTimeLimits(planned), silent, ...ladder].filter(Boolean).join('; ') || null;

  // The store's selection may point past a plan that shrank: it is read within the plan.
  const at = Math.max(0, Math.min(selected, tasks.length - 1));
  const chosen = planned[at];
  const unit = chosen ? units.find((u) => u.members.includes(chosen)) : undefined;
  // The selected task's exact script, as it will be submitted (the review's body, and o's pager).
  const scriptLines = (): string[] => {
    if (!ctx || !unit) return [];
    try {
      const files = unitFiles(unit, ctx.config, '<written when submitted>');
      return unitScript(unit, ctx.config, { secretsFile: ctx.secretsFile, logsDir: files.logsDir, manifest: files.manifest }).split('\n');
    } catch (error) {
      return [`cannot write this task's script: ${error instanceof Error ? error.message : String(error)}`];
    }
  };
  const sbatchLine = unit && ctx ? `sbatch --parsable --comment='${unitComment(unit, setupIdentity(ctx.config), 'MANIFEST')}' --export=${ctx.exported.join(',') || 'NONE'} SCRIPT` : '';

  useScreenKeys('review', (input, key) => {
    if (store.getState().ui.confirming) {
      if (input === 'y' && ctx) submit.start(ctx.config, tasks, { dryRun: false, array: arrays, force });
      setConfirming(false);
      return;
    }
    const command = commandFor(input, key, 'review');
    if (notice) updateReview(() => ({ notice: null }));
    const canSubmit = !submission?.running && ctx !== null && tasks.length > 0 && blockers.length === 0;
    const actions: Partial<Record<Command, () => void>> = {
      back: () => store.getState().back(),
      down: () => updateReview(() => ({ selected: Math.min(tasks.length - 1, at + 1) })),
      up: () => updateReview(() => ({ selected: Math.max(0, at - 1) })),
      'dry-run': () => canSubmit && submit.start(ctx.config, tasks, { dryRun: true, array: arrays, force }),
      submit: () => canSubmit && setConfirming(true),
      'array-mode': () => updateReview((r) => ({ arrays: !r.arrays })),
      force: () => updateReview((r) => ({ force: !r.force })),
      // The body shows what fits; the pager, all of it, long lines too.
      'script-pager': () => {
        if (!chosen) return;
        const text = blockers.length > 0 ? blockers.map((b) => `blocked: ${b}`).join('\n\n') : [sbatchLine, '', ...scriptLines()].join('\n');
        suspend(async () => {
          const problem = await openTextInPager(`${text}\n`);
          if (problem) updateReview(() => ({ notice: problem }));
        });
      },
    };
    if (command) actions[command]?.();
  });

  if (!ctx || !compose) {
    return (
      <BottomLines height={height} bottom={statusBar}>
        <Text color={colour('text.warning')}>No valid configuration yet: 2 runs the setup first.</Text>
      </BottomLines>
    );
  }
  if (expanded && !expanded.ok) {
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
        {expanded.problems.map((p) => (
          <Text key={p}>{`  ${p}`}</Text>
        ))}
      </BottomLines>
    );
  }
  const outcomes = submission?.outcomes ?? [];
  // Arrays submit group by group: outcomes come in their own order, found by task key.
  const outcomeOf = new Map(outcomes.map((o) => [taskKey(o.task), o]));
  const tableHeight = Math.max(2, Math.min(tasks.length, Math.floor((height - 5) / 3)));
  const start = Math.max(0, Math.min(at - tableHeight + 1, tasks.length - tableHeight));
  // Blocked: what blocks, with its fix, takes the script's place; it matters more.
  const bodyLines = blockers.length > 0 ? blockers.flatMap((b) => wrapLines(`blocked: ${b}`, width)) : scriptLines();
  const body = clipLines(bodyLines, Math.max(1, height - tableHeight - 4 - (submission ? 1 : 0) - (warning ? 1 : 0) - (notice ? 1 : 0)), ': o shows them all');
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
          {submission.running && submission.waiting ? submission.waiting : `${submission.dryRun ? 'dry run' : 'submitting'} ${bar}${submission.running ? '' : submission.stopped ? ` - stopped: ${submission.stopped}` : ' - done'}`}
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
      <Text bold color={colour('text.accent')} wrap="truncate">{`Review: ${summary}${arrays ? ' | as job arrays, one sbatch per agent' : ''}${force ? ' | FORCE: queued and scored tasks too' : ''}`}</Text>
      {tasks.slice(start, start + tableHeight).map((t, i) => (
        <Text key={taskKey(t)} inverse={start + i === at} wrap="truncate">
          {`${fit(String(start + i + 1), 4)} ${fit(describeTask(t), Math.max(20, width - 22))} ${fit(outcomeWord(outcomeOf.get(taskKey(t)), submission?.running ?? false), 16)}`}
        </Text>
      ))}
      <Text color={colour('text.accent')} wrap="truncate">{sbatchLine ? `${sbatchLine}${image}` : ''}</Text>
      {body.map((line, i) => (
        <Text key={i} color={blockers.length > 0 ? colour('text.error') : colour('text.dim')} wrap="truncate">
          {line === '' ? ' ' : line}
        </Text>
      ))}
    </BottomLines>
  );
}
