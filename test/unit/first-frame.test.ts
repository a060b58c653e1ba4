import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { opensTuiAtOnce } from '../../src/cli/first-frame.js';

describe('the first frame, drawn before the TUI loads', () => {
  let bin: string;
  const tty = { isTTY: true };
  beforeEach(() => {
    bin = mkdtempSync(join(tmpdir(), 'ptb-first-frame-'));
    for (const tool of ['sinfo', 'squeue', 'sbatch']) {
      writeFileSync(join(bin, tool), '#!/bin/sh\n');
      chmodSync(join(bin, tool), 0o755);
    }
    vi.stubEnv('PATH', bin);
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    rmSync(bin, { recursive: true, force: true });
  });

  it('is drawn for the bare command in a terminal of a login node', () => {
    expect(opensTuiAtOnce([], tty, tty)).toBe(true);
  });

  it('is not drawn where a message may have to stay on the user screen: arguments, no terminal, no Slurm', () => {
    // --checkout may be refused, a subcommand prints its output: the parser goes first.
    expect(opensTuiAtOnce(['--checkout', '/nowhere'], tty, tty)).toBe(false);
    expect(opensTuiAtOnce(['status'], tty, tty)).toBe(false);
    expect(opensTuiAtOnce([], { isTTY: false }, tty)).toBe(false);
    expect(opensTuiAtOnce([], tty, {})).toBe(false);
    rmSync(join(bin, 'sbatch'));
    expect(opensTuiAtOnce([], tty, tty)).toBe(false);
  });
});
