import { existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import { runOnTerminal } from '../process/run.js';
import type { Redactor } from './redact.js';
import { redactedFileStream } from './redact-stream.js';

/** `$PAGER` as argv (`less -R` → less, -R; no shell); unset, `less`, opened at the end (`+G`) for a log. */
export function pagerCommand(env: NodeJS.ProcessEnv = process.env, atEnd = true): [string, string[]] {
  const words = (env.PAGER ?? '').trim().split(/\s+/).filter(Boolean);
  const [command, ...args] = words.length > 0 ? words : atEnd ? ['less', '+G'] : ['less'];
  return [command ?? 'less', args];
}

/**
 * Shows a whole log in the pager, redacted like the pane (the file goes through the redactor on
 * its way to the pager's stdin). Returns what to tell the user when it could not.
 */
export async function openInPager(path: string, redact: Redactor): Promise<string | null> {
  if (!existsSync(path)) return `${path} is not there: not written yet, or deleted`;
  return page(redactedFileStream(path, redact), true);
}

/** Shows a text ptb wrote (a batch script, which holds no secret) in the pager; what to tell the user when it could not. */
export async function openTextInPager(text: string): Promise<string | null> {
  return page(Readable.from([text]), false);
}

async function page(input: NodeJS.ReadableStream, atEnd: boolean): Promise<string | null> {
  const [command, args] = pagerCommand(process.env, atEnd);
  const result = await runOnTerminal(command, args, { input });
  if (result.kind === 'not-found') return `the pager ${command} is not installed: set PAGER (e.g. PAGER=more)`;
  if (result.kind === 'failed') return `the pager ${command} failed: ${result.message}`;
  return null;
}
