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

export function golden(name: string): Golden {
  return JSON.parse(readFileSync(join(import.meta.dirname, '..', 'golden', 'slurm', `${name}.json`), 'utf8')) as Golden;
}

/** Any golden file, by its path under test/golden/. */
export function goldenFile(path: string): string {
  return readFileSync(join(import.meta.dirname, '..', 'golden', path), 'utf8');
}
