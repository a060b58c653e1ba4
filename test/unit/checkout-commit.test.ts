import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkoutCommit } from '../../src/checkout/commit.js';
import { run } from '../../src/process/run.js';
import { FIXTURE_CHECKOUT } from '../helpers/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'ptb-commit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the upstream commit of a checkout', () => {
  it('is read from a clone whose root is the checkout', async () => {
    const git = (...args: string[]) =>
      run('git', ['-C', dir, ...args], {
        timeoutMs: 10_000,
        env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' },
      });
    await git('init', '-q');
    await git('commit', '-q', '--allow-empty', '-m', 'upstream');
    const head = await git('rev-parse', '--short', 'HEAD');
    expect(await checkoutCommit(dir)).toBe(head.kind === 'ok' ? head.stdout.trim() : 'no head');
  });

  it('is unknown for a folder inside another repository, or outside any', async () => {
    expect(await checkoutCommit(FIXTURE_CHECKOUT)).toBeNull();
    expect(await checkoutCommit(tmpdir())).toBeNull();
  });
});
