import { Box, Text, useApp, useInput } from 'ink';
import { useState } from 'react';
import type { Draft } from '../../src/setup/draft.js';
import type { SetupRequest } from '../../src/setup/setup-request.js';
import { colour } from '../../src/app/theme.js';
import { useAppState, useServices } from '../services.js';
import { Wizard } from './Wizard.js';
import { configErrorKey } from '../../src/app/setup/keys.js';

/** The wizard, or first the report of a broken configuration with the ways out of it. */
export function SetupScreen({ request, width, active = true }: { request: SetupRequest; width: number; active?: boolean }) {
  const { exit } = useApp();
  const { store } = useServices();
  const view = useAppState((s) => s.ui.view);
  const [start, setStart] = useState<Draft>(request.prepared.draft);
  const [wizardKey, setWizardKey] = useState(0);

  useInput(
    (input, key) => {
      const choice = configErrorKey(input, key, request.backupDraft !== null);
      if (choice === 'quit') return exit();
      const from = choice === 'backup' ? request.backupDraft : choice === 'defaults' ? request.prepared.defaults : null;
      if (!from) return;
      setStart(from);
      setWizardKey((k) => k + 1);
      store.getState().setView('setup');
    },
    { isActive: active && view === 'config-error' },
  );

  if (view === 'config-error') {
    return (
      <Box flexDirection="column">
        <Text color={colour('text.error')}>{request.configError}</Text>
        <Box marginTop={1} flexDirection="column">
          {request.backupDraft ? (
            <Text>{`b  start the wizard from the backup (${request.backupFile})`}</Text>
          ) : (
            <Text color={colour('text.dim')}>(no valid backup to start from)</Text>
          )}
          <Text>d start the wizard from the defaults</Text>
          <Text>q quit and fix the file by hand (it stays as it is until the wizard saves)</Text>
        </Box>
      </Box>
    );
  }

  const done = (outcome: 'saved' | 'cancelled') => {
    if (request.exitWhenDone || (outcome === 'cancelled' && !request.editing)) {
      exit();
      return;
    }
    // Back where the user came from (the overview on a first run); the app starts polling there.
    store.getState().back();
  };
  return (
    <Box flexDirection="column">
      {request.prepared.sinfoProblem ? (
        <Text color={colour('text.warning')}>{`sinfo failed (${request.prepared.sinfoProblem}): partitions are not checked.`}</Text>
      ) : null}
      {request.prepared.secretsProblem ? <Text color={colour('text.error')}>{request.prepared.secretsProblem}</Text> : null}
      {request.prepared.siteProblem ? <Text color={colour('text.warning')}>{request.prepared.siteProblem}</Text> : null}
      <Wizard
        key={wizardKey}
        initialDraft={start}
        context={request.prepared.context}
        editing={request.editing}
        configFile={request.configFile}
        save={(config, keys) => {
          const result = request.save(config, keys);
          if (result.ok) request.onSaved(config);
          return result;
        }}
        onDone={done}
        width={width}
        checkoutNote={
          request.prepared.checkoutCommit ? `at upstream commit ${request.prepared.checkoutCommit}` : 'not a git clone: its upstream commit is unknown'
        }
        active={active}
      />
    </Box>
  );
}
