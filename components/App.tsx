import { Box, Text, useApp, useInput } from 'ink';
import { useEffect, useState } from 'react';
import { commandFor, footerText } from '../src/ui/keybindings.js';
import { statusLine } from '../src/ui/status-line.js';
import { colour } from '../src/ui/theme.js';
import { useAppState, useServices } from './context.js';
import { Help } from './Help.js';
import { Overview } from './Overview.js';
import type { SetupRequest } from '../src/setup/setup-request.js';
import { SetupScreen } from './SetupScreen.js';
import { useTerminalSize } from './use-terminal-size.js';

export const MIN_COLUMNS = 60;
export const MIN_ROWS = 12;

export function App({ version, setup: initialSetup, requestSetup }: { version: string; setup?: SetupRequest; requestSetup?: () => Promise<SetupRequest> }) {
  const [setup, setSetup] = useState(initialSetup);
  const { store, refresh } = useServices();
  const { exit } = useApp();
  const { columns, rows } = useTerminalSize();
  const view = useAppState((s) => s.ui.view);
  const helpOpen = useAppState((s) => s.ui.helpOpen);
  const tooSmall = columns < MIN_COLUMNS || rows < MIN_ROWS;

  useInput((input, key) => {
    const command = commandFor(input, key, tooSmall ? 'overview' : view);
    switch (command) {
      case 'quit':
        exit();
        break;
      case 'refresh':
        refresh();
        break;
      case 'help':
        store.getState().toggleHelp();
        break;
      case 'down':
        store.getState().moveSelection(1);
        break;
      case 'up':
        store.getState().moveSelection(-1);
        break;
      case 'setup':
        if (requestSetup) {
          void requestSetup().then((request) => {
            setSetup(request);
            store.getState().setView(request.configError ? 'config-error' : 'setup');
          });
        }
        break;
      case undefined:
        break;
    }
  }, { isActive: view === 'overview' || tooSmall });

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
        {view !== 'overview' && setup ? <SetupScreen request={setup} width={width} /> : helpOpen ? <Help /> : <Overview width={width} height={rows - 6} />}
      </Box>
      {view === 'overview' ? <StatusLine width={width} /> : null}
      {view === 'overview' ? (
        <Text color={colour('text.dim')} wrap="truncate">
          {footerText(view)}
        </Text>
      ) : null}
    </Box>
  );
}

function Header({ version, width }: { version: string; width: number }) {
  const controller = useAppState((s) => s.cluster.controller);
  const checkout = useAppState((s) => s.checkout);
  const view = useAppState((s) => s.ui.view);
  const slurm = controller ? `Slurm ${controller.version ?? '?'} | controller ${controller.reachable ? 'up' : 'DOWN'}` : view === 'overview' ? 'Slurm ...' : 'setup';
  const where = checkout ? `checkout ${checkout.root} (${checkout.tasks.length} evals, ${checkout.agents.length} agents)` : 'no PostTrainBench checkout found (--checkout DIR)';
  return (
    <Text wrap="truncate">
      <Text bold color={colour('text.accent')}>{`ptb ${version}`}</Text>
      <Text>{` | ${slurm} | ${where}`.slice(0, Math.max(0, width - version.length - 4))}</Text>
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
