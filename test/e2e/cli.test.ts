import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run, type RunResult } from '../../src/process/run.js';
import { FIXTURE_CHECKOUT, PTB_BIN } from '../helpers/paths.js';

// A PATH with node and the basic tools but no Slurm: what a laptop or a compute-less VM looks like.
const bare = mkdtempSync(join(tmpdir(), 'ptb-no-slurm-'));
symlinkSync(process.execPath, join(bare, 'node'));
afterAll(() => rmSync(bare, { recursive: true, force: true }));

async function ptb(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const result: RunResult = await run(process.execPath, [PTB_BIN, ...args], { timeoutMs: 30_000, env: { ...process.env, ...env } });
  if (result.kind === 'ok') return { code: 0, stdout: result.stdout, stderr: result.stderr };
  if (result.kind === 'failed') return { code: result.exitCode, stdout: result.stdout, stderr: result.stderr };
  throw new Error(`ptb did not run: ${result.kind}`);
}

describe('the ptb command line', () => {
  it('prints help and version, exit 0', async () => {
    const help = await ptb(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: ptb [options] [command]');
    expect(help.stdout).toContain('overview');
    const version = await ptb(['--version']);
    expect(version).toMatchObject({ code: 0, stdout: '0.1.0\n' });
  });

  it('rejects an unknown command or flag with the error and the help, exit 2', async () => {
    for (const args of [['frobnicate'], ['--bogus'], ['overview', '--bogus'], ['--interval', '1']]) {
      const result = await ptb(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/error: (unknown command 'frobnicate'|unknown option '--bogus'|option '--interval <seconds>' argument '1' is invalid)/);
      expect(result.stderr).toContain('Usage: ptb');
      expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/);
    }
  });

  it('says in one paragraph that it needs a Slurm login node when Slurm is not on PATH, exit 1', async () => {
    for (const args of [[], ['overview']]) {
      const result = await ptb(args, { PATH: bare });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('ptb needs a Slurm login node');
      expect(result.stderr).toContain('npm run demo');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('refuses a --checkout that is not a PostTrainBench checkout, exit 2', async () => {
    const result = await ptb(['overview', '--checkout', bare]);
    expect(result).toMatchObject({ code: 2, stderr: expect.stringContaining('is not a PostTrainBench checkout') });
  });

  it('prints the overview as JSON for scripts', async () => {
    const result = await ptb(['overview', '--json', '--checkout', FIXTURE_CHECKOUT]);
    expect(result.code).toBe(0);
    const data = JSON.parse(result.stdout) as {
      slurmVersion: string;
      controllerReachable: boolean;
      partitions: { name: string; isDefault: boolean; gpus: unknown[] }[];
      jobs: unknown[];
      errors: unknown[];
      checkout: { tasks: unknown[] };
    };
    expect(data.controllerReachable).toBe(true);
    expect(data.slurmVersion).toMatch(/^\d+\.\d+/);
    expect(data.partitions.map((p) => [p.name, p.isDefault])).toEqual([
      ['gpu', true],
      ['cpu', false],
    ]);
    expect(data.partitions[0]?.gpus).toEqual([{ type: 'h100', perNode: 4, total: 4, used: expect.any(Number) }]);
    expect(data.errors).toEqual([]);
    expect(data.checkout.tasks).toHaveLength(7);
  });

  it('needs a terminal for the screen, and says what to use instead', async () => {
    const result = await ptb([]);
    expect(result).toMatchObject({ code: 2, stderr: expect.stringContaining('ptb overview --json') });
  });
});
