import { Box, Text, useApp, type Key } from 'ink';
import { useEffect, useRef, useState } from 'react';
import { GENERATION_SHORT } from '../src/checkout/generation.js';
import { commandFor, footerText, type Command } from '../src/ui/keybindings.js';
import { statusBar } from '../src/ui/status-line.js';
import { breadcrumb, matchPalette, paletteEntries, typing, viewForKey, type PaletteEntry } from '../src/ui/navigation.js';
import { fit } from '../src/ui/columns.js';
import type { PresetName } from '../src/plan/composer.js';
import type { QuickFilter } from '../src/monitor/grid.js';
import { ScreenKeysContext, type KeyHandler } from './screen-keys.js';
import { colour } from '../src/ui/theme.js';
import { useAppState, useServices, type AppServices } from './context.js';
import type { View } from '../src/store/app-store.js';
import { Help } from './Help.js';
import { cancellable, resubmittable } from '../src/monitor/job-actions.js';
import { actionTargets, visibleRows } from '../src/monitor/grid.js';
import { useKeys } from './use-keys.js';
import { initialComposer } from '../src/plan/composer.js';
import { agentConfigId, containerFor } from '../src/catalog/agent-configs.js';
import { Composer } from './Composer.js';
import { Overview } from './Overview.js';
import { Review } from './Review.js';
import { Monitor } from './Monitor.js';
import { Results } from './Results.js';
import { Preflight } from './Preflight.js';
import type { SetupRequest } from '../src/setup/setup-request.js';
import { SetupScreen } from './SetupScreen.js';
import { useTerminalSize } from './use-terminal-size.js';

export const MIN_COLUMNS = 60;
export const MIN_ROWS = 16;

export function App({ version, setup: initialSetup, requestSetup }: { version: string; setup?: SetupRequest; requestSetup?: () => Promise<SetupRequest> }) {
  const [setup, setSetup] = useState(initialSetup);
  const services = useServices();
  const { store, refresh, preflight, results: resultsSession, ensurePolling } = services;
  const { exit } = useApp();
  const { columns, rows } = useTerminalSize();
  const view = useAppState((s) => s.ui.view);
  const helpOpen = useAppState((s) => s.ui.helpOpen);
  const palette = useAppState((s) => s.ui.palette);
  const screenKeys = useRef<{ view: View; handler: KeyHandler } | null>(null);
  const tooSmall = columns < MIN_COLUMNS || rows < MIN_ROWS;
  const inWizard = view === 'setup' || view === 'config-error';
  // In the wizard the poller's line shows once it has run (an edit from another screen), not on a first run.
  const hasPolled = useAppState((s) => s.cluster.dataAt !== null || s.cluster.error !== null);
  // Slurm is asked from the first screen that shows it on (the wizard asks sinfo itself), once that
  // screen's first frame is out: spawning the first Slurm command costs the frame ~10 ms otherwise.
  useEffect(() => {
    if (inWizard) return;
    const start = setImmediate(ensurePolling);
    return () => clearImmediate(start);
  }, [inWizard, ensurePolling]);
  // The composer and the review read the saved setup whenever they are shown (by a number, esc, the
  // wizard's return): a setup saved meanwhile must be the one a submission uses. go() reads it before
  // the screen's first frame; the effect reads it for the other ways in, not a second time after go().
  const planningReadFor = useRef<View | null>(null);
  useEffect(() => {
    const justRead = planningReadFor.current === view;
    planningReadFor.current = null;
    if (!justRead && (view === 'compose' || view === 'review')) openComposer(services);
  }, [view, services]);
  // The monitor's footer offers what the marked (or selected) jobs allow.
  const monitorState = useAppState((s) => (s.ui.view === 'monitor' ? s.monitor : null));
  const hasHistory = useAppState((s) => s.ui.history.length > 0);
  const applies = (command: Command) => {
    if (command === 'back') return view !== 'overview' || hasHistory;
    if (!monitorState) return true;
    const targets = actionTargets(visibleRows(monitorState.jobs, monitorState), monitorState.marked, monitorState.selectedId, monitorState.jobs);
    if (command === 'cancel-jobs') return cancellable(targets).length > 0;
    if (command === 'resubmit') return resubmittable(targets).length > 0;
    if (command === 'details') return targets.length > 0;
    return true;
  };

  const go = (target: View) => {
    if (target === 'setup') {
      // The wizard is built from what is saved now (and sinfo): gathered on the way in, said in the status bar meanwhile.
      if (!requestSetup || store.getState().ui.busy) return;
      const from = store.getState().ui.view;
      store.getState().setBusy('reading the setup and asking sinfo...');
      void requestSetup()
        .then((request) => {
          // The user went elsewhere meanwhile: the wizard does not take over the keys they are typing there.
          if (store.getState().ui.view !== from) return;
          setSetup(request);
          store.getState().setView(request.configError ? 'config-error' : 'setup');
        })
        .catch((error: unknown) => store.getState().reportError(`the setup could not be read: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => store.getState().setBusy(null));
      return;
    }
    if (target === 'results') return resultsSession.open();
    if (target === 'compose' || target === 'review') {
      openComposer(services);
      planningReadFor.current = target;
    }
    if (target === 'review') services.submit.reset();
    if (target === 'preflight' && store.getState().preflight.results.length === 0 && store.getState().preflight.running.length === 0) preflight.runAll({ compute: true });
    store.getState().setView(target);
  };

  const runPaletteEntry = (entry: PaletteEntry) => {
    store.getState().setPalette(null);
    if (entry.action.kind === 'view') return go(entry.action.view);
    const name = entry.action.name;
    if (name === 'quit') return exit();
    if (name === 'help') return store.getState().toggleHelp();
    if (name === 'refresh') return view === 'results' ? go('results') : refresh();
    if (name.startsWith('preset-')) return store.getState().composeDispatch({ type: 'preset', name: name.slice('preset-'.length) as PresetName });
    store.getState().updateMonitor(() => ({ quick: name.slice('show-'.length) as QuickFilter }));
  };

  const paletteKey = (input: string, key: Key) => {
    const p = store.getState().ui.palette;
    if (!p) return;
    const matches = matchPalette(paletteEntries(store.getState().ui.view), p.text);
    if (key.escape) return store.getState().setPalette(null);
    if (key.return) {
      const chosen = matches[Math.min(p.selected, matches.length - 1)];
      return chosen ? runPaletteEntry(chosen) : store.getState().setPalette({ ...p, selected: 0 });
    }
    if (key.downArrow || key.tab) return store.getState().setPalette({ ...p, selected: Math.min(p.selected + 1, Math.max(0, matches.length - 1)) });
    if (key.upArrow) return store.getState().setPalette({ ...p, selected: Math.max(0, p.selected - 1) });
    if (key.backspace || key.delete) return p.text === '' ? store.getState().setPalette(null) : store.getState().setPalette({ text: p.text.slice(0, -1), selected: 0 });
    if (!key.ctrl && !key.meta && input) store.getState().setPalette({ text: p.text + input.replace(/[\x00-\x1f]/g, ''), selected: 0 });
  };

  // The one reader of the keyboard: the palette, then the keys that work everywhere, then the screen's own.
  useKeys((input, key) => {
    const state = store.getState();
    // ctrl+c leaves from anywhere, a line being typed included; only a shell in its pane takes it (to stop its program).
    if (key.ctrl && input === 'c' && !state.shell) return exit();
    if (tooSmall) {
      if (commandFor(input, key, 'overview') === 'quit') exit();
      return;
    }
    if (state.ui.palette) return paletteKey(input, key);
    if (!typing(state)) {
      const command = commandFor(input, key, state.ui.view);
      if (command === 'quit') return exit();
      if (command === 'help' || (state.ui.helpOpen && command === 'back')) return state.toggleHelp();
      // The help is modal: a key meant for the screen underneath would act unseen.
      if (state.ui.helpOpen) return;
      if (command === 'palette') return state.setPalette({ text: '', selected: 0 });
      const target = command === 'go-to' ? viewForKey(input) : undefined;
      if (target) return go(target);
      if (state.ui.view === 'overview' || state.ui.view === 'preflight' || state.ui.view === 'results') return handle(command);
    }
    const screen = screenKeys.current;
    if (screen?.view === state.ui.view) screen.handler(input, key);
  }, { isActive: !inWizard || tooSmall });

  // The overview's, the preflight's and the results' own keys (the other screens handle theirs).
  function handle(command: Command | undefined) {
    const state = store.getState();
    // The view of this key, not of the last render: keys of one chunk can follow a screen change.
    const view = state.ui.view;
    const move = (delta: number) => {
      const results = state.results;
      if (view === 'preflight') state.updatePreflight((p) => ({ selected: p.selected + delta }));
      else if (view === 'results' && results) state.setResults({ ...results, selected: Math.max(0, Math.min((results.board?.methods.length ?? 1) - 1, results.selected + delta)) });
      else state.moveSelection(delta);
    };
    const actions: Partial<Record<Command, () => void>> = {
      refresh: () => (view === 'results' ? go('results') : refresh()),
      results: () => go('results'),
      preflight: () => go('preflight'),
      monitor: () => go('monitor'),
      compose: () => go('compose'),
      setup: () => go('setup'),
      back: () => (view !== 'overview' || state.ui.history.length > 0) && state.back(),
      down: () => move(1),
      up: () => move(-1),
      rerun: () => {
        const current = state.preflight.results[state.preflight.selected];
        if (current) preflight.rerun(current.id);
      },
      'rerun-all': () => preflight.runAll({ compute: true }),
      'cancel-probe': () => preflight.cancelProbe(),
    };
    if (command) actions[command]?.();
  }

  // Too small, the screens stay mounted but hidden (laid out at the minimum size): what the wizard
  // holds, typed keys included, survives a terminal that shrinks for a moment.
  const width = Math.max(columns, MIN_COLUMNS) - 1;
  const body = Math.max(rows, MIN_ROWS) - 5;
  // The status bar sits right above the footer on every screen: the composer and the review write
  // their own footers, so they place it themselves.
  const statusBar = <StatusBar width={width} polling={!inWizard || hasPolled} />;
  const ownFooter = !palette && !helpOpen && (view === 'compose' || view === 'review');
  return (
    <ScreenKeysContext.Provider value={screenKeys}>
      {tooSmall ? (
        <Box flexDirection="column">
          <Text color={colour('text.warning')} wrap="wrap">{`Terminal too small (${columns}x${rows}): ptb needs at least ${MIN_COLUMNS}x${MIN_ROWS}.`}</Text>
          <Text>q quits</Text>
        </Box>
      ) : null}
      <Box display={tooSmall ? 'none' : 'flex'} flexDirection="column" width={width + 1} height={body + 4}>
        <Header version={version} width={width} />
        <Box flexGrow={1} flexDirection="column" marginTop={1}>
          {palette ? <Palette view={view} text={palette.text} selected={palette.selected} width={width} height={body} /> : helpOpen ? <Help view={view} width={width} height={body} /> : null}
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
              <SetupScreen request={setup} width={width} active={!tooSmall} />
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
    </ScreenKeysContext.Provider>
  );
}

/** Opens the composer on the saved setup: the selection is kept unless the setup changed what can be chosen. */
function openComposer({ store, loadPlanning }: AppServices): void {
  const ctx = loadPlanning();
  store.getState().setPlanning(ctx);
  const fresh = ctx ? initialComposer(ctx.vocabulary, ctx.config.containerName, Object.fromEntries(ctx.vocabulary.agentConfigs.map((c) => [agentConfigId(c), containerFor(ctx.config, c.agent, c.config)])), ctx.checkout.images.run) : null;
  const current = store.getState().compose;
  const shape = (c: NonNullable<typeof current>) => JSON.stringify([c.options, c.defaultImage, c.images, c.runImages]);
  if (fresh && (!current || shape(current) !== shape(fresh))) store.getState().setCompose(fresh);
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
  const trail = breadcrumb(history, view);
  return (
    <Text wrap="truncate">
      <Text bold color={colour('text.accent')}>{`ptb ${version}`}</Text>
      <Text bold>{` | ${trail}`}</Text>
      <Text>{[' ', slurm, where].filter(Boolean).join(' | ').slice(1, Math.max(1, width - version.length - trail.length - 6))}</Text>
    </Text>
  );
}

/** Re-renders every second so that "next in N s" counts down. */
function StatusBar({ width, polling }: { width: number; polling: boolean }) {
  const state = useAppState((s) => s);
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(timer);
  }, []);
  const line = statusBar(state, now, polling);
  const token = line.tone === 'error' ? 'text.error' : line.tone === 'warning' ? 'text.warning' : 'text.dim';
  return (
    <Text color={colour(token)} wrap="truncate">
      {line.text.slice(0, width)}
    </Text>
  );
}
