import { Box, Text } from 'ink';
import { useEffect, useRef } from 'react';
import { GENERATION_SHORT } from '../src/checkout/generation.js';
import { openComposer, runEffects } from '../src/app/effects.js';
import { footerText, type Command } from '../src/app/keybindings.js';
import { routeKey } from '../src/app/keys.js';
import { body as bodySize, MIN_COLUMNS, MIN_ROWS, tooSmall } from '../src/app/layout.js';
import { breadcrumb, matchPalette, paletteEntries, type View } from '../src/app/navigation.js';
import { statusBar } from '../src/app/status-line.js';
import { colour } from '../src/app/theme.js';
import { cancellable, resubmittable } from '../src/monitor/job-actions.js';
import { actionTargets } from '../src/monitor/grid.js';
import { fit } from '../src/text/columns.js';
import { Composer } from './compose/Composer.js';
import { Help } from './Help.js';
import { Monitor } from './monitor/Monitor.js';
import { Overview } from './overview/Overview.js';
import { Preflight } from './preflight/Preflight.js';
import { Results } from './results/Results.js';
import { Review } from './review/Review.js';
import { useAppState, useServices } from './services.js';
import { SetupScreen } from './setup/SetupScreen.js';
import { useKeys } from './use-keys.js';
import { useTerminalSize } from './use-terminal-size.js';
import { useShallow } from 'zustand/react/shallow';

/** Routes the screens and reads the keyboard; what a key does is decided in src/app/keys.ts, without React. */
export function App({ version }: { version: string }) {
  const services = useServices();
  const { ensurePolling } = services;
  const { columns, rows } = useTerminalSize();
  const view = useAppState((s) => s.ui.view);
  const helpOpen = useAppState((s) => s.ui.helpOpen);
  const palette = useAppState((s) => s.ui.palette);
  const setup = useAppState((s) => s.setupRequest);
  const layout = { columns, rows };
  const small = tooSmall(layout);
  const inWizard = view === 'setup' || view === 'config-error';
  // In the wizard the poller's line shows once it has run (an edit from another screen), not on a first run.
  const hasPolled = useAppState((s) => s.cluster.dataAt !== null || s.cluster.error !== null);
  // A TUI that opened on the wizard asks Slurm from the first screen that shows it on (the wizard
  // asks sinfo itself), once that screen's first frame is out. One that opened on the overview or the
  // monitor already asks (assembleTui): starting it again is no second poller.
  useEffect(() => {
    if (inWizard) return;
    const start = setImmediate(ensurePolling);
    return () => clearImmediate(start);
  }, [inWizard, ensurePolling]);
  // The composer and the review read the saved setup whenever they are shown (by a number, esc, the
  // wizard's return): a setup saved meanwhile must be the one a submission uses. goTo() reads it
  // before the screen's first frame; this reads it for the other ways in.
  const planningReadAt = useRef<View | null>(null);
  useEffect(() => {
    const justRead = planningReadAt.current === view;
    planningReadAt.current = null;
    if (!justRead && (view === 'compose' || view === 'review')) openComposer(services);
  }, [view, services]);
  // The monitor's footer offers what the marked (or selected) jobs allow.
  const monitorState = useAppState((s) => (s.ui.view === 'monitor' ? s.monitor : null));
  const hasHistory = useAppState((s) => s.ui.history.length > 0);
  const targets = monitorState ? actionTargets(monitorState.rows, monitorState.marked, monitorState.selectedId, monitorState.jobs) : [];
  const applies = (command: Command) => {
    if (command === 'back') return view !== 'overview' || hasHistory;
    if (!monitorState) return true;
    if (command === 'cancel-jobs') return cancellable(targets).length > 0;
    if (command === 'resubmit') return resubmittable(targets).length > 0;
    if (command === 'details') return targets.length > 0;
    return true;
  };

  useKeys(
    (input, key) => {
      const { store } = services;
      const state = store.getState();
      const step = routeKey(state, input, key, layout);
      // A move to the composer or the review reads the setup there (goTo): the effect above must not read it again.
      for (const e of step.effects) if (e.kind === 'go' && (e.view === 'compose' || e.view === 'review')) planningReadAt.current = e.view;
      state.applyPatch(step.patch);
      runEffects(services, step.effects, layout);
    },
    { isActive: !inWizard || small },
  );

  // Too small, the screens stay mounted but hidden (laid out at the minimum size): what the wizard
  // holds, typed keys included, survives a terminal that shrinks for a moment.
  const { width, height: body } = bodySize(layout);
  // The status bar sits right above the footer on every screen: the composer and the review write
  // their own footers, so they place it themselves.
  const statusBar = <StatusBar width={width} polling={!inWizard || hasPolled} />;
  const ownFooter = !palette && !helpOpen && (view === 'compose' || view === 'review');
  return (
    <>
      {small ? (
        <Box flexDirection="column">
          <Text color={colour('text.warning')} wrap="wrap">{`Terminal too small (${columns}x${rows}): ptb needs at least ${MIN_COLUMNS}x${MIN_ROWS}.`}</Text>
          <Text>q quits</Text>
        </Box>
      ) : null}
      <Box display={small ? 'none' : 'flex'} flexDirection="column" width={width + 1} height={body + 4}>
        <Header version={version} width={width} />
        <Box flexGrow={1} flexDirection="column" marginTop={1}>
          {palette ? (
            <Palette view={view} text={palette.text} selected={palette.selected} width={width} height={body} />
          ) : helpOpen ? (
            <Help view={view} width={width} height={body} />
          ) : null}
          {/* Under the palette or the help the screen stays mounted: what it holds (a review's array mode, a selection) survives. */}
          <Box display={palette || helpOpen ? 'none' : 'flex'} flexDirection="column">
            {view === 'preflight' ? (
              <Preflight width={width} height={body - 1} />
            ) : view === 'compose' ? (
              <Composer width={width} height={body + 2} statusBar={statusBar} />
            ) : view === 'review' ? (
              <Review width={width} height={body + 2} statusBar={statusBar} />
            ) : view === 'results' ? (
              <Results width={width} height={body} />
            ) : view === 'monitor' ? (
              <Monitor width={width} height={body} />
            ) : view !== 'overview' && setup ? (
              <SetupScreen request={setup} width={width} active={!small} />
            ) : (
              <Overview width={width} height={body - 1} />
            )}
          </Box>
        </Box>
        {ownFooter ? null : statusBar}
        {palette ? (
          <Text wrap="truncate">{`:${palette.text}_  enter runs | tab/down next | esc closes`}</Text>
        ) : view === 'overview' || view === 'preflight' || view === 'monitor' || view === 'results' ? (
          <Text color={colour('text.dim')} wrap="truncate">
            {footerText(view, applies, width)}
          </Text>
        ) : null}
      </Box>
    </>
  );
}

/** The command palette: the matches of what is typed, the highlighted one runs on enter. */
function Palette({ view, text, selected, width, height }: { view: View; text: string; selected: number; width: number; height: number }) {
  const matches = matchPalette(paletteEntries(view), text);
  const shown = matches.slice(Math.max(0, selected - height + 3), Math.max(0, selected - height + 3) + Math.max(1, height - 2));
  const labelWidth = Math.max(...paletteEntries(view).map((e) => e.label.length)) + 2;
  return (
    <Box flexDirection="column">
      <Text bold color={colour('text.accent')}>
        Go to a screen or run a command
      </Text>
      {matches.length === 0 ? <Text color={colour('text.dim')}>{`nothing matches "${text}"`}</Text> : null}
      {shown.map((entry) => (
        <Text key={entry.label} inverse={entry === matches[selected]} wrap="truncate">
          {fit(`${fit(entry.label, labelWidth)}${entry.hint}`, width)}
        </Text>
      ))}
    </Box>
  );
}

function Header({ version, width }: { version: string; width: number }) {
  const controller = useAppState((s) => s.cluster.controller);
  const checkout = useAppState((s) => s.checkout);
  const view = useAppState((s) => s.ui.view);
  const history = useAppState((s) => s.ui.history);
  const slurm = controller ? `Slurm ${controller.version ?? '?'} | controller ${controller.reachable ? 'up' : 'DOWN'}` : view === 'overview' ? 'Slurm ...' : '';
  const where = checkout
    ? `checkout ${checkout.root} (${checkout.tasks.length} evals, ${checkout.agents.length} agents, ${GENERATION_SHORT[checkout.generation.id]}${checkout.configured ? `; --checkout, the setup's is ${checkout.configured}` : ''})`
    : 'no PostTrainBench checkout found (--checkout DIR)';
  const site = useAppState((s) => s.site?.label ?? null);
  const trail = breadcrumb(history, view);
  // The site's label comes right after where the user is, so that a narrow terminal still shows it.
  const label = site ? ` | ${site}` : '';
  return (
    <Text wrap="truncate">
      <Text bold color={colour('text.accent')}>{`ptb ${version}`}</Text>
      <Text bold>{` | ${trail}`}</Text>
      {site ? (
        <Text bold color={colour('text.warning')}>
          {label}
        </Text>
      ) : null}
      <Text>
        {[' ', slurm, where]
          .filter(Boolean)
          .join(' | ')
          .slice(1, Math.max(1, width - version.length - trail.length - label.length - 6))}
      </Text>
    </Text>
  );
}

/** Drawn when its line changes, never by a clock nor by a look that read the same again: an idle screen draws no frame. */
function StatusBar({ width, polling }: { width: number; polling: boolean }) {
  const line = useAppState(useShallow((s) => statusBar(s, new Date(), polling)));
  const token = line.tone === 'error' ? 'text.error' : line.tone === 'warning' ? 'text.warning' : 'text.dim';
  return (
    <Text color={colour(token)} wrap="truncate">
      {line.text.slice(0, width)}
    </Text>
  );
}
