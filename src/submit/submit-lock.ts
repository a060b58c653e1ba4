import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { holdFileLock } from '../process/run.js';
import type { SetupIdentity } from './setup-identity.js';
import { errorMessage } from '../text/error-message.js';

/** Who holds a submission lock, as it wrote down when it took it. */
export interface LockHolder {
  pid: number;
  host: string;
  since: string;
  what: string;
}

/** How long a submission waits for another one to the same setup before it gives up. */
export const SUBMIT_LOCK_WAIT_SECONDS = 600;

/** `<state>/locks/submit-<setup>.lock`, beside the ledger: one submitter at a time per setup. */
export function submitLockFile(ledgerFile: string, setup: SetupIdentity): string {
  return join(dirname(ledgerFile), 'locks', `submit-${setup.id}.lock`);
}

const ownerFile = (lockFile: string) => `${lockFile}.owner`;

export function readLockHolder(lockFile: string): LockHolder | null {
  try {
    const data = JSON.parse(readFileSync(ownerFile(lockFile), 'utf8')) as Partial<LockHolder>;
    return typeof data.pid === 'number' && typeof data.host === 'string'
      ? { pid: data.pid, host: data.host, since: String(data.since ?? ''), what: String(data.what ?? '') }
      : null;
  } catch {
    return null;
  }
}

/**
 * `another ptb (pid 4242 on login1, since 08:12:03, ptb submit --plan full.yaml) is submitting to
 * this setup`: who first, so that a narrow screen still shows it.
 */
export function describeHolder(holder: LockHolder | null): string {
  if (!holder) return 'another ptb is submitting to this setup';
  const since = /T(\d\d:\d\d:\d\d)/.exec(holder.since)?.[1];
  return `another ptb (pid ${holder.pid} on ${holder.host}${since ? `, since ${since}` : ''}${holder.what ? `, ${holder.what}` : ''}) is submitting to this setup`;
}

export type Locked<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * Runs `body` while holding the setup's submission lock: the check of the queue and the ledger
 * and the submissions that follow it are one step, so two ptb processes using the same state
 * folder (two terminals, the TUI and a script, two login nodes sharing a home on a file system
 * with working locks) never submit a task twice. The second waits, told who holds the lock through
 * `onWaiting` and `onAcquired` when its turn comes; after `waitSeconds`, or when `signal` aborts,
 * it gives up and runs nothing. The lock is the kernel's (flock): it dies with its holder. `body`
 * gets `held()`, false should the lock end early, so that it stops before submitting more.
 */
export async function withSubmitLock<T>(
  lockFile: string,
  options: { what: string; waitSeconds?: number; onWaiting?: (holder: LockHolder | null) => void; onAcquired?: () => void; signal?: AbortSignal },
  body: (held: () => boolean) => Promise<T>,
): Promise<Locked<T>> {
  try {
    mkdirSync(dirname(lockFile), { recursive: true, mode: 0o700 });
  } catch (error) {
    return {
      ok: false,
      message: `cannot create ${dirname(lockFile)} for the submission lock: ${errorMessage(error)}. Nothing was submitted.`,
    };
  }
  const wait = options.waitSeconds ?? SUBMIT_LOCK_WAIT_SECONDS;
  let waited = false;
  const lock = await holdFileLock(lockFile, {
    waitSeconds: wait,
    signal: options.signal,
    onWaiting: () => {
      waited = true;
      options.onWaiting?.(readLockHolder(lockFile));
    },
  });
  switch (lock.kind) {
    case 'not-found':
      return { ok: false, message: 'flock (util-linux) is not on PATH: ptb needs it to make sure two submissions never overlap. Nothing was submitted.' };
    case 'timed-out':
      return {
        ok: false,
        message: `${describeHolder(readLockHolder(lockFile))} and has not finished after ${wait >= 60 ? `${Math.round(wait / 60)} min` : `${wait} s`}. Nothing was submitted: run it again once that one is done (the lock ends with its process).`,
      };
    case 'aborted':
      return {
        ok: false,
        message: `stopped waiting for ${describeHolder(readLockHolder(lockFile)).replace(/ is submitting to this setup$/, '')}: nothing was submitted.`,
      };
    case 'failed': {
      const why = lock.stderr.trim().replace(/^flock: /, '') || `flock exited ${String(lock.exitCode)}`;
      const nfs = /No locks available/i.test(why)
        ? ` The file system of ${dirname(lockFile)} does not support locks (an NFS mount without a lock manager): set XDG_STATE_HOME, in every shell ptb runs from, to a folder on one that does (ptb's ledger moves with it).`
        : '';
      return { ok: false, message: `cannot take the submission lock ${lockFile}: ${why}.${nfs} Nothing was submitted.` };
    }
    case 'held':
      break;
  }
  if (waited) options.onAcquired?.();
  try {
    try {
      writeFileAtomic(
        ownerFile(lockFile),
        JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString(), what: options.what } satisfies LockHolder),
        { mode: 0o600, dirMode: 0o700 },
      );
    } catch {
      // Only the waiting message needs it: the lock itself holds.
    }
    return { ok: true, value: await body(lock.held) };
  } finally {
    rmSync(ownerFile(lockFile), { force: true });
    await lock.release();
  }
}
