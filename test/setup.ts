import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../src/process/run.js';

// Ink reads CI at import time and then renders only the last frame; tests want every frame.
delete process.env.CI;

// Before each test file on the local cluster: undo Slurm 22.05's occasional GPU leak (see
// scripts/local-slurm.sh heal), so that one file's cancellations cannot starve the next one.
function isLocalCluster(): boolean {
  try {
    return readFileSync('/etc/slurm/slurm.conf', 'utf8').startsWith('# Written by ptb-slurm scripts/local-slurm.sh');
  } catch {
    return false;
  }
}
if (process.getuid?.() === 0 && isLocalCluster()) {
  const healed = await run('bash', [join(import.meta.dirname, '..', 'scripts', 'local-slurm.sh'), 'heal'], { timeoutMs: 60_000 });
  if (healed.kind === 'ok' && healed.stdout.trim() !== '') console.log(healed.stdout.trim());
}
