import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One command's real output, captured from the local cluster by scripts/capture-goldens.ts. */
export interface Golden {
  command: string;
  args: string[];
  kind: string;
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** The Slurm versions goldens were captured from: test/golden/slurm/ (22.05) and test/golden/slurm-24.11/. */
export const GOLDEN_VERSIONS = ['22.05', '24.11'] as const;
export type GoldenVersion = (typeof GOLDEN_VERSIONS)[number];

export function golden(name: string, version: GoldenVersion = '22.05'): Golden {
  const folder = version === '22.05' ? 'slurm' : `slurm-${version}`;
  return JSON.parse(readFileSync(join(import.meta.dirname, '..', 'golden', folder, `${name}.json`), 'utf8')) as Golden;
}

/** Any golden file, by its path under test/golden/. */
export function goldenFile(path: string): string {
  return readFileSync(join(import.meta.dirname, '..', 'golden', path), 'utf8');
}
