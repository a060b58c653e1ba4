import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import { upstreamSafe } from '../plan/task.js';

/**
 * `<results>/.ptb-slurm/<experiment>/`: scripts, Slurm logs and ladder markers of an experiment,
 * on storage the nodes see.
 */
export function experimentDir(config: Config, experiment: string): string {
  return join(config.resultsDir, '.ptb-slurm', upstreamSafe(experiment) || '_default');
}

/** Written by a container test's job when `nvidia-smi` succeeded inside the image. */
export function containerTestMarker(config: Config, image: string): string {
  return join(experimentDir(config, ''), 'ladder', `container-test_${upstreamSafe(image)}.ok`);
}
