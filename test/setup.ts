import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../src/process/run.js';
import { TEST_SLURM, TEST_SLURM_BIN, TEST_SLURM_CONF } from './helpers/paths.js';

// Ink reads CI at import time and then renders only the last frame; tests want every frame.
delete process.env.CI;

// The 24.11 project's tests, and every ptb they start, use that cluster's client commands.
if (TEST_SLURM_BIN && !process.env.PATH?.startsWith(`${TEST_SLURM_BIN}:`)) process.env.PATH = `${TEST_SLURM_BIN}:${process.env.PATH ?? ''}`;

// Before each test file on the local cluster: undo Slurm 22.05's occasional GPU leak (see
// scripts/local-slurm.sh heal), so that one file's cancellations cannot starve the next one.
function isLocalCluster(): boolean {
  try {
    return readFileSync(TEST_SLURM_CONF, 'utf8').startsWith('# Written by ptb-slurm scripts/local-slurm.sh');
  } catch {
    return false;
  }
}
if (process.getuid?.() === 0 && isLocalCluster()) {
  const healed = await run('bash', [join(import.meta.dirname, '..', 'scripts', 'local-slurm.sh'), 'heal'], {
    timeoutMs: 60_000,
    env: { ...process.env, PTB_SLURM: TEST_SLURM },
  });
  if (healed.kind === 'ok' && healed.stdout.trim() !== '') console.log(healed.stdout.trim());
}
