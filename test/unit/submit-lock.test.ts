import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { setupIdentity } from '../../src/submit/setup-identity.js';
import { readLockHolder, submitLockFile, withSubmitLock, type LockHolder } from '../../src/submit/submit-lock.js';
import { run } from '../../src/process/run.js';
import { REPO } from '../helpers/paths.js';
import { fakeBin } from '../helpers/fake-bin.js';

const root = mkdtempSync(join(tmpdir(), 'ptb-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const lockFile = submitLockFile(join(root, 'state', 'ledger.jsonl'), setupIdentity({ resultsDir: '/scratch/me/results' }));

/** Runs `body` with PATH changed for the child processes ptb starts. */
async function withPath<T>(path: string, body: () => Promise<T>): Promise<T> {
  const before = process.env.PATH;
  process.env.PATH = path;
  try {
    return await body();
  } finally {
    process.env.PATH = before;
  }
}

describe('the submission lock', () => {
  it('is one per setup, beside the ledger', () => {
    expect(lockFile).toMatch(new RegExp(`^${root}/state/locks/submit-s[0-9a-f]{12}\\.lock$`));
    expect(submitLockFile(join(root, 'state', 'ledger.jsonl'), setupIdentity({ resultsDir: '/scratch/me/results/' }))).toBe(lockFile);
    expect(submitLockFile(join(root, 'state', 'ledger.jsonl'), setupIdentity({ resultsDir: '/scratch/me/other' }))).not.toBe(lockFile);
  });

  it('makes a second submitter wait, says who holds it, and lets it in once the first is done', async () => {
    const order: string[] = [];
    let releaseFirst: () => void = () => undefined;
    const first = withSubmitLock(lockFile, { what: 'ptb submit --plan a.yaml' }, async () => {
      order.push('first in');
      await new Promise<void>((resolve) => (releaseFirst = resolve));
      order.push('first out');
    });
    await expect.poll(() => order).toContain('first in');
    let seen: LockHolder | null | undefined;
    const second = withSubmitLock(lockFile, { what: 'the review', onWaiting: (h) => (seen = h) }, () => {
      order.push('second in');
      return Promise.resolve(42);
    });
    await expect.poll(() => seen, { timeout: 3000 }).toBeDefined();
    expect(seen).toMatchObject({ pid: process.pid, host: hostname(), what: 'ptb submit --plan a.yaml' });
    expect(order).toEqual(['first in']);
    releaseFirst();
    expect(await first).toEqual({ ok: true, value: undefined });
    expect(await second).toEqual({ ok: true, value: 42 });
    expect(order).toEqual(['first in', 'first out', 'second in']);
  });

  it('says nothing of waiting when the lock is free, and a waiting submitter can be stopped (ptb quits)', async () => {
    let told = false;
    expect(await withSubmitLock(lockFile, { what: 'x', onWaiting: () => (told = true) }, () => Promise.resolve(1))).toEqual({ ok: true, value: 1 });
    expect(told).toBe(false);
    let releaseFirst: () => void = () => undefined;
    const first = withSubmitLock(lockFile, { what: 'the first' }, () => new Promise<void>((resolve) => (releaseFirst = resolve)));
    await expect.poll(() => readLockHolder(lockFile)?.what).toBe('the first');
    const abort = new AbortController();
    let ran = false;
    const second = withSubmitLock(lockFile, { what: 'x', signal: abort.signal, onWaiting: () => abort.abort() }, () => Promise.resolve((ran = true)));
    expect(await second).toEqual({
      ok: false,
      message: expect.stringMatching(/^stopped waiting for another ptb \(pid \d+ on .*, the first\): nothing was submitted\.$/),
    });
    expect(ran).toBe(false);
    // The first still holds it.
    expect(await withSubmitLock(lockFile, { what: 'x', waitSeconds: 1 }, () => Promise.resolve(1))).toMatchObject({ ok: false });
    releaseFirst();
    await first;
  });

  it('gives up after its wait with who holds it, and runs nothing', async () => {
    let releaseFirst: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (releaseFirst = resolve));
    const first = withSubmitLock(lockFile, { what: 'ptb submit --plan a.yaml' }, () => held);
    await new Promise((resolve) => setTimeout(resolve, 300));
    let ran = false;
    const second = await withSubmitLock(lockFile, { what: 'x', waitSeconds: 1 }, () => Promise.resolve((ran = true)));
    releaseFirst();
    await first;
    expect(ran).toBe(false);
    expect(second.ok).toBe(false);
    expect(!second.ok && second.message).toMatch(
      new RegExp(
        `^another ptb \\(pid ${process.pid} on ${hostname()}, since \\d\\d:\\d\\d:\\d\\d, ptb submit --plan a.yaml\\) is submitting to this setup and has not finished after 1 s\\. Nothing was submitted`,
      ),
    );
  });

  it('ends with its holder, even one killed with SIGKILL in the middle of a submission', async () => {
    const pidFile = join(root, 'holder.pid');
    const holder = run('bash', ['-c', 'echo $$ > "$1"; exec node scripts/run-ts.mjs test/helpers/hold-submit-lock.ts "$2"', 'holder', pidFile, lockFile], {
      timeoutMs: 60_000,
      cwd: REPO,
    });
    await expect.poll(() => readLockHolder(lockFile)?.what, { timeout: 20_000 }).toBe('a test holder');
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(await withSubmitLock(lockFile, { what: 'x', waitSeconds: 1 }, () => Promise.resolve('got it'))).toMatchObject({ ok: false });
    process.kill(pid, 'SIGKILL');
    expect(await holder).toMatchObject({ kind: 'failed', signal: 'SIGKILL' });
    expect(await withSubmitLock(lockFile, { what: 'x', waitSeconds: 5 }, () => Promise.resolve('got it'))).toEqual({ ok: true, value: 'got it' });
  }, 30_000);

  it('holds through a hangup of its terminal (an SSH connection lost while the TUI submits)', async () => {
    const pidFile = join(root, 'hup.pid');
    // setsid: the holder leads a process group of its own, as ptb does in its terminal.
    const holder = run(
      'setsid',
      ['bash', '-c', 'echo $$ > "$1"; exec node scripts/run-ts.mjs test/helpers/hold-submit-lock.ts "$2"', 'holder', pidFile, lockFile],
      { timeoutMs: 60_000, cwd: REPO },
    );
    await expect.poll(() => readLockHolder(lockFile)?.what, { timeout: 20_000 }).toBe('a test holder');
    const pid = Number(readFileSync(pidFile, 'utf8'));
    // What the terminal's hangup sends: SIGHUP to the whole foreground process group.
    process.kill(-pid, 'SIGHUP');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await withSubmitLock(lockFile, { what: 'x', waitSeconds: 1 }, () => Promise.resolve('got it'))).toMatchObject({
      ok: false,
      message: expect.stringContaining('a test holder'),
    });
    process.kill(pid, 'SIGKILL');
    await holder;
    expect(await withSubmitLock(lockFile, { what: 'x', waitSeconds: 5 }, () => Promise.resolve('got it'))).toEqual({ ok: true, value: 'got it' });
  }, 30_000);

  it('refuses clearly where flock is missing, or the file system has no locks (NFS without a lock manager)', async () => {
    const empty = fakeBin(join(root, 'no-flock'), {});
    const missing = await withPath(empty, () => withSubmitLock(lockFile, { what: 'x' }, () => Promise.resolve(1)));
    expect(missing).toEqual({ ok: false, message: expect.stringMatching(/^flock \(util-linux\) is not on PATH: .*Nothing was submitted\.$/) });

    // What util-linux's flock prints when flock(2) fails with ENOLCK.
    const nolock = fakeBin(join(root, 'nfs-flock'), { flock: 'echo "flock: ${@: -2:1}: No locks available" >&2\nexit 65' });
    const nfs = await withPath(`${nolock}:${process.env.PATH ?? ''}`, () => withSubmitLock(lockFile, { what: 'x' }, () => Promise.resolve(1)));
    expect(nfs.ok).toBe(false);
    expect(!nfs.ok && nfs.message).toContain(`cannot take the submission lock ${lockFile}: ${lockFile}: No locks available.`);
    expect(!nfs.ok && nfs.message).toContain('set XDG_STATE_HOME, in every shell ptb runs from, to a folder on one that does');
  });
});
