import { render } from 'ink';
import { stepInterval, type Poller } from '../src/app/overview/poller.js';
import { App } from './App.js';
import type { TuiParts } from '../src/app/assemble.js';
import { followLadder } from '../src/app/overview/ladder.js';
import { ServicesContext } from './services.js';
import { enterScreen, leaveScreen } from '../src/terminal/screen.js';

/**
 * Runs the full-screen TUI until the user quits. The alternate screen keeps the user's
 * scrollback intact, and is left on every way out (quit, signal, crash).
 */
export async function runTui(options: TuiParts & { version: string }): Promise<void> {
  const { stdout } = process;
  const leave = () => leaveScreen(stdout);
  const onSignal = () => {
    instance.unmount();
  };
  enterScreen(stdout);
  process.once('exit', leave);
  process.once('SIGTERM', onSignal);
  process.once('SIGHUP', onSignal);
  let poller: Poller | undefined;
  const refresh = () => poller?.refreshNow();
  const ensurePolling = () => {
    poller ??= options.startPoller();
  };
  const polling = {
    step: (direction: 1 | -1) => poller?.setIntervalMs(stepInterval(options.store.getState().cluster.intervalMs, direction)),
    togglePause: () => poller?.setPaused(!options.store.getState().cluster.paused),
  };
  // An interactive program (a pager) gets the terminal: the UI unmounts, the program runs, the UI
  // mounts again from the store, which kept everything.
  const suspended: { task: (() => Promise<void>) | null } = { task: null };
  const suspend = (task: () => Promise<void>) => {
    suspended.task = task;
    instance.unmount();
  };
  const { store, preflight, submit, loadPlanning, monitor, logs, shell, results, currentConfig, requestSetup } = options;
  const services = {
    store,
    refresh,
    ensurePolling,
    preflight,
    submit,
    loadPlanning,
    monitor,
    logs,
    shell,
    results,
    polling,
    currentConfig,
    suspend,
    requestSetup,
  };
  // What follows the screens without React: the log pane's file, the overview's ladder.
  const unfollow = [logs.follow(), followLadder(store, options.loadLadder)];
  if (options.setup) store.getState().setSetupRequest(options.setup);
  const mount = () =>
    render(
      <ServicesContext.Provider value={{ ...services, exit: () => instance.unmount() }}>
        <App version={options.version} />
      </ServicesContext.Provider>,
      // ctrl+c is a key like the others: it quits the overview but cancels the wizard. Store changes are
      // drawn at most once a frame (60 a second): a burst of them costs one frame, a key is drawn at once.
      { exitOnCtrlC: false, patchConsole: true, maxFps: 60 },
    );
  let instance = mount();
  try {
    for (;;) {
      await instance.waitUntilExit();
      const task = suspended.task;
      suspended.task = null;
      if (!task) break;
      leaveScreen(stdout);
      // The program reads the terminal itself: this process must not take its keys meanwhile.
      if (process.stdin.isTTY) process.stdin.setRawMode(false);
      process.stdin.pause();
      try {
        await task();
      } finally {
        enterScreen(stdout);
      }
      instance = mount();
    }
  } finally {
    options.submit.stopWaiting();
    options.monitor.stopWaiting();
    poller?.stop();
    for (const stop of unfollow) stop();
    options.shell.close();
    options.results.stop();
    leave();
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
  }
}
