import { run } from '../process/run.js';

/** The commit a git checkout is at (`9082063`), or null when it is not a git checkout. */
export async function checkoutCommit(root: string): Promise<string | null> {
  const result = await run('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { timeoutMs: 5_000 });
  return result.kind === 'ok' ? result.stdout.trim() || null : null;
}
