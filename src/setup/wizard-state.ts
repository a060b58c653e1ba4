import type { KeyName } from '../config/agent-needs.js';
import { checkSecretValue } from '../config/secrets.js';
import type { Draft } from './draft.js';
import { keysToAsk, partitionSuggestions, STEPS, stepProblems, timeForHours, type StepSpec, type WizardContext } from './wizard-model.js';

/** The wizard's whole state: pure data, changed only by {@link wizardReducer}. */
export interface WizardState {
  step: number;
  field: number;
  draft: Draft;
  /** Keys typed in this session (never shown in full, stored only in the secrets file). */
  typedKeys: Partial<Record<KeyName, string>>;
  /** Set once the user tried to leave a step with problems: from then on they are shown. */
  showProblems: boolean;
  /** Whether the time limit still follows the hours (until the user edits it, or it was saved different). */
  timeFollowsHours: boolean;
  /** Counts the enters on the review step: each asks the screen to save. Kept here, not decided in the
   *  key handler, because that handler can still hold the previous step's state (see 'enter'). */
  saveRequests: number;
}

export type WizardAction =
  | { type: 'type'; text: string }
  | { type: 'backspace' }
  | { type: 'clear' }
  | { type: 'field'; delta: 1 | -1 }
  | { type: 'cycle'; delta: 1 | -1 }
  | { type: 'next' }
  /** Next field, or next step from the last field. Decided here, on the current state: input
   *  handlers can run with the previous render's state when keys arrive quickly (a paste). */
  | { type: 'enter' }
  | { type: 'back' };

/**
 * What a chunk of terminal input means for the wizard. Fast typing and pastes arrive as one
 * chunk, control keys included (ctrl+u, enter, then text): each is applied in order, and no control
 * character ever lands in a value.
 */
export function inputActions(input: string): WizardAction[] {
  const actions: WizardAction[] = [];
  let text = '';
  const flush = () => {
    if (text !== '') actions.push({ type: 'type', text });
    text = '';
  };
  for (const ch of input) {
    if (ch === '\x15') {
      flush();
      actions.push({ type: 'clear' });
    } else if (ch === '\x7f' || ch === '\b') {
      flush();
      actions.push({ type: 'backspace' });
    } else if (ch === '\r' || ch === '\n') {
      flush();
      actions.push({ type: 'enter' });
    } else if (ch === '\t') {
      flush();
      actions.push({ type: 'field', delta: 1 });
    } else if (ch >= ' ' && ch !== '\x7f') text += ch;
  }
  flush();
  return actions;
}

export function initialWizardState(draft: Draft): WizardState {
  return { step: 0, field: 0, draft, typedKeys: {}, showProblems: false, timeFollowsHours: draft.time === timeForHours(draft.hours), saveRequests: 0 };
}

export function currentStep(state: WizardState): StepSpec {
  return STEPS[state.step] ?? STEPS[0]!;
}

/** How many editable rows the current step has (the keys step: one per needed key). */
export function fieldCount(state: WizardState): number {
  const step = currentStep(state);
  return step.id === 'keys' ? keysToAsk(state.draft).length : step.fields.length;
}

/** Applies one edit to the draft, keeping derived suggestions in step with what they came from. */
function edit(state: WizardState, ctx: WizardContext, change: (value: string) => string): WizardState {
  const step = currentStep(state);
  if (step.id === 'keys') {
    const key = keysToAsk(state.draft)[state.field];
    if (!key) return state;
    return { ...state, typedKeys: { ...state.typedKeys, [key]: change(state.typedKeys[key] ?? '') } };
  }
  const spec = step.fields[state.field];
  if (!spec) return state;
  const before = state.draft;
  const draft = { ...before, [spec.key]: change(before[spec.key]) };
  // A time limit still at its default follows the hours.
  if (spec.key === 'hours' && state.timeFollowsHours) draft.time = timeForHours(draft.hours) || before.time;
  // GRES, constraint and tmp still at the old partition's suggestions follow the partition.
  if (spec.key === 'partition') {
    const old = partitionSuggestions(ctx.partitions.find((p) => p.name === before.partition));
    const next = partitionSuggestions(ctx.partitions.find((p) => p.name === draft.partition));
    for (const k of ['gres', 'constraint', 'tmp'] as const) if (before[k] === old[k]) draft[k] = next[k];
  }
  return { ...state, draft, timeFollowsHours: state.timeFollowsHours && spec.key !== 'time' };
}

export function wizardReducer(state: WizardState, action: WizardAction, ctx: WizardContext): WizardState {
  const step = currentStep(state);
  const spec = step.fields[state.field];
  switch (action.type) {
    case 'type':
      if (spec?.choices) return state;
      return edit(state, ctx, (v) => v + action.text.replace(/[\r\n\t]/g, ''));
    case 'backspace':
      if (spec?.choices) return state;
      return edit(state, ctx, (v) => v.slice(0, -1));
    case 'clear':
      if (spec?.choices) return state;
      return edit(state, ctx, () => '');
    case 'cycle': {
      if (!spec?.choices) return state;
      const options = spec.choices(state.draft, ctx);
      if (options.length === 0) return state;
      const index = options.indexOf(state.draft[spec.key]);
      const next = options[(index + action.delta + options.length) % options.length] ?? '';
      return edit(state, ctx, () => next);
    }
    case 'field': {
      const count = fieldCount(state);
      if (count === 0) return state;
      return { ...state, field: Math.max(0, Math.min(count - 1, state.field + action.delta)) };
    }
    case 'enter':
      return state.field < fieldCount(state) - 1 ? wizardReducer(state, { type: 'field', delta: 1 }, ctx) : wizardReducer(state, { type: 'next' }, ctx);
    case 'next': {
      if (step.id === 'keys') {
        const bad = resolvedKeys(state, ctx).findIndex((k) => k.problem !== undefined);
        if (bad >= 0) return { ...state, showProblems: true, field: bad };
      }
      const problems = stepProblems(step, state.draft, ctx);
      if (problems.length > 0) {
        const first = step.fields.findIndex((f) => f.key === problems[0]?.field);
        return { ...state, showProblems: true, field: Math.max(0, first) };
      }
      if (state.step >= STEPS.length - 1) return { ...state, saveRequests: state.saveRequests + 1 };
      return { ...state, step: state.step + 1, field: 0, showProblems: false };
    }
    case 'back':
      if (state.step === 0) return state;
      return { ...state, step: state.step - 1, field: 0, showProblems: false };
  }
}

/**
 * The value each needed key will have: typed now, else found in the environment or the secrets
 * file; with what is wrong with a typed or exported one (it would be stored as it is).
 */
export function resolvedKeys(
  state: WizardState,
  ctx: WizardContext,
): { name: KeyName; value: string; source: 'typed' | 'environment' | 'secrets file' | 'missing'; problem?: string }[] {
  return keysToAsk(state.draft).map((name) => {
    const typed = state.typedKeys[name];
    if (typed) return withProblem({ name, value: typed, source: 'typed' });
    const known = ctx.knownKeys[name];
    return known ? withProblem({ name, value: known.value, source: known.source }) : { name, value: '', source: 'missing' };
  });
}

function withProblem<K extends { value: string; source: string }>(key: K): K & { problem?: string } {
  const problem = key.source === 'secrets file' ? undefined : checkSecretValue(key.value);
  return problem ? { ...key, problem } : key;
}
