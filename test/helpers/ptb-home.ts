import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../../src/config/schema.js';
import { pass } from '../../src/preflight/check-result.js';
import { recordComputePreflight } from '../../src/preflight/last-compute.js';
import { run } from '../../src/process/run.js';
import { FIXTURE_CHECKOUT, PTB_BIN } from './paths.js';

/**
 * A private world for one test file: its own XDG config folder, HF cache, containers and
 * results folders, so that tests never touch the user's configuration or each other's.
 */
export interface PtbHome {
  root: string;
  env: Record<string, string>;
  configDir: string;
  hfHome: string;
  containersDir: string;
  resultsDir: string;
  /** Runs the bundled ptb with this world's environment. */
  ptb: (args: string[], extraEnv?: Record<string, string>) => Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** `ptb setup --non-interactive` with this world's folders and the fixture checkout. */
  /**
   * `ptb setup --non-interactive` with this world's folders and the fixture checkout, then a passed
   * compute preflight on record for it (as `ptb preflight --compute` leaves one), which submissions ask for.
   */
  configure: (extraArgs?: string[], extraEnv?: Record<string, string>) => Promise<void>;
  /** Records a passed compute preflight for the configuration as it is now. */
  passPreflight: () => void;
  remove: () => void;
}

export function ptbHome(): PtbHome {
  const root = mkdtempSync(join(tmpdir(), 'ptb-home-'));
  const dir = (name: string) => {
    const path = join(root, name);
    mkdirSync(path, { recursive: true });
    return path;
  };
  const xdg = dir('config');
  const hfHome = dir('hf');
  const containersDir = dir('containers');
  const resultsDir = dir('results');
  // Its own state folder (the ledger) too: the developer's jobs must not decide which screen opens.
  const env: Record<string, string> = { XDG_CONFIG_HOME: xdg, XDG_STATE_HOME: join(root, 'state'), CI: 'false' };
  // Keys in the developer's own shell must not leak into what the tests check.
  const base = Object.fromEntries(Object.entries(process.env).filter(([k, v]) => v !== undefined && !/_API_KEY$/.test(k))) as Record<string, string>;
  const ptb: PtbHome['ptb'] = async (args, extraEnv = {}) => {
    const result = await run(process.execPath, [PTB_BIN, ...args], { timeoutMs: 30_000, env: { ...base, ...env, ...extraEnv } });
    if (result.kind === 'ok') return { code: 0, stdout: result.stdout, stderr: result.stderr };
    if (result.kind === 'failed') return { code: result.exitCode, stdout: result.stdout, stderr: result.stderr };
    throw new Error(`ptb did not run: ${result.kind}`);
  };
  const passPreflight = () => {
    const config = JSON.parse(readFileSync(join(xdg, 'ptb-slurm', 'config.json'), 'utf8')) as Config;
    recordComputePreflight(config, [pass({ id: 'probe-job', title: 'probe job', where: 'compute' }, 'recorded by the test home')]);
  };
  return {
    root,
    env,
    configDir: join(xdg, 'ptb-slurm'),
    hfHome,
    containersDir,
    resultsDir,
    ptb,
    configure: async (extraArgs = [], extraEnv = {}) => {
      const result = await ptb(
        [
          '--checkout',
          FIXTURE_CHECKOUT,
          'setup',
          '--non-interactive',
          '--hf-home',
          hfHome,
          '--containers-dir',
          containersDir,
          '--results-dir',
          resultsDir,
          ...extraArgs,
        ],
        extraEnv,
      );
      if (result.code !== 0) throw new Error(`ptb setup --non-interactive failed: ${result.stderr}`);
      // The fixture's runs take their outcome from the submitting shell (PTB_FIXTURE_OUTCOME=slow...):
      // jobs get only the variables the configuration lets through.
      const file = join(xdg, 'ptb-slurm', 'config.json');
      const config = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      writeFileSync(file, JSON.stringify({ ...config, passEnvironment: ['PTB_FIXTURE_*'] }, null, 2));
      passPreflight();
    },
    passPreflight,
    // A job cancelled a moment ago may still be writing its logs into the home: retry what it refills.
    remove: () => rmSync(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }),
  };
}
