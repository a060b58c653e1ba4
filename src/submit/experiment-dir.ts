import { join, resolve } from 'node:path';
import type { Config } from '../config/schema.js';
import { upstreamSafe } from '../plan/task.js';

/**
 * ptb's own files (batch scripts, Slurm logs, ladder markers, plans, array manifests) live beside
 * the results folder, not in it: upstream's aggregators take every folder of the results as a
 * method and stop on a folder whose entries are not runs. On the same storage, so nodes see it.
 */
export function ptbWorkDir(config: Pick<Config, 'resultsDir'>): string {
  return `${resolve(config.resultsDir)}.ptb-slurm`;
}

/** `<results>.ptb-slurm/<experiment>/`: the scripts, logs and plans of an experiment. */
export function experimentDir(config: Pick<Config, 'resultsDir'>, experiment: string): string {
  return join(ptbWorkDir(config), upstreamSafe(experiment) || '_default');
}

/** Where Slurm writes an experiment's job logs (`%j.out`, `%j.err`). */
export function experimentLogsDir(config: Pick<Config, 'resultsDir'>, experiment: string): string {
  return join(experimentDir(config, experiment), 'logs');
}

/** Written by a container test's job when `nvidia-smi` succeeded inside the image. */
export function containerTestMarker(config: Pick<Config, 'resultsDir'>, image: string): string {
  return join(experimentDir(config, ''), 'ladder', `container-test_${upstreamSafe(image)}.ok`);
}
