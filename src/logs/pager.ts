import { existsSync } from 'node:fs';
import { runOnTerminal } from '../process/run.js';
import type { Redactor } from './redact.js';
import { redactedFileStream } from './redact-stream.js';

/** `$PAGER` as argv (`less -R` → less, -R; no shell), `less +G` (at the end) when unset. */
export function pagerCommand(env: NodeJS.ProcessEnv = process.env): [string, string[]] {
  const words = (env.PAGER ?? '').trim().split(/\s+/).filter(Boolean);
  const [command, ...args] = words.length > 0 ? words : ['less', '+G'];
  return [command ?? 'less', args];
}

/**
 * Shows a whole log in the pager, redacted like the pane (the file goes through the redactor on
 * its way to the pager's stdin). Returns what to tell the user when it could not.
 */
export async function openInPager(path: string, redact: Redactor): Promise<string | null> {
  if (!existsSync(path)) return `${path} is not there: not written yet, or deleted`;
  const [command, args] = pagerCommand();
  const result = await runOnTerminal(command, args, { input: redactedFileStream(path, redact) });
  if (result.kind === 'not-found') return `the pager ${command} is not installed: set PAGER (e.g. PAGER=more)`;
  if (result.kind === 'failed') return `the pager ${command} failed: ${result.message}`;
  return null;
}
