import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { parseAgentConfigId } from '../../src/catalog/agent-configs.js';
import { credentialsForRuns } from '../../src/config/agent-needs.js';
import {
  composerGpuHours,
  composerPlan,
  LISTS,
  matrixSize,
  PRESETS,
  visibleOptions,
  type ComposerState,
  type ListName,
} from '../../src/app/compose/composer.js';
import { stateOfJob } from '../../src/monitor/ptb-job.js';
import { ladderGuide, ladderLine } from '../../src/results/ladder.js';
import { formatHours, timeSettings } from '../../src/plan/plan-checks.js';
import { fit, wrapLines } from '../../src/text/columns.js';
import { footerText } from '../../src/app/keybindings.js';
import { colour } from '../../src/app/theme.js';
import { useAppState } from '../services.js';
import { BottomLines } from '../BottomLines.js';

const TITLES: Record<ListName, string> = { models: 'Models', evals: 'Evals', agentConfigs: 'Agent configs', hours: 'Hours' };

/** Column widths for the four lists: agent configs take what is left. Narrow screens drop the model's organisation. */
function widths(width: number): Record<ListName, number> & { shortModels: boolean } {
  const shortModels = width < 110;
  // Below 80 columns every list gives a little, so that the four still fit side by side.
  const narrow = width < 79;
  const models = shortModels ? (narrow ? 17 : 20) : 34;
  const evals = narrow ? 17 : 20;
  const hours = narrow ? 8 : 12;
  return { models, evals, hours, agentConfigs: Math.min(44, Math.max(12, width - models - evals - hours - 4)), shortModels };
}

const shortModel = (id: string): string => id.split('/').pop() ?? id;

/** Chooses models x evals x agent configs x hours, with fuzzy filters and the trial-ladder presets. */
export function Composer({ width, height, statusBar }: { width: number; height: number; statusBar: ReactNode }) {
  const state = useAppState((s) => s.compose);
  const ctx = useAppState((s) => s.planning);
  // The monitor's states: a step whose job ended without passing says so, as on the overview.
  const tracked = useAppState((s) => s.monitor.jobs);

  if (!state || !ctx) {
    return (
      <BottomLines height={height} bottom={statusBar}>
        <Text color={colour('text.warning')}>No valid configuration yet: 2 runs the setup first.</Text>
      </BottomLines>
    );
  }
  const w = widths(width);
  // A saved plan's path must be readable whole: the message wraps, the lists give way.
  const message = state.notice;
  const footer = state.filtering
    ? ['type to filter | enter keep | esc clear']
    : message
      ? wrapLines(message.text, width)
      : [footerText('compose', undefined, width)];
  const listHeight = Math.max(3, height - 9 - footer.length);
  const size = matrixSize(state);
  const plan = composerPlan(state);
  const shown = visibleOptions(state, state.focus);
  const focused = shown[Math.min(state.cursor[state.focus], Math.max(0, shown.length - 1))];
  const pairs = state.selected.agentConfigs.flatMap((id) => parseAgentConfigId(id) ?? []);
  const needs = credentialsForRuns(plan.baseline ? [] : pairs.flatMap((p) => state.selected.evals.map((e) => ({ ...p, eval: e }))), ctx.checkout.credentials);
  const missing = needs.keys.filter((k) => !ctx.storedKeys.includes(k));
  const keys = plan.baseline
    ? 'no API key needed'
    : missing.length > 0
      ? `MISSING ${missing.join(', ')} (have ${needs.keys.length - missing.length} of ${needs.keys.length})`
      : `all ${needs.keys.length} present`;
  const ladder = ctx.ladder;
  const benchmarkOf = (item: string) => {
    const benchmark = state.focus === 'evals' ? ctx.checkout.tasks.find((t) => t.id === item)?.benchmark : undefined;
    return benchmark && benchmark !== item ? ` (${benchmark})` : '';
  };
  // Where the agent configurations come from: upstream's list moves, ptb's own table only stands in for a missing one.
  const sourceOf = () =>
    state.focus !== 'agentConfigs'
      ? ''
      : ctx.vocabulary.agentConfigSource === 'built-in'
        ? " (ptb's built-in list: the checkout has no commit.sh recipes)"
        : ' (a recipe of commit.sh)';
  const bottom = (
    <>
      {statusBar}
      {footer.map((line) => (
        <Text key={line} color={message?.error ? colour('text.error') : colour('text.dim')} wrap="truncate">
          {line}
        </Text>
      ))}
    </>
  );
  return (
    <BottomLines height={height} bottom={bottom}>
      <Text bold color={colour('text.accent')}>
        Compose a plan
      </Text>
      <Box>
        {LISTS.map((list) => (
          <Box key={list} flexDirection="column" width={w[list]} marginRight={1}>
            <ListColumn state={state} list={list} width={w[list]} height={listHeight} label={list === 'models' && w.shortModels ? shortModel : (x) => x} />
          </Box>
        ))}
      </Box>
      <Text color={colour('text.dim')} wrap="truncate">
        {state.containerTest
          ? `> ${PRESETS.container}`
          : state.useRecipes
            ? `> ${PRESETS.recipes}`
            : focused
              ? `> ${focused}${benchmarkOf(focused)}${sourceOf()}`
              : ' '}
      </Text>
      <Text wrap="truncate">{`${size.text}, up to ${formatHours(composerGpuHours(state, timeSettings(ctx.config)))} GPU-hours${plan.baseline || state.containerTest || state.useRecipes ? '' : ' | g GPUs per run'}`}</Text>
      <Text color={missing.length > 0 && !plan.baseline ? colour('text.warning') : colour('text.dim')} wrap="truncate">{`keys: ${keys}`}</Text>
      <Text color={ladder.every((l) => l.state === 'passed') ? colour('text.dim') : colour('text.warning')} wrap="truncate">
        {`ladder (presets c b s f): ${ladderLine(ladderGuide(ladder, stateOfJob(tracked)))}`}
      </Text>
    </BottomLines>
  );
}

function ListColumn({
  state,
  list,
  width,
  height,
  label,
}: {
  state: ComposerState;
  list: ListName;
  width: number;
  height: number;
  label: (item: string) => string;
}) {
  const focused = state.focus === list;
  const visible = visibleOptions(state, list);
  const cursor = Math.min(state.cursor[list], Math.max(0, visible.length - 1));
  const start = Math.max(0, Math.min(cursor - height + 1, visible.length - height));
  const filter = state.filter[list];
  const more = visible.length - start - height;
  return (
    <>
      <Text bold color={focused ? colour('text.accent') : undefined}>
        {fit(`${TITLES[list]} (${state.selected[list].length}/${state.options[list].length})`, width)}
      </Text>
      <Text color={colour('text.dim')}>
        {fit(filter || (focused && state.filtering) ? `/${filter}${focused && state.filtering ? '_' : ''}` : start > 0 ? `  ↑ ${start} more` : '', width)}
      </Text>
      {visible.slice(start, start + height).map((item, i) => (
        <Text key={item} inverse={focused && start + i === cursor}>
          {fit(`${state.selected[list].includes(item) ? '[x]' : '[ ]'} ${label(item)}`, width)}
        </Text>
      ))}
      {visible.length === 0 ? <Text color={colour('text.dim')}>{fit('no match', width)}</Text> : null}
      {more > 0 ? <Text color={colour('text.dim')}>{fit(`  ↓ ${more} more`, width)}</Text> : null}
    </>
  );
}
