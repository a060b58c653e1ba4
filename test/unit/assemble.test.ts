import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assembleTui } from '../../src/app/assemble.js';
import { configLocations } from '../../src/config/locations.js';
import type { Runner } from '../../src/process/run.js';
import { createSlurm } from '../../src/slurm/adapter.js';
import { configIn } from '../helpers/config.js';

const roots: string[] = [];
afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

/** The TUI's parts for a login whose configuration is saved (or not), with the Slurm commands they ran. */
async function assembled(configured: boolean) {
  const root = mkdtempSync(join(tmpdir(), 'ptb-assemble-'));
  roots.push(root);
  const locations = configLocations({ HOME: root, XDG_CONFIG_HOME: join(root, 'config') });
  if (configured) {
    mkdirSync(dirname(locations.config), { recursive: true });
    writeFileSync(locations.config, JSON.stringify(configIn(root)));
  }
  const commands: string[] = [];
  const runner: Runner = (command) => {
    commands.push(command);
    return Promise.resolve({ kind: 'ok', stdout: '', stderr: '', durationMs: 1 });
  };
  const parts = await assembleTui({
    locations,
    slurm: createSlurm({ runner, env: {} }),
    checkoutOption: undefined,
    interval: 5,
    setupOnly: false,
    checkout: null,
    ledgerFile: join(root, 'state', 'ledger.jsonl'),
  });
  await new Promise((resolve) => setImmediate(resolve));
  return { parts, commands };
}

describe('the TUI put together for a login', () => {
  it('opening on the overview, has asked squeue before its first frame, and polls once however often polling is started', async () => {
    const { parts, commands } = await assembled(true);
    expect(parts.store.getState().ui.view).toBe('overview');
    expect(commands.filter((c) => c === 'squeue')).toHaveLength(1);
    const poller = parts.startPoller();
    expect(parts.startPoller()).toBe(poller);
    await new Promise((resolve) => setImmediate(resolve));
    expect(commands.filter((c) => c === 'squeue')).toHaveLength(1);
    poller.stop();
  });

  it('opening on the wizard of a first run, asks no squeue until a screen that shows Slurm starts polling', async () => {
    const { parts, commands } = await assembled(false);
    expect(parts.store.getState().ui.view).toBe('setup');
    expect(commands).not.toContain('squeue');
    parts.startPoller().stop();
    expect(commands).toContain('squeue');
  });
});
