import { Box, Text, useApp } from 'ink';
import { useEffect, useState } from 'react';
import { commandFor, footerText, type Command } from '../src/ui/keybindings.js';
import { statusLine } from '../src/ui/status-line.js';
import { colour } from '../src/ui/theme.js';
import { useAppState, useServices } from './context.js';
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
import { openResults, Results } from './Results.js';
import { Preflight } from './Preflight.js';
import type { SetupRequest } from '../src/setup/setup-request.js';
import { SetupScreen } from './SetupScreen.js';
import { useTerminalSize } from './use-terminal-size.js';

export const MIN_COLUMNS = 60;
export const MIN_ROWS = 12;

export function App({ version, setup: initialSetup, requestSetup }: { version: string; setup?: SetupRequest; requestSetup?: () => Promise<SetupRequest> }) {
  const [setup, setSetup] = useState(initialSetup);
  const { store, refresh, preflight, loadPlanning, currentConfig } = useServices();
  const { exit } = useApp();
  const { columns, rows } = useTerminalSize();
  const view = useAppState((s) => s.ui.view);
  const helpOpen = useAppState((s) => s.ui.helpOpen);
  const tooSmall = columns < MIN_COLUMNS || rows < MIN_ROWS;
  // The monitor's footer offers what the marked (or selected) jobs allow.
  const monitorState = useAppState((s) => (s.ui.view === 'monitor' ? s.monitor : null));
  const monitorApplies = (command: Command) => {
    if (!monitorState) return true;
    const targets = actionTargets(visibleRows(monitorState.jobs, monitorState), monitorState.marked, monitorState.selectedId, monitorState.jobs);
    if (command === 'cancel-jobs') return cancellable(targets).length > 0;
    if (command === 'resubmit') return resubmittable(targets).length > 0;
    if (command === 'details') return targets.length > 0;
    return true;
  };

  useKeys(handle, { isActive: view === 'overview' || view === 'preflight' || view === 'results' || tooSmall || helpOpen });

  const showResults = () => openResults(store, currentConfig()?.resultsDir ?? null);

  function handle(input: string, key: Parameters<typeof commandFor>[1]) {
    const command = commandFor(input, key, tooSmall ? 'overview' : view);
    // Over the composer, the review and the monitor, the help takes only its own key and quit: those screens handle the rest.
    if (helpOpen && (view === 'compose' || view === 'review' || view === 'monitor') && command !== 'help' && command !== 'quit') return;
    switch (command) {
      case 'quit':
        exit();
        break;
      case 'refresh':
        if (view === 'results') showResults();
        else refresh();
        break;
      case 'results':
        showResults();
        break;
      case 'help':
        store.getState().toggleHelp();
        break;
      case 'down':
      case 'up': {
        const delta = command === 'down' ? 1 : -1;
        const results = store.getState().results;
        if (view === 'preflight') store.getState().updatePreflight((p) => ({ selected: p.selected + delta }));
        else if (view === 'results' && results) store.getState().setResults({ ...results, selected: Math.max(0, Math.min(results.matrices.length - 1, results.selected + delta)) });
        else store.getState().moveSelection(delta);
        break;
      }
      case 'preflight':
        store.getState().setView('preflight');
        if (store.getState().preflight.results.length === 0) preflight.runAll({ compute: true });
        break;
      case 'monitor':
        store.getState().setView('monitor');
        break;
      case 'compose': {
        const ctx = loadPlanning();
        store.getState().setPlanning(ctx);
        const fresh = ctx ? initialComposer(ctx.vocabulary, ctx.config.containerName, Object.fromEntries(ctx.vocabulary.agentConfigs.map((c) => [agentConfigId(c), containerFor(ctx.config, c.agent, c.config)]))) : null;
        const current = store.getState().compose;
        // The selection is kept unless the setup changed what can be chosen.
        if (fresh && (!current || JSON.stringify([current.options, current.defaultImage, current.images]) !== JSON.stringify([fresh.options, fresh.defaultImage, fresh.images]))) store.getState().setCompose(fresh);
        store.getState().setView('compose');
        break;
      }
      case 'rerun': {
        const { results, selected } = store.getState().preflight;
        const current = results[selected];
        if (current) preflight.rerun(current.id);
        break;
      }
      case 'rerun-all':
        preflight.runAll({ compute: true });
        break;
      case 'cancel-probe':
        preflight.cancelProbe();
        break;
      case 'back':
        store.getState().setView('overview');
        break;
      case 'setup':
        if (requestSetup) {
          void requestSetup().then((request) => {
            setSetup(request);
            store.getState().setView(request.configError ? 'config-error' : 'setup');
          });
        }
        break;
      case 'next-list':
      case 'previous-list':
      case 'toggle':
      case 'toggle-all':
      case 'filter':
      case 'preset-container':
      case 'preset-baseline':
      case 'preset-smoke':
      case 'preset-full':
      case 'save-plan':
      case 'cycle-gpus':
      case 'review':
      case 'dry-run':
      case 'submit':
      case 'array-mode':
      case 'force':
      case 'page-down':
      case 'page-up':
      case 'mark':
      case 'mark-all':
      case 'cancel-jobs':
      case 'resubmit':
      case 'requeue':
      case 'details':
      case 'quick-filter':
      case 'sort':
      case 'group':
      case 'faster':
      case 'slower':
      case 'pause':
      case 'logs':
      case 'next-tab':
      case 'previous-tab':
      case 'top':
      case 'bottom':
      case 'wrap':
      case 'fullscreen':
      case 'pager':
      case 'shell':
      case 'next-match':
      case 'previous-match':
      case 'jump-tab':
        // The composer's, the review's and the monitor's: those screens handle them.
        break;
      case undefined:
        break;
    }
  }

  if (tooSmall) {
    return (
      <Box flexDirection="column">
        <Text color={colour('text.warning')}>{`Terminal too small (${columns}x${rows}): ptb needs at least ${MIN_COLUMNS}x${MIN_ROWS}.`}</Text>
        <Text>q quits</Text>
      </Box>
    );
  }
  const width = columns - 1;
  return (
    <Box flexDirection="column" width={columns} height={rows - 1}>
      <Header version={version} width={width} />
      <Box flexGrow={1} flexDirection="column" marginTop={1}>
        {helpOpen ? (
          <Help view={view} width={width} height={rows - 5} />
        ) : view === 'preflight' ? (
          <Preflight width={width} height={rows - 6} />
        ) : view === 'compose' ? (
          <Composer width={width} height={rows - 3} />
        ) : view === 'review' ? (
          <Review width={width} height={rows - 3} />
        ) : view === 'results' ? (
          <Results width={width} height={rows - 5} />
        ) : view === 'monitor' ? (
          <Monitor width={width} height={rows - 5} />
        ) : view !== 'overview' && setup ? (
          <SetupScreen request={setup} width={width} />
        ) : (
          <Overview width={width} height={rows - 6} />
        )}
      </Box>
      {view === 'overview' || view === 'monitor' ? <StatusLine width={width} /> : null}
      {view === 'overview' || view === 'preflight' || view === 'monitor' || view === 'results' ? (
        <Text color={colour('text.dim')} wrap="truncate">
          {footerText(view, view === 'monitor' ? monitorApplies : undefined)}
        </Text>
      ) : null}
    </Box>
  );
}

/** Where the user is, first in the header. */
const VIEW_TITLES: Record<View, string> = {
  overview: 'overview',
  setup: 'setup',
  'config-error': 'setup',
  preflight: 'preflight',
  compose: 'compose',
  review: 'review',
  monitor: 'monitor',
  results: 'results',
};

function Header({ version, width }: { version: string; width: number }) {
  const controller = useAppState((s) => s.cluster.controller);
  const checkout = useAppState((s) => s.checkout);
  const view = useAppState((s) => s.ui.view);
  const slurm = controller ? `Slurm ${controller.version ?? '?'} | controller ${controller.reachable ? 'up' : 'DOWN'}` : view === 'overview' ? 'Slurm ...' : 'setup';
  const where = checkout ? `checkout ${checkout.root} (${checkout.tasks.length} evals, ${checkout.agents.length} agents)` : 'no PostTrainBench checkout found (--checkout DIR)';
  return (
    <Text wrap="truncate">
      <Text bold color={colour('text.accent')}>{`ptb ${version}`}</Text>
      <Text bold>{` | ${VIEW_TITLES[view]}`}</Text>
      <Text>{` | ${slurm} | ${where}`.slice(0, Math.max(0, width - version.length - VIEW_TITLES[view].length - 7))}</Text>
    </Text>
  );
}

/** Re-renders every second so that "next in N s" counts down. */
function StatusLine({ width }: { width: number }) {
  const cluster = useAppState((s) => s.cluster);
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(timer);
  }, []);
  const line = statusLine(cluster, now);
  const token = line.tone === 'error' ? 'text.error' : line.tone === 'warning' ? 'text.warning' : 'text.dim';
  return (
    <Text color={colour(token)} wrap="truncate">
      {line.text.slice(0, width)}
    </Text>
  );
}
