import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { Wizard } from '../../components/setup/Wizard.js';
import type { Config } from '../../src/config/schema.js';
import { defaultDraft } from '../../src/setup/draft.js';
import type { SaveResult } from '../../src/setup/save-setup.js';
import type { WizardContext } from '../../src/setup/wizard-model.js';
import { parseSinfo, summarisePartitions } from '../../src/slurm/sinfo.js';
import { golden } from '../helpers/golden.js';
import { FIXTURE_CHECKOUT } from '../helpers/paths.js';
import { keys } from '../helpers/pty-session.js';
import { waitFor } from '../helpers/wait.js';

const dir = mkdtempSync(join(tmpdir(), 'ptb-wizard-ui-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const partitions = summarisePartitions(parseSinfo(golden('sinfo-idle').stdout));
const SECRET = 'sk-ant-api03-THIS-MUST-NEVER-SHOW-wxyz';

function wizard(context: Partial<WizardContext> = {}) {
  const save = vi.fn((_config: Config, _keys: Record<string, string>): SaveResult => ({ ok: true, keysStored: [], dotEnvWritten: null }));
  const onDone = vi.fn();
  const draft = defaultDraft({ env: { HOME: dir, HF_HOME: dir }, cwd: FIXTURE_CHECKOUT, partitions });
  const app = render(
    <Wizard
      initialDraft={draft}
      context={{ partitions, knownKeys: {}, ...context }}
      editing={false}
      configFile={join(dir, 'config.json')}
      save={save}
      onDone={onDone}
      width={100}
    />,
  );
  const screen = () => app.lastFrame() ?? '';
  const see = (text: string | RegExp) =>
    waitFor(() => (typeof text === 'string' ? screen().includes(text) : text.test(screen())), {
      timeoutMs: 3_000,
      what: String(text),
      describe: () => screen(),
      intervalMs: 10,
    });
  const press = async (input: string, expectText?: string | RegExp) => {
    app.stdin.write(input);
    if (expectText !== undefined) await see(expectText);
  };
  /** Enter walks a step's fields, then leaves the step: press it until `step` is on screen. */
  const advanceTo = async (step: string) => {
    for (let i = 0; i < 30 && !screen().includes(step); i++) {
      const before = screen();
      app.stdin.write(keys.enter);
      await waitFor(() => screen() !== before, {
        timeoutMs: 3_000,
        what: 'the screen to react to enter',
        describe: () => `${screen()}\nframes:\n${app.frames.slice(-4).join('\n----\n')}`,
        intervalMs: 5,
      });
    }
    await see(step);
  };
  return { app, save, onDone, screen, see, press, advanceTo };
}

describe('the setup wizard on screen', () => {
  it('checks the checkout as it is typed, and moves on with enter', async () => {
    const w = wizard();
    await w.see('step 1/6: PostTrainBench checkout');
    await w.see(/Checkout\s+.*ptb-checkout_ ok/);
    await w.press('\x15', /Checkout\s+_/);
    await w.see('! required');
    await w.press('/nonexistent', '! does not exist');
    await w.press('\x15');
    await w.press(FIXTURE_CHECKOUT, /ptb-checkout_ ok/);
    await w.press(keys.enter, 'step 2/6: Paths');
    w.app.unmount();
  });

  it('refuses to go on while a field is wrong, shows why, and goes back with esc', async () => {
    const w = wizard();
    await w.press(keys.enter, 'step 2/6: Paths');
    await w.press(keys.down);
    await w.press('\x15');
    await w.press('relative/results', 'must be an absolute path');
    for (let i = 0; i < 4; i++) await w.press(keys.enter);
    await w.see('step 2/6: Paths');
    await w.press('\x1b');
    await w.see('step 1/6');
    w.app.unmount();
  });

  it('chooses the partition with the arrows, lists GPU partitions first', async () => {
    const w = wizard();
    await w.advanceTo('step 4/6: Slurm resources');
    await w.see(/Partition\s+< gpu >/);
    await w.press('\x1b[C', /Partition\s+< cpu >/);
    await w.press('\x1b[D', /Partition\s+< gpu >/);
    w.app.unmount();
  });

  it('never shows a typed key, and saves it with the configuration', async () => {
    const w = wizard({ knownKeys: { OPENAI_API_KEY: { value: 'sk-proj-known-from-env-abcd1234', source: 'environment' } } });
    await w.advanceTo('step 5/6: API keys');
    await w.see(/OPENAI_API_KEY\s+\*\*\*\*1234\s+from the environment/);
    await w.press(SECRET, /ANTHROPIC_API_KEY\s+\*+_\s+from what you typed/);
    expect(w.screen()).not.toContain('wxyz');
    await w.press(keys.enter);
    await w.press(keys.enter, 'step 6/6: Review and save');
    expect(w.screen()).not.toContain('THIS-MUST-NEVER-SHOW');
    await w.press(keys.enter);
    await waitFor(() => w.onDone.mock.calls.length > 0, { timeoutMs: 3_000, what: 'onDone' });
    expect(w.onDone).toHaveBeenCalledWith('saved');
    const [config, stored] = w.save.mock.calls[0]!;
    expect(config).toMatchObject({ checkout: FIXTURE_CHECKOUT, hours: 10, slurm: { partition: 'gpu', gres: 'gpu:h100:1' } });
    expect(stored).toEqual({ ANTHROPIC_API_KEY: SECRET, OPENAI_API_KEY: 'sk-proj-known-from-env-abcd1234' });
    w.app.unmount();
  });

  it('saves when the enter on the review arrives with the keys before it, faster than the screen redraws', async () => {
    const w = wizard();
    await w.advanceTo('step 5/6: API keys');
    await w.press(`${SECRET}\r\r\r`);
    await waitFor(() => w.onDone.mock.calls.length > 0, { timeoutMs: 3_000, what: 'onDone', describe: w.screen });
    expect(w.save.mock.calls[0]![1]).toMatchObject({ ANTHROPIC_API_KEY: SECRET });
    w.app.unmount();
  });

  it('cancels with ctrl+c without saving anything', async () => {
    const w = wizard();
    await w.press(keys.enter, 'step 2/6');
    await w.press(keys.ctrlC);
    await waitFor(() => w.onDone.mock.calls.length > 0, { timeoutMs: 3_000, what: 'onDone' });
    expect(w.onDone).toHaveBeenCalledWith('cancelled');
    expect(w.save).not.toHaveBeenCalled();
    w.app.unmount();
  });
});
