import { readFileSync } from 'node:fs';

/** A file's text, or null when it cannot be read (absent, a folder, no permission): checkout files are optional. */
export function readTextIfAny(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}
