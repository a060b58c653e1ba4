// How the benchmarks configure their throwaway homes: the bundled ptb's non-interactive setup, on
// the fixture checkout, with the home's own HF cache, containers and results folders.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The argv after `node`: `dist/ptb.js --checkout <fixture> setup --non-interactive --hf-home ...`. */
export const setupArgs = ({ hf, containers, results }) => [
  join(repo, 'dist', 'ptb.js'),
  '--checkout',
  join(repo, 'test/fixtures/ptb-checkout'),
  'setup',
  '--non-interactive',
  '--hf-home',
  hf,
  '--containers-dir',
  containers,
  '--results-dir',
  results,
];
