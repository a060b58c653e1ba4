import { commandFor, type Command, type InkKey } from '../keybindings.js';
import { lineStep } from '../line.js';
import { composerReducer, type ComposerAction, type ComposerState, type PresetName } from './composer.js';

const PRESET_COMMANDS: Partial<Record<Command, PresetName>> = {
  'preset-container': 'container',
  'preset-baseline': 'baseline',
  'preset-smoke': 'smoke',
  'preset-full': 'full',
  'preset-recipes': 'recipes',
};

export type ComposeEffect = { kind: 'go'; view: 'review' } | { kind: 'back' } | { kind: 'save-plan' };

export interface ComposeStep {
  compose: ComposerState;
  effects: ComposeEffect[];
}

/** A key on the composer: the focused list's filter while it is typed, else the composer's commands. */
export function composeKey(state: ComposerState, input: string, key: InkKey): ComposeStep {
  const apply = (...actions: ComposerAction[]): ComposeStep => ({ compose: actions.reduce(composerReducer, state), effects: [] });
  if (state.filtering) {
    const typed = state.filter[state.focus];
    const step = lineStep(typed, input, key, 'compose');
    if (step.kind === 'clear') return apply({ type: 'filter-end', keep: false });
    if (step.kind === 'accept') return apply({ type: 'filter-end', keep: true });
    if (step.kind === 'none') return apply();
    return step.text.length < typed.length ? apply({ type: 'filter-backspace' }) : apply({ type: 'filter-type', text: step.text.slice(typed.length) });
  }
  const command = commandFor(input, key, 'compose');
  const preset = command ? PRESET_COMMANDS[command] : undefined;
  if (preset === 'recipes' && state.recipes.length === 0) {
    return apply({
      type: 'notice',
      notice: { text: "no recipes: the checkout has no commit.sh (or none of its lines could be read: see preflight's checkout row)", error: true },
    });
  }
  if (preset) return apply({ type: 'preset', name: preset });
  const effect = (e: ComposeEffect): ComposeStep => ({ compose: state, effects: [e] });
  switch (command) {
    case 'back':
      return effect({ kind: 'back' });
    case 'review':
      return effect({ kind: 'go', view: 'review' });
    case 'save-plan':
      return effect({ kind: 'save-plan' });
    case 'next-list':
      return apply({ type: 'focus', delta: 1 });
    case 'previous-list':
      return apply({ type: 'focus', delta: -1 });
    case 'down':
      return apply({ type: 'move', delta: 1 });
    case 'up':
      return apply({ type: 'move', delta: -1 });
    case 'toggle':
      return apply({ type: 'toggle' });
    case 'toggle-all':
      return apply({ type: 'toggle-all' });
    case 'filter':
      return apply({ type: 'filter-start' });
    case 'cycle-gpus':
      return apply({ type: 'cycle-gpus' });
    default:
      return apply();
  }
}
