import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { submittingWorld } from '../helpers/e2e-world.js';
import { waitFor } from '../helpers/wait.js';

const KEYS = { ANTHROPIC_API_KEY: 'sk-ant-e2e-notify-key-0001', OPENAI_API_KEY: 'sk-proj-e2e-notify-key-0002' };
const world = submittingWorld('notify', KEYS);
const { home, submit } = world;

describe('word when a job ends', () => {
  it('rings the bell and sends an OSC 9 and 777 notification for a finished and a failed job, where the configuration turns it on', async () => {
    const configFile = join(home.configDir, 'config.json');
    writeFileSync(configFile, JSON.stringify({ ...(JSON.parse(readFileSync(configFile, 'utf8')) as object), notify: true }, null, 2));
    // Slow enough that the TUI sees both running before they end.
    const fine = await submit('gsm8k', { PTB_FIXTURE_STEP: '2' });
    const broken = await submit('humaneval', { PTB_FIXTURE_OUTCOME: 'agent-failure', PTB_FIXTURE_STEP: '2' });
    const session = await world.ptb(120, 30, ['--interval', '2']);
    await session.waitForText('controller up');
    session.press('6');
    await waitFor(() => session.output().includes(`\x1b]9;ptb: job ${fine} COMPLETED`), {
      timeoutMs: 90_000,
      what: 'the finished job to be notified',
      describe: () => session.screen(),
    });
    await waitFor(() => session.output().includes(`\x1b]777;notify;ptb;job ${broken} COMPLETED`), {
      timeoutMs: 60_000,
      what: 'the failed job to be notified',
      describe: () => session.screen(),
    });
    expect(session.output()).toContain('\x07');
    // The monitor's line says what happened too.
    await session.waitForText(/job \d+ COMPLETED: /);
  });
});
