import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { Config } from '../config/schema.js';
import { ptbWorkDir } from './experiment-dir.js';

/**
 * What makes a setup distinct: its results folder. Two setups with the same experiment name but
 * different results folders run different tasks (each scores into its own folder), so neither's
 * jobs may block, or be cancelled from, the other. `id` is what a job's comment carries.
 */
export interface SetupIdentity {
  id: string;
  resultsDir: string;
  /** `<results>.ptb-slurm`: every script, log and manifest of the setup is below it. */
  workDir: string;
}

export function setupIdentity(config: Pick<Config, 'resultsDir'>): SetupIdentity {
  // One spelling per folder (`/scratch//me/./results/` is `/scratch/me/results`), as path.join writes the setup's files.
  const resultsDir = resolve(config.resultsDir);
  return { id: `s${createHash('sha256').update(resultsDir).digest('hex').slice(0, 12)}`, resultsDir, workDir: ptbWorkDir({ resultsDir }) };
}

/** Whether `path` (a batch script, an array manifest) is one of the setup's own files. */
export const isSetupPath = (setup: SetupIdentity, path: string | null | undefined): boolean => typeof path === 'string' && path.startsWith(`${setup.workDir}/`);

/**
 * The results folder of the setup a ptb file belongs to, read from its path
 * (`/scratch/me/results.ptb-slurm/_run1/scripts/x.sbatch` → `/scratch/me/results`); null for a
 * path outside any setup's folder.
 */
export function resultsDirOfPath(path: string | null | undefined): string | null {
  if (typeof path !== 'string') return null;
  const at = path.indexOf('.ptb-slurm/');
  return at > 0 ? path.slice(0, at) : null;
}
