import { RESULTS_CHARTS } from './results/slice.js';
import { composerReducer, type PresetName } from './compose/composer.js';
import { composeKey, type ComposeEffect } from './compose/keys.js';
import { commandFor, type Command, type InkKey } from './keybindings.js';
import { body, tooSmall, type Layout } from './layout.js';
import { lineStep } from './line.js';
import { monitorKey, type MonitorEffect } from './monitor/keys.js';
import { matchPalette, paletteEntries, viewForKey, type PaletteEntry, type View } from './navigation.js';
import { reviewKey, type ReviewEffect } from './review/keys.js';
import type { AppState, StatePatch, UiSlice } from './store.js';
import { clamp } from './ui-slice.js';
import type { QuickFilter } from '../monitor/grid.js';

/** What a key asks of the world, beyond the store: the app's services run these (src/app/effects.ts). */
export type AppEffect =
  | { kind: 'exit' }
  | { kind: 'go'; view: View }
  | { kind: 'back' }
  | { kind: 'refresh' }
  | { kind: 'preflight-rerun'; id: string }
  | { kind: 'preflight-all' }
  | { kind: 'cancel-probe' }
  | MonitorEffect
  | ComposeEffect
  | ReviewEffect;

export interface KeyStep {
  patch: StatePatch;
  effects: AppEffect[];
}

const nothing: KeyStep = { patch: {}, effects: [] };
const effect = (...effects: AppEffect[]): KeyStep => ({ patch: {}, effects });

/**
 * Whether the keys go to a line being typed or a question being asked (a filter, a search, the
 * palette, a confirmation, the shell, the wizard's fields): then number keys and `:` are text.
 */
export function typing(state: AppState): boolean {
  const { ui, compose, monitor, logs, shell } = state;
  return (
    ui.palette !== null ||
    ui.view === 'setup' ||
    ui.view === 'config-error' ||
    (ui.view === 'compose' && compose?.filtering === true) ||
    (ui.view === 'review' && ui.confirming) ||
    (ui.view === 'monitor' && (monitor.filtering || monitor.confirm !== null || logs.searching || shell !== null))
  );
}

/**
 * The one reader of the keyboard, without React: the palette, then the keys that work
 * everywhere, then the screen's own. The wizard reads its own keys (src/app/setup/keys.ts).
 */
export function routeKey(state: AppState, input: string, key: InkKey, layout: Layout): KeyStep {
  // ctrl+c leaves from anywhere, a line being typed included; only a shell in its pane takes it (to stop its program).
  if (key.ctrl && input === 'c' && !state.shell) return effect({ kind: 'exit' });
  if (tooSmall(layout)) return commandFor(input, key, 'overview') === 'quit' ? effect({ kind: 'exit' }) : nothing;
  if (state.ui.palette) return paletteKey(state, input, key);
  const view = state.ui.view;
  if (!typing(state)) {
    const command = commandFor(input, key, view);
    if (command === 'quit') return effect({ kind: 'exit' });
    if (command === 'help' || (state.ui.helpOpen && command === 'back')) return { patch: { ui: { helpOpen: !state.ui.helpOpen } }, effects: [] };
    // The help is modal: a key meant for the screen underneath would act unseen.
    if (state.ui.helpOpen) return nothing;
    if (command === 'palette') return { patch: { ui: { palette: { text: '', selected: 0 } } }, effects: [] };
    const target = command === 'go-to' ? viewForKey(input) : undefined;
    if (target) return effect({ kind: 'go', view: target });
    if (view === 'overview' || view === 'preflight' || view === 'results') return command ? listScreenCommand(state, command) : nothing;
  }
  switch (view) {
    case 'monitor': {
      const step = monitorKey(state, input, key, body(layout).height);
      return { patch: { monitor: step.monitor, logs: step.logs }, effects: step.effects };
    }
    case 'compose': {
      if (!state.compose) {
        // No valid configuration: the composer says so; esc and enter still lead away from it.
        const command = commandFor(input, key, 'compose');
        return command === 'back' ? effect({ kind: 'back' }) : command === 'review' ? effect({ kind: 'go', view: 'review' }) : nothing;
      }
      const step = composeKey(state.compose, input, key);
      return { patch: { compose: step.compose }, effects: step.effects };
    }
    case 'review': {
      const step = reviewKey(state, input, key);
      return { patch: { review: step.review, ...(step.confirming === undefined ? {} : { ui: { confirming: step.confirming } }) }, effects: step.effects };
    }
    default:
      return nothing;
  }
}

/** `r`: the results screen reads its folder again; elsewhere Slurm is asked now. */
const refreshOf = (view: View): AppEffect => (view === 'results' ? { kind: 'go', view: 'results' } : { kind: 'refresh' });

/** The overview's, the preflight's and the results' keys: lists to move in, and a few commands. */
function listScreenCommand(state: AppState, command: Command): KeyStep {
  const view = state.ui.view;
  const move = (delta: number): KeyStep => {
    if (view === 'preflight') return { patch: { preflight: { selected: state.preflight.selected + delta } }, effects: [] };
    const results = state.results;
    if (view === 'results')
      return results
        ? { patch: { results: { ...results, selected: clamp(results.selected + delta, results.board?.methods.length ?? 1) } }, effects: [] }
        : nothing;
    return { patch: { ui: { selectedJob: clamp(state.ui.selectedJob + delta, state.cluster.jobs?.length ?? 0) } }, effects: [] };
  };
  switch (command) {
    case 'refresh':
      return effect(refreshOf(view));
    case 'results':
    case 'preflight':
    case 'monitor':
    case 'compose':
    case 'setup':
      return effect({ kind: 'go', view: command });
    case 'back':
      return view !== 'overview' || state.ui.history.length > 0 ? effect({ kind: 'back' }) : nothing;
    case 'down':
      return move(1);
    case 'up':
      return move(-1);
    case 'rerun': {
      const current = state.preflight.results[state.preflight.selected];
      return current ? effect({ kind: 'preflight-rerun', id: current.id }) : nothing;
    }
    case 'rerun-all':
      return effect({ kind: 'preflight-all' });
    case 'chart': {
      const results = state.results;
      if (view !== 'results' || !results) return nothing;
      const next = RESULTS_CHARTS[(RESULTS_CHARTS.indexOf(results.chart) + 1) % RESULTS_CHARTS.length] ?? 'scores';
      return { patch: { results: { ...results, chart: next } }, effects: [] };
    }
    case 'cancel-probe':
      return effect({ kind: 'cancel-probe' });
    default:
      return nothing;
  }
}

/** The command palette (`:`): its line, its matches, and the entry that runs on enter. */
function paletteKey(state: AppState, input: string, key: InkKey): KeyStep {
  const p = state.ui.palette;
  if (!p) return nothing;
  const view = state.ui.view;
  const matches = matchPalette(paletteEntries(view), p.text);
  const palette = (next: UiSlice['palette']): KeyStep => ({ patch: { ui: { palette: next } }, effects: [] });
  const command = commandFor(input, key, view, 'palette');
  if (command === 'palette-next') return palette({ ...p, selected: Math.min(p.selected + 1, Math.max(0, matches.length - 1)) });
  if (command === 'palette-previous') return palette({ ...p, selected: Math.max(0, p.selected - 1) });
  if (command === 'line-erase' && p.text === '') return palette(null);
  const step = lineStep(p.text, input, key, view, 'palette');
  if (step.kind === 'clear') return palette(null);
  if (step.kind === 'text') return palette({ text: step.text, selected: 0 });
  if (step.kind === 'none') return nothing;
  const chosen = matches[Math.min(p.selected, matches.length - 1)];
  if (!chosen) return palette({ ...p, selected: 0 });
  const run = paletteEntry(state, chosen);
  return { patch: { ...run.patch, ui: { ...run.patch.ui, palette: null } }, effects: run.effects };
}

function paletteEntry(state: AppState, entry: PaletteEntry): KeyStep {
  if (entry.action.kind === 'view') return effect({ kind: 'go', view: entry.action.view });
  const name = entry.action.name;
  if (name === 'quit') return effect({ kind: 'exit' });
  if (name === 'help') return { patch: { ui: { helpOpen: !state.ui.helpOpen } }, effects: [] };
  if (name === 'refresh') return effect(refreshOf(state.ui.view));
  if (name.startsWith('preset-')) {
    return state.compose
      ? { patch: { compose: composerReducer(state.compose, { type: 'preset', name: name.slice('preset-'.length) as PresetName }) }, effects: [] }
      : nothing;
  }
  return { patch: { monitor: { quick: name.slice('show-'.length) as QuickFilter } }, effects: [] };
}
