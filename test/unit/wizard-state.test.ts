import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configFromDraft, defaultDraft } from '../../src/setup/draft.js';
import { stepProblems, type WizardContext } from '../../src/setup/wizard-model.js';
import {
  currentStep,
  initialWizardState,
  inputActions,
  resolvedKeys,
  wizardReducer,
  type WizardAction,
  type WizardState,
} from '../../src/setup/wizard-state.js';
import { parseSinfo, summarisePartitions } from '../../src/slurm/sinfo.js';
import { golden } from '../helpers/golden.js';
import { FIXTURE_CHECKOUT } from '../helpers/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'ptb-wizard-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const partitions = summarisePartitions(parseSinfo(golden('sinfo-idle').stdout));
const ctx: WizardContext = { partitions, knownKeys: { OPENAI_API_KEY: { value: 'sk-proj-from-the-environment-1234', source: 'environment' } } };
const start = () => initialWizardState(defaultDraft({ env: { HOME: dir, HF_HOME: dir }, cwd: FIXTURE_CHECKOUT, partitions }));
const apply = (state: WizardState, ...actions: WizardAction[]) => actions.reduce((s, a) => wizardReducer(s, a, ctx), state);
const next: WizardAction = { type: 'next' };

describe('the setup wizard, as data', () => {
  it('applies a chunk of input in order: ctrl+u, text, backspace; no control character kept', () => {
    expect(inputActions('\x15/tmp/a\x7fb\x01')).toEqual([
      { type: 'clear' },
      { type: 'type', text: '/tmp/a' },
      { type: 'backspace' },
      { type: 'type', text: 'b' },
    ]);
    expect(inputActions('\r\rx')).toEqual([{ type: 'enter' }, { type: 'enter' }, { type: 'type', text: 'x' }]);
  });

  it('proposes defaults from the environment, the checkout and sinfo', () => {
    const { draft } = start();
    expect(draft).toMatchObject({
      checkout: FIXTURE_CHECKOUT,
      hfHome: dir,
      resultsDir: join(FIXTURE_CHECKOUT, 'results'),
      containersDir: join(FIXTURE_CHECKOUT, 'containers'),
      containerName: 'standard',
      partition: 'gpu',
      gres: 'gpu:h100:1',
      constraint: 'h100',
      cpusPerTask: '16',
      mem: '128G',
      time: '12:00:00',
      tmp: '400G',
      home: dir,
    });
  });

  it('will not leave a step with a problem, and points at the field', () => {
    let state = apply(start(), next);
    expect(currentStep(state).id).toBe('paths');
    state = apply(state, { type: 'field', delta: 1 }, { type: 'clear' }, { type: 'type', text: 'results' }, next);
    expect(currentStep(state).id).toBe('paths');
    expect(state.showProblems).toBe(true);
    expect(state.field).toBe(1);
    state = apply(state, { type: 'clear' }, { type: 'type', text: join(dir, 'results') }, next);
    expect(currentStep(state).id).toBe('run');
    expect(apply(state, { type: 'back' }).step).toBe(1);
  });

  it('keeps the time limit in step with the hours until the user edits it', () => {
    let state = apply(start(), next, next);
    expect(currentStep(state).id).toBe('run');
    state = apply(state, { type: 'field', delta: 1 }, { type: 'clear' }, { type: 'type', text: '50' });
    expect(state.draft.time).toBe('2-04:00:00');
    state = apply(state, next, { type: 'field', delta: 1 }, { type: 'field', delta: 1 });
    state = { ...state, field: 7 };
    state = apply(state, { type: 'clear' }, { type: 'type', text: '3-00:00:00' }, { type: 'back' }, { type: 'field', delta: 1 }, { type: 'type', text: '0' });
    expect(state.draft.hours).toBe('500');
    expect(state.draft.time).toBe('3-00:00:00');
  });

  it('cycles partitions with the arrows, and GRES/constraint/tmp follow the partition', () => {
    let state = apply(start(), next, next, next);
    expect(currentStep(state).id).toBe('slurm');
    state = apply(state, { type: 'cycle', delta: 1 });
    expect(state.draft.partition).toBe('cpu');
    expect(state.draft.gres).toBe('gpu:h100:1');
    state = apply(state, { type: 'type', text: 'x' });
    expect(state.draft.partition).toBe('cpu');
  });

  it('checks Slurm values against what the partition offers', () => {
    let state = apply(start(), next, next, next);
    state = apply(state, { type: 'field', delta: 1 }, { type: 'clear' }, { type: 'type', text: 'gpu:a100:1' }, next);
    expect(currentStep(state).id).toBe('slurm');
    state = apply(state, { type: 'clear' }, { type: 'type', text: 'gpu:h100:1' });
    for (let i = 0; i < 4; i++) state = apply(state, { type: 'field', delta: 1 });
    state = apply(state, { type: 'clear' }, { type: 'type', text: '128' }, next);
    expect(state.field).toBe(5);
    state = apply(state, { type: 'clear' }, { type: 'type', text: '16' }, next);
    expect(currentStep(state).id).toBe('keys');
  });

  it('refuses a memory without a unit at its field, saying how Slurm would read it', () => {
    let state = apply(start(), next, next, next);
    for (let i = 0; i < 6; i++) state = apply(state, { type: 'field', delta: 1 });
    state = apply(state, { type: 'clear' }, { type: 'type', text: '128' }, next);
    expect(currentStep(state).id).toBe('slurm');
    expect(state.field).toBe(6);
    expect(stepProblems(currentStep(state), state.draft, ctx)).toEqual([
      { field: 'mem', message: '128 has no unit, and Slurm would read it as 128 megabytes: write 128G for 128 gigabytes, or 128M if megabytes are meant' },
    ]);
    state = apply(state, { type: 'type', text: 'G' }, next);
    expect(currentStep(state).id).toBe('keys');
  });

  it('refuses a key with a quote, a space or too short a value at its own row, not at the save', () => {
    let state = apply(start(), next, next, next, next);
    expect(currentStep(state).id).toBe('keys');
    for (const [text, says] of [
      ["sk-ant-it's-0123456789", 'an API key has no spaces, quotes, backslashes or line breaks'],
      ['sk-ant-two words-0123', 'an API key has no spaces'],
      ['a b', 'an API key has no spaces'],
      ['abc123', 'too short for an API key (8 characters at least)'],
    ] as const) {
      state = apply(state, { type: 'clear' }, { type: 'type', text }, next);
      expect(currentStep(state).id, text).toBe('keys');
      expect(state).toMatchObject({ field: 0, showProblems: true });
      expect(resolvedKeys(state, ctx)[0]?.problem).toContain(says);
    }
    // An exported key is checked too: it would be stored as it is.
    const bad: WizardContext = { ...ctx, knownKeys: { OPENAI_API_KEY: { value: 'short', source: 'environment' } } };
    state = apply(state, { type: 'clear' }, { type: 'type', text: 'sk-ant-typed-0123456789' });
    const blocked = wizardReducer(state, next, bad);
    expect(blocked).toMatchObject({ field: 1, showProblems: true });
    expect(currentStep(blocked).id).toBe('keys');
    expect(currentStep(apply(state, next)).id).toBe('review');
  });

  it('asks for the keys the agents need, typed or found, and builds a valid configuration', () => {
    let state = apply(start(), next, next, next, next);
    expect(currentStep(state).id).toBe('keys');
    state = apply(state, { type: 'type', text: 'sk-ant-typed-0123456789' });
    expect(resolvedKeys(state, ctx).map((k) => [k.name, k.source])).toEqual([
      ['ANTHROPIC_API_KEY', 'typed'],
      ['OPENAI_API_KEY', 'environment'],
    ]);
    state = apply(state, next);
    expect(currentStep(state).id).toBe('review');
    const built = configFromDraft(state.draft);
    expect(built.ok && built.config).toMatchObject({ hours: 10, agents: ['claude'], slurm: { cpusPerTask: 16, partition: 'gpu' } });
  });
});
