import { resolve } from 'node:path';
import type { Checkout } from '../checkout/detect.js';
import { isCheckout, readCheckout } from '../checkout/detect.js';
import { configFileReader, describeInvalidConfig, loadConfigFile, overrideCheckout } from '../config/config-file.js';
import type { ConfigLocations } from '../config/locations.js';
import type { Config } from '../config/schema.js';
import { loadSite } from '../config/site.js';
import { secretValuesToRedact } from '../config/secrets.js';
import { createRedactor } from '../logs/redact.js';
import { notificationBytes } from '../monitor/job-events.js';
import { createJobTracker } from '../monitor/job-tracker.js';
import { loadOverview } from '../overview/snapshot.js';
import { ladderStatus, type LadderStep } from '../results/ladder.js';
import { scoringFor } from '../results/leaderboard.js';
import { DRAFT_FIELDS, draftFromConfig } from '../setup/draft.js';
import { prepareSetup } from '../setup/prepare.js';
import { saveSetup } from '../setup/save-setup.js';
import type { SetupRequest } from '../setup/setup-request.js';
import type { Slurm } from '../slurm/adapter.js';
import { ledgerHasJobs } from '../submit/ledger.js';
import { readOwnLedger } from '../submit/job-mark.js';
import { setupIdentity } from '../submit/setup-identity.js';
import { loadPlanningContext, type PlanningContext } from './compose/planning.js';
import { createLogSession, type LogSession } from './monitor/log-session.js';
import { createMonitorSession, type MonitorSession } from './monitor/session.js';
import { createShellSession, type ShellSession } from './monitor/shell-session.js';
import type { View } from './navigation.js';
import { startOverviewPoller, type Poller } from './overview/poller.js';
import { overviewAsk } from './overview/ask.js';
import { createPreflightSession, type PreflightSession } from './preflight/session.js';
import { createResultsSession, type ResultsSession } from './results/session.js';
import { createSubmitSession, type SubmitSession } from './review/session.js';
import { createAppStore, type AppStore } from './store.js';

/** The TUI's parts before React mounts them: the store, each screen's session, and how to start polling. */
export interface TuiParts {
  store: AppStore;
  /** The poller, started once: by the TUI's first screen that shows Slurm (the overview, the monitor) or already when it opens on one. */
  startPoller: () => Poller;
  /** The wizard's data, gathered before the first frame when the TUI opens on it. */
  setup?: SetupRequest;
  requestSetup: () => Promise<SetupRequest>;
  preflight: PreflightSession;
  submit: SubmitSession;
  loadPlanning: () => PlanningContext | null;
  loadLadder: () => LadderStep[] | null;
  monitor: MonitorSession;
  logs: LogSession;
  shell: ShellSession;
  results: ResultsSession;
  currentConfig: () => Config | null;
}

/**
 * Builds the TUI for this login: the screen it opens on (the wizard on a first run, the monitor
 * once ptb has jobs, else the overview), the store and the sessions that read and write the world.
 */
export async function assembleTui(options: {
  locations: ConfigLocations;
  slurm: Slurm;
  checkoutOption: string | undefined;
  interval: number;
  setupOnly: boolean;
  checkout: Checkout | null;
  ledgerFile: string;
}): Promise<TuiParts> {
  const { locations, slurm } = options;
  const { checkout, ledgerFile } = options;
  const loaded = loadConfigFile(locations.config);
  // First run: the wizard; later, the monitor once ptb has jobs to show, else the overview.
  const view: View =
    loaded.kind === 'invalid' ? 'config-error' : options.setupOnly || loaded.kind === 'missing' ? 'setup' : ledgerHasJobs(ledgerFile) ? 'monitor' : 'overview';
  const site = loadSite(process.env, DRAFT_FIELDS);
  const store = createAppStore({ checkout, view, site: site.kind === 'ok' ? { label: site.site.label, notes: site.site.notes } : null });
  const setupRequest = async (): Promise<SetupRequest> => {
    const current = loadConfigFile(locations.config);
    const backup = current.kind === 'invalid' ? loadConfigFile(locations.backup) : null;
    // `ptb --checkout DIR setup`: the wizard proposes that checkout, and saves it when the user does.
    const from = current.kind === 'ok' ? overrideCheckout(current.config, options.checkoutOption) : null;
    const prepared = await prepareSetup({ locations, env: process.env, cwd: from?.checkout ?? checkout?.root ?? process.cwd(), slurm, from });
    return {
      prepared,
      editing: current.kind === 'ok',
      configFile: locations.config,
      configError: current.kind === 'invalid' ? describeInvalidConfig(current) : null,
      backupDraft: backup?.kind === 'ok' ? draftFromConfig(backup.config) : null,
      backupFile: locations.backup,
      save: (config, keys) => saveSetup(locations, config, keys),
      onSaved: (config) => store.getState().setCheckout(isCheckout(config.checkout) ? readCheckout(config.checkout) : null),
      exitWhenDone: options.setupOnly,
    };
  };
  // Asked at every look at Slurm by the monitor, the tracker and the log pane: read again only when the file changed.
  const readConfig = configFileReader(locations.config);
  const currentConfig = () => {
    const current = readConfig();
    return current.kind === 'ok' ? overrideCheckout(current.config, options.checkoutOption) : null;
  };
  let poller: Poller | undefined;
  // Read when a log opens or a diagnosis quotes a line: the values serve only to redact them from what is shown.
  const secretValues = () => secretValuesToRedact(locations.secrets);
  const monitor = createMonitorSession({
    store,
    slurm,
    tracker: createJobTracker({ ledgerFile: ledgerFile, config: currentConfig, redactor: () => createRedactor(secretValues()) }),
    config: currentConfig,
    locations,
    ledgerFile: ledgerFile,
    refresh: () => poller?.refreshNow(),
    configuredCheckout: () => {
      const current = readConfig();
      return options.checkoutOption !== undefined && current.kind === 'ok' ? current.config.checkout : null;
    },
    notify: (text) => process.stdout.write(notificationBytes(text, Boolean(process.env.TMUX))),
  });
  // One poller, whoever starts it first.
  const startPoller = () =>
    (poller ??= startOverviewPoller((look) => loadOverview(slurm, overviewAsk(store.getState(), look)), store, {
      intervalMs: options.interval * 1000,
      afterLoad: monitor.afterLoad,
    }));
  // The overview opens at once, and its first look at Slurm starts now: its commands run while the
  // screens' modules load, and the first frame may show what they answered. The wizard asks sinfo
  // itself; its data (sinfo, keys) is gathered only when it is needed.
  const opensOnSlurm = view === 'overview' || view === 'monitor';
  if (opensOnSlurm) startPoller();
  const setup = opensOnSlurm ? undefined : await setupRequest();
  return {
    store,
    setup,
    requestSetup: setupRequest,
    submit: createSubmitSession({ store, slurm, locations, ledgerFile: ledgerFile }),
    loadPlanning: () => loadPlanningContext(locations, ledgerFile, options.checkoutOption === undefined ? undefined : resolve(options.checkoutOption)),
    loadLadder: () => {
      const config = currentConfig();
      return config ? ladderStatus(config, readOwnLedger(ledgerFile, setupIdentity(config))) : null;
    },
    preflight: createPreflightSession({
      store,
      slurm,
      locations,
      config: currentConfig,
    }),
    monitor,
    shell: createShellSession(store),
    results: createResultsSession({
      store,
      resultsDir: () => currentConfig()?.resultsDir ?? null,
      scoring: () => scoringFor(currentConfig()?.checkout ?? null),
      prices: () => currentConfig()?.prices ?? {},
    }),
    logs: createLogSession({
      store,
      config: currentConfig,
      secretValues,
    }),
    currentConfig,
    startPoller,
  };
}
