import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AGENT_CONFIGS } from '../../src/catalog/agent-configs.js';
import { readCheckout } from '../../src/checkout/detect.js';
import { composerReducer, initialComposer } from '../../src/app/compose/composer.js';
import type { PlanningContext } from '../../src/app/compose/planning.js';
import type { InkKey } from '../../src/app/keybindings.js';
import { routeKey, type AppEffect } from '../../src/app/keys.js';
import { createAppStore, type AppStore } from '../../src/app/store.js';
import { wizardKey, configErrorKey } from '../../src/app/setup/keys.js';
import { followLadder } from '../../src/app/overview/ladder.js';
import { knownTo } from '../../src/plan/plan.js';
import type { Task } from '../../src/plan/task.js';
import { trackedJob } from '../helpers/jobs.js';
import { configIn } from '../helpers/config.js';
import { FIXTURE_CHECKOUT } from '../helpers/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'ptb-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const WIDE = { columns: 120, rows: 40 };
const task = (evalId: string): Task => ({
  kind: 'agent',
  eval: evalId,
  model: 'Qwen/Qwen3-1.7B-Base',
  agent: 'claude',
  config: 'claude-opus-4-6',
  hours: 10,
  gpus: 1,
  experiment: '_run1',
});

/** Types keys into the app as the terminal sends them (a string is one key each character), applying what the router decides; returns the effects asked for. */
function press(store: AppStore, ...keys: (string | InkKey)[]): AppEffect[] {
  const effects: AppEffect[] = [];
  for (const k of keys) {
    const [input, key] = typeof k === 'string' ? [k, {}] : ['', k];
    for (const ch of typeof k === 'string' ? [...input] : ['']) {
      const step = routeKey(store.getState(), ch, key, WIDE);
      store.getState().applyPatch(step.patch);
      effects.push(...step.effects);
    }
  }
  return effects;
}

const ENTER: InkKey = { return: true };
const ESC: InkKey = { escape: true };
const BACKSPACE: InkKey = { backspace: true };

function monitorWith(
  jobs = [
    trackedJob('7', 'RUNNING', task('bfcl')),
    trackedJob('8', 'PENDING', task('humaneval')),
    trackedJob('6', 'FAILED', task('aime2025'), { diagnosisKind: 'agent-crash' }),
    trackedJob('5', 'COMPLETED', task('gsm8k'), { scored: true }),
  ],
): AppStore {
  const store = createAppStore({ checkout: null, view: 'monitor' });
  store.getState().updateMonitor(() => ({ jobs }));
  return store;
}
const selected = (store: AppStore) => store.getState().monitor.selectedId;

describe('the monitor keys, without rendering', () => {
  it('moves the selection over the grid rows, marks jobs, and marks all or none', () => {
    const store = monitorWith();
    expect(store.getState().monitor.rows.map((r) => (r.kind === 'job' ? r.job.id : ''))).toEqual(['7', '8', '6', '5']);
    press(store, 'j', 'j');
    expect(selected(store)).toBe('6');
    press(store, 'k', 'G');
    expect(selected(store)).toBe('5');
    press(store, 'g', ' ');
    // space marks the row and moves on, as in a file manager.
    expect(store.getState().monitor.marked).toEqual(['7']);
    expect(selected(store)).toBe('8');
    press(store, 'a');
    expect(store.getState().monitor.marked).toEqual([]);
    press(store, 'a');
    expect(store.getState().monitor.marked).toEqual(['7', '8', '6', '5']);
  });

  it('filters as the user types: backspace erases, enter keeps, esc clears; number keys are text meanwhile', () => {
    const store = monitorWith();
    const effects = press(store, '/', 'humx', BACKSPACE, '2');
    expect(effects).toEqual([]);
    expect(store.getState().monitor).toMatchObject({ filter: 'hum2', filtering: true });
    press(store, BACKSPACE, ENTER);
    expect(store.getState().monitor).toMatchObject({ filter: 'hum', filtering: false });
    expect(store.getState().monitor.rows).toHaveLength(1);
    press(store, '/', ESC);
    expect(store.getState().monitor).toMatchObject({ filter: '', filtering: false });
    expect(store.getState().monitor.rows).toHaveLength(4);
  });

  it('asks before it cancels, acts on y only, and offers nothing a job cannot take', () => {
    const store = monitorWith();
    expect(press(store, 'c')).toEqual([]);
    expect(store.getState().monitor.confirm).toEqual({ action: 'cancel', ids: ['7'] });
    // While it asks, a number key is an answer (no), not a way to another screen.
    expect(press(store, '3')).toEqual([]);
    expect(store.getState().monitor).toMatchObject({ confirm: null, message: { text: 'cancel: nothing done' } });
    press(store, 'c');
    expect(press(store, 'y')).toEqual([{ kind: 'act', action: 'cancel', ids: ['7'] }]);
    // The failed job: nothing to cancel, but a resubmission to ask about.
    press(store, 'j', 'j', 'c');
    expect(store.getState().monitor).toMatchObject({ confirm: null, message: { text: 'nothing to cancel among the selected job(s)', tone: 'error' } });
    press(store, 'r');
    expect(store.getState().monitor.confirm).toEqual({ action: 'resubmit', ids: ['6'] });
    press(store, 'n');
    store.getState().updateMonitor(() => ({ acting: true }));
    press(store, 'r');
    expect(store.getState().monitor).toMatchObject({ confirm: null, message: { text: 'still working on the last action...' } });
  });

  it('scrolls the open log by pages, searches it in full screen, and closes what is open with esc, one thing at a time', () => {
    const store = monitorWith();
    press(store, 'l');
    store.getState().updateLogs(() => ({ lines: Array.from({ length: 100 }, (_, i) => (i === 20 ? 'Traceback: CUDA error' : `line ${i}`)) }));
    press(store, { ctrl: true }, 'u');
    expect(store.getState().logs.scroll).toBe(0);
    press(store, { pageUp: true });
    // Half the 35-row body, less the pane's own lines.
    expect(store.getState().logs.scroll).toBe(13);
    press(store, 'z', '/', 'cuda', ENTER);
    expect(store.getState().logs).toMatchObject({ searching: false, search: 'cuda', scroll: 79 });
    expect(press(store, ESC)).toEqual([]);
    expect(store.getState().logs).toMatchObject({ open: true, full: false });
    press(store, ESC);
    expect(store.getState().logs.open).toBe(false);
    expect(press(store, ESC)).toEqual([{ kind: 'back' }]);
  });

  it('gives the shell pane every key but ctrl+], which ends the shell', () => {
    const store = monitorWith();
    store.getState().setShell(() => ({ jobId: '7', command: 'bash', lines: [], cursorX: 0, cursorY: 0, exited: null, printed: true }));
    expect(press(store, 'q', '3', ESC, { upArrow: true })).toEqual([
      { kind: 'shell-write', bytes: 'q' },
      { kind: 'shell-write', bytes: '3' },
      { kind: 'shell-write', bytes: '\x1b' },
      { kind: 'shell-write', bytes: '\x1b[A' },
    ]);
    // ctrl+c goes to the shell's program, not to ptb.
    expect(routeKey(store.getState(), 'c', { ctrl: true }, WIDE).effects).toEqual([{ kind: 'shell-write', bytes: '\x03' }]);
    expect(press(store, '\x1d')).toEqual([{ kind: 'shell-close' }]);
  });

  it('opens a shell only on a running job, and the pager only on an open log', () => {
    const store = monitorWith();
    expect(press(store, 's')).toEqual([{ kind: 'shell-open', id: '7' }]);
    press(store, 'j', 's');
    expect(store.getState().monitor.message?.text).toBe('job 8 is PENDING: a shell needs a running job');
    expect(press(store, 'o')).toEqual([]);
    expect(store.getState().monitor.message?.text).toMatch(/^open the log pane \(l\)/);
    store.getState().updateLogs(() => ({ open: true, path: '/x/output.log' }));
    expect(press(store, 'o')).toEqual([{ kind: 'log-pager', path: '/x/output.log' }]);
  });

  it('computes the rows once per change of the jobs or the view of them, not per key', () => {
    const store = monitorWith();
    const rows = store.getState().monitor.rows;
    press(store, 'j', ' ');
    expect(store.getState().monitor.rows).toBe(rows);
    // A look at Slurm that hands the same jobs back changes nothing: no listener hears of it, no frame is drawn.
    let heard = 0;
    const unsubscribe = store.subscribe(() => (heard += 1));
    store.getState().updateMonitor((m) => ({ jobs: m.jobs, accounting: m.accounting }));
    expect(heard).toBe(0);
    unsubscribe();
    press(store, 'f');
    expect(store.getState().monitor.rows).not.toBe(rows);
    expect(store.getState().monitor.rows.map((r) => (r.kind === 'job' ? r.job.id : ''))).toEqual(['7']);
  });
});

describe('the keys that work everywhere', () => {
  it('opens screens by number, except while a line is typed or a question asked', () => {
    const store = createAppStore({ checkout: null });
    expect(press(store, '6')).toEqual([{ kind: 'go', view: 'monitor' }]);
    store.getState().setView('monitor');
    press(store, '/');
    expect(press(store, '4')).toEqual([]);
    expect(store.getState().monitor.filter).toBe('4');
  });

  it('runs the palette: typed text narrows, tab moves, enter runs the highlighted entry and closes it', () => {
    const store = createAppStore({ checkout: null });
    press(store, ':', 'resu');
    expect(store.getState().ui.palette).toEqual({ text: 'resu', selected: 0 });
    expect(press(store, ENTER)).toEqual([{ kind: 'go', view: 'results' }]);
    expect(store.getState().ui.palette).toBeNull();
    press(store, ':', BACKSPACE);
    expect(store.getState().ui.palette).toBeNull();
    store.getState().setView('monitor');
    press(store, ':', 'show fail', ENTER);
    expect(store.getState().monitor.quick).toBe('failed');
  });

  it('keeps the help modal, quits with q or ctrl+c, and takes only q on a terminal too small', () => {
    const store = createAppStore({ checkout: null });
    press(store, '?');
    expect(store.getState().ui.helpOpen).toBe(true);
    expect(press(store, '6', 'j')).toEqual([]);
    press(store, ESC);
    expect(store.getState().ui.helpOpen).toBe(false);
    expect(press(store, 'q')).toEqual([{ kind: 'exit' }]);
    expect(routeKey(store.getState(), 'c', { ctrl: true }, WIDE).effects).toEqual([{ kind: 'exit' }]);
    expect(routeKey(store.getState(), '6', {}, { columns: 50, rows: 10 }).effects).toEqual([]);
    expect(routeKey(store.getState(), 'q', {}, { columns: 50, rows: 10 }).effects).toEqual([{ kind: 'exit' }]);
    // A control key held by mistake is not the letter: ctrl+r does not refresh, ctrl+s does not submit.
    expect(routeKey(store.getState(), 'r', { ctrl: true }, WIDE).effects).toEqual([]);
  });

  it('moves in the preflight and results lists, and re-runs the selected check', () => {
    const store = createAppStore({ checkout: null, view: 'preflight' });
    store.getState().updatePreflight(() => ({
      results: [
        { id: 'a', status: 'pass' },
        { id: 'b', status: 'fail' },
      ] as never,
    }));
    press(store, 'j', 'j', 'j');
    expect(store.getState().preflight.selected).toBe(1);
    expect(press(store, 'r', 'R', 'c')).toEqual([{ kind: 'preflight-rerun', id: 'b' }, { kind: 'preflight-all' }, { kind: 'cancel-probe' }]);
  });
});

describe('the composer and the review keys', () => {
  const known = { evals: ['gsm8k', 'humaneval'], agents: ['claude'], agentConfigs: AGENT_CONFIGS };

  it('types into the focused list filter, says why there are no recipes, and goes on to the review', () => {
    const store = createAppStore({ checkout: null, view: 'compose' });
    store.getState().setCompose(initialComposer(known, 'standard'));
    press(store, 'l', '/', 'hum', BACKSPACE, ENTER);
    expect(store.getState().compose).toMatchObject({ focus: 'evals', filtering: false, filter: { evals: 'hu' } });
    press(store, '/', ESC);
    expect(store.getState().compose?.filter.evals).toBe('');
    press(store, 'u');
    expect(store.getState().compose?.notice).toEqual({ text: expect.stringMatching(/^no recipes: the checkout has no commit.sh/), error: true });
    expect(press(store, 'w', ENTER)).toEqual([{ kind: 'save-plan' }, { kind: 'go', view: 'review' }]);
  });

  function reviewStore(keys: string[]): AppStore {
    const config = configIn(mkdtempSync(join(dir, 'review-')), FIXTURE_CHECKOUT);
    const root = dirname(config.resultsDir);
    const checkout = readCheckout(FIXTURE_CHECKOUT);
    const vocabulary = knownTo(config, checkout);
    const planning: PlanningContext = {
      config,
      checkout,
      vocabulary,
      storedKeys: keys,
      secretsFile: join(root, 'secrets.env'),
      secretsProblem: null,
      ladder: [],
      ledgerFile: join(root, 'ledger.jsonl'),
      exported: ['PATH'],
    };
    const store = createAppStore({ checkout, view: 'review' });
    store.getState().setPlanning(planning);
    store.getState().setCompose(composerReducer(initialComposer(vocabulary, 'standard'), { type: 'preset', name: 'baseline' }));
    return store;
  }

  it('submits only after y, and not while something blocks the plan: o then shows what blocks it', () => {
    const store = reviewStore([]);
    // The baseline's images are missing: the plan is blocked, s does not ask.
    press(store, 's');
    expect(store.getState().ui.confirming).toBe(false);
    const [pager] = press(store, 'o');
    expect(pager).toEqual({ kind: 'text-pager', text: expect.stringMatching(/^blocked: .*\/containers\/(standard|vllm_debug)\.sif is missing/) });
  });

  it('asks before submitting, and the pager shows the sbatch line ptb submit runs with the script', () => {
    const store = reviewStore([]);
    const containers = store.getState().planning?.config.containersDir ?? '';
    for (const image of ['standard', 'vllm_debug']) writeFileSync(join(containers, `${image}.sif`), '');
    // A fresh plan object: the review prepares it again (the files changed).
    store.getState().setCompose({ ...store.getState().compose! });
    press(store, 's');
    expect(store.getState().ui.confirming).toBe(true);
    expect(press(store, 'x')).toEqual([]);
    expect(store.getState().ui.confirming).toBe(false);
    press(store, 's');
    expect(press(store, 'y')).toEqual([{ kind: 'submit', dryRun: false }]);
    expect(press(store, 'd')).toEqual([{ kind: 'submit', dryRun: true }]);
    const [pager] = press(store, 'o');
    expect(pager).toEqual({
      kind: 'text-pager',
      text: expect.stringMatching(/^sbatch --parsable '--comment=ptb1\|[^']*' --export=PATH SCRIPT\n\n#!\/bin\/bash/),
    });
  });
});

describe('the wizard keys', () => {
  it('types every key into the field but its own, and a paste as it comes', () => {
    expect(wizardKey('q', {})).toEqual([{ type: 'type', text: 'q' }]);
    expect(wizardKey('3', {})).toEqual([{ type: 'type', text: '3' }]);
    expect(wizardKey('', ENTER)).toEqual([{ type: 'enter' }]);
    expect(wizardKey('', ESC)).toEqual([{ type: 'back' }]);
    expect(wizardKey('', { tab: true, shift: true })).toEqual([{ type: 'field', delta: -1 }]);
    expect(wizardKey('', { rightArrow: true })).toEqual([{ type: 'cycle', delta: 1 }]);
    expect(wizardKey('', BACKSPACE)).toEqual([{ type: 'backspace' }]);
    expect(wizardKey('u', { ctrl: true })).toEqual([{ type: 'clear' }]);
    expect(wizardKey('c', { ctrl: true })).toBe('cancel');
    expect(wizardKey('x', { ctrl: true })).toEqual([]);
    expect(wizardKey('/data\r/x', {})).toEqual([{ type: 'type', text: '/data' }, { type: 'enter' }, { type: 'type', text: '/x' }]);
  });

  it('offers the backup of a broken configuration only when there is one', () => {
    expect(configErrorKey('b', {}, true)).toBe('backup');
    expect(configErrorKey('b', {}, false)).toBeNull();
    expect(configErrorKey('d', {}, false)).toBe('defaults');
    expect(configErrorKey('q', {}, false)).toBe('quit');
    expect(configErrorKey('x', {}, true)).toBeNull();
  });
});

describe('what follows the screens without React', () => {
  it("reads the overview's ladder on the way in and when a ptb job changes state, not at every look at Slurm", () => {
    const store = createAppStore({ checkout: null, view: 'monitor' });
    let reads = 0;
    const stop = followLadder(store, () => {
      reads += 1;
      return [];
    });
    expect(reads).toBe(0);
    store.getState().setView('overview');
    expect(reads).toBe(1);
    const jobs = [trackedJob('7', 'RUNNING', task('bfcl'))];
    store.getState().updateMonitor(() => ({ jobs }));
    expect(reads).toBe(2);
    // Another look at Slurm with the same states: nothing to read again.
    store.getState().updateMonitor(() => ({ jobs: jobs.map((j) => ({ ...j, elapsedSeconds: j.elapsedSeconds + 5 })) }));
    expect(reads).toBe(2);
    store.getState().updateMonitor(() => ({ jobs: [trackedJob('7', 'COMPLETED', task('bfcl'))] }));
    expect(reads).toBe(3);
    stop();
    store.getState().setView('monitor');
    store.getState().setView('overview');
    expect(reads).toBe(3);
  });
});
