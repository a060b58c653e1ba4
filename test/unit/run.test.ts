import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../src/process/run.js';

const dir = mkdtempSync(join(tmpdir(), 'ptb-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What `cat` of a file holding TEXT prints, through the runner, given what an earlier run printed. */
async function printed(text: string, previousStdout: string): Promise<string> {
  const file = join(dir, 'listing');
  writeFileSync(file, text);
  const result = await run('cat', [file], { timeoutMs: 10_000, previousStdout });
  if (result.kind !== 'ok') throw new Error(`printf: ${result.kind}`);
  return result.stdout;
}

// Large enough to arrive in several pipe reads (64 KiB each), with characters of 1 to 4 bytes that
// some reads split in two.
const listing = Array.from({ length: 3000 }, (_, i) => `${30000 + i}\x1fPENDING\x1fJobHeldUser\x1fqwen3-1.7b · gsm8k · 🤖 ${i}`).join('\n');

describe('a program run against what it printed before', () => {
  it('gives what it prints now, whether that is the same, changed, longer, shorter or empty', async () => {
    expect(await printed(listing, listing)).toBe(listing);
    const changedAtTheEnd = `${listing.slice(0, -1)}X`;
    expect(await printed(changedAtTheEnd, listing)).toBe(changedAtTheEnd);
    expect(await printed(`${listing}\n1\x1fRUNNING`, listing)).toBe(`${listing}\n1\x1fRUNNING`);
    expect(await printed(listing.slice(0, 70_000), listing)).toBe(listing.slice(0, 70_000));

    expect(await printed('', listing)).toBe('');
    expect(await printed(listing, '')).toBe(listing);
  });

  it('compares against the last listing, not against one remembered from before it', async () => {
    const other = listing.replace('PENDING', 'RUNNING');
    expect(await printed(other, listing)).toBe(other);
    expect(await printed(listing, other)).toBe(listing);
    expect(await printed(listing, listing)).toBe(listing);
  });

  it('says how a failing, missing or slow program ended, with what it printed', async () => {
    const result = await run('sh', ['-c', 'printf partial; exit 3'], { timeoutMs: 10_000, previousStdout: 'partial, and more' });
    expect(result).toMatchObject({ kind: 'failed', exitCode: 3, stdout: 'partial' });
    expect(await run('ptb-no-such-program', [], { timeoutMs: 10_000, previousStdout: listing })).toEqual({ kind: 'not-found', command: 'ptb-no-such-program' });
    const slow = await run('sh', ['-c', 'printf early; exec sleep 5'], { timeoutMs: 300, previousStdout: listing });
    expect(slow).toMatchObject({ kind: 'timed-out', stdout: 'early' });
  });
});
