/**
 * The README's key reference, from the one keybinding table: prints it, or with `--write`
 * replaces it in README.md between the keys:start and keys:end markers.
 * node scripts/run-ts.mjs scripts/print-key-reference.ts [--write]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { keyReferenceMarkdown } from '../src/app/keybindings.js';

const table = keyReferenceMarkdown();
if (process.argv.includes('--write')) {
  // run-ts bundles this file elsewhere: the README is found from the repository root, where it runs.
  const file = join(process.cwd(), 'README.md');
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf('\n', text.indexOf('<!-- keys:start')) + 1;
  const end = text.indexOf('<!-- keys:end -->');
  if (start <= 0 || end < start) throw new Error('README.md has no keys:start / keys:end markers');
  writeFileSync(file, `${text.slice(0, start)}${table}\n${text.slice(end)}`);
} else {
  console.log(table);
}
