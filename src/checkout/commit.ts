import { realpathSync } from 'node:fs';
import { run } from '../process/run.js';

/**
 * The commit a PostTrainBench clone is at (`9082063`), or null when the checkout is not the
 * root of a git clone (a copied tree, or a folder inside some other repository).
 */
export async function checkoutCommit(root: string): Promise<string | null> {
  const result = await run('git', ['-C', root, 'rev-parse', '--show-toplevel', '--short', 'HEAD'], { timeoutMs: 5_000 });
  if (result.kind !== 'ok') return null;
  const [toplevel, commit] = result.stdout.trim().split('\n');
  try {
    return toplevel && commit && realpathSync(toplevel) === realpathSync(root) ? commit : null;
  } catch {
    return null;
  }
}
