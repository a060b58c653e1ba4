import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Whether `command` is an executable on PATH, found without running anything: the startup
 * check for Slurm's client tools must not cost a process spawn before the first frame.
 */
export function onPath(command: string, path: string | undefined = process.env.PATH): boolean {
  for (const dir of (path ?? '').split(delimiter)) {
    if (dir === '') continue;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

/** Slurm's client tools that every ptb command runs: without them this is not a login node. */
export function slurmClientsOnPath(path: string | undefined = process.env.PATH): boolean {
  return ['sinfo', 'squeue', 'sbatch'].every((command) => onPath(command, path));
}
