import type * as Execa from 'execa';

// Not loaded with the engine: its initialisation (Node's child_process, crypto...) is ~10 ms that
// commands which run nothing, and ptb's first frame, do not need (bench/startup.mjs). Imported once:
// an import() resolves the module again at every call, a cost of each look at Slurm.
let execaModule: Promise<typeof Execa> | undefined;
const loadExeca = () => (execaModule ??= import('execa'));

/**
 * Starts loading the runner while the TUI loads (both read and compile modules, turn by turn), so
 * that the first Slurm look, asked as the TUI is assembled, waits for it the least.
 */
export function preloadRunner(): void {
  void loadExeca();
}

/** How one program run ended. Every field a caller needs to explain it to the user is here. */
export type RunResult =
  | { kind: 'ok'; stdout: string; stderr: string; durationMs: number }
  | { kind: 'failed'; exitCode: number | null; signal: string | null; stdout: string; stderr: string; durationMs: number }
  | { kind: 'not-found'; command: string }
  | { kind: 'timed-out'; timeoutMs: number; stdout: string; stderr: string }
  | { kind: 'aborted'; stdout: string; stderr: string };

export interface RunOptions {
  /** Hard limit; the child gets SIGTERM, then SIGKILL. Every call has one. */
  timeoutMs: number;
  signal?: AbortSignal;
  cwd?: string;
  /** Replaces the environment entirely when given (see `env` in slurm/env.ts). */
  env?: Record<string, string | undefined>;
  /** Written to the child's stdin; stdin is closed otherwise, so nothing ever waits on the terminal. */
  input?: string;
  /**
   * What an earlier run of the same command printed. Printed again, byte for byte, it is handed
   * back as that very string: compared as it arrives, never decoded nor held twice, so that a large
   * listing that did not change (squeue of thousands of pending jobs) leaves no garbage behind.
   */
  previousStdout?: string;
}

/** The one way to run a program. Tests inject a fake with the same shape. */
export type Runner = (command: string, args: readonly string[], options: RunOptions) => Promise<RunResult>;

/**
 * Runs `command` with an argv array (never through a shell) and never throws for a
 * failing, missing, slow or cancelled program: the outcome is a {@link RunResult}.
 */
export const run: Runner = async (command, args, options) => {
  const started = performance.now();
  const { execa } = await loadExeca();
  const previous = options.previousStdout === undefined ? undefined : bytesOf(options.previousStdout);
  const subprocess = execa(command, [...args], {
    reject: false,
    timeout: options.timeoutMs,
    forceKillAfterDelay: 2000,
    cancelSignal: options.signal,
    cwd: options.cwd,
    env: options.env,
    extendEnv: options.env === undefined,
    input: options.input,
    stdin: options.input === undefined ? 'ignore' : 'pipe',
    stripFinalNewline: false,
    encoding: 'utf8',
    buffer: { stdout: previous === undefined },
  });
  const read = previous === undefined ? null : readAgainst(subprocess.stdout, previous);
  const result = await subprocess;
  const stdout = read ? await read : typeof result.stdout === 'string' ? result.stdout : '';
  const stderr = typeof result.stderr === 'string' ? result.stderr : '';
  if ('code' in result && result.code === 'ENOENT') return { kind: 'not-found', command };
  if (result.timedOut) return { kind: 'timed-out', timeoutMs: options.timeoutMs, stdout, stderr };
  if (result.isCanceled) return { kind: 'aborted', stdout, stderr };
  const durationMs = Math.round(performance.now() - started);
  if (result.exitCode === 0) return { kind: 'ok', stdout, stderr, durationMs };
  return {
    kind: 'failed',
    exitCode: result.exitCode ?? null,
    signal: result.signal ?? null,
    stdout,
    stderr,
    durationMs,
  };
};

/** The bytes of the last text compared against: the same listing is encoded once, not at every look. */
let encoded: { text: string; bytes: Buffer } | null = null;
const bytesOf = (text: string): Buffer => {
  if (encoded?.text !== text) encoded = { text, bytes: Buffer.from(text, 'utf8') };
  return encoded.bytes;
};

/**
 * The stream's text: `previous` itself while every chunk matches it, else the chunks decoded (and
 * remembered as bytes). Matching chunks are not kept: what they held is `previous` up to there.
 */
function readAgainst(stream: NodeJS.ReadableStream | null, previous: Buffer): Promise<string> {
  return new Promise((resolve) => {
    if (!stream) return resolve('');
    const chunks: Buffer[] = [];
    let at = 0;
    let same = true;
    stream.on('data', (chunk: Buffer) => {
      if (same && (at + chunk.length > previous.length || previous.compare(chunk, 0, chunk.length, at, at + chunk.length) !== 0)) {
        same = false;
        chunks.push(previous.subarray(0, at));
      }
      at += chunk.length;
      if (!same) chunks.push(chunk);
    });
    let ended = false;
    // A stream that errs closes without ending: either way the text is taken once.
    const done = () => {
      if (ended) return;
      ended = true;
      if (same && at === previous.length && encoded?.bytes === previous) return resolve(encoded.text);
      // Ended early (a shorter listing), or the cache went to another text meanwhile: the bytes read are previous's first `at`.
      const bytes = same ? Buffer.from(previous.subarray(0, at)) : Buffer.concat(chunks);
      const text = bytes.toString('utf8');
      encoded = { text, bytes };
      resolve(text);
    };
    stream.once('end', done);
    stream.once('close', done);
  });
}

/**
 * Runs an interactive program on the user's terminal (a pager, a shell) until it exits: stdout
 * and stderr are the terminal's; stdin is the terminal's too, or `input` (a stream the program
 * reads, such as a redacted log for a pager, which then reads its keys from /dev/tty).
 */
export async function runOnTerminal(
  command: string,
  args: readonly string[],
  options: { input?: NodeJS.ReadableStream; env?: Record<string, string | undefined> } = {},
): Promise<{ kind: 'exited'; code: number | null } | { kind: 'not-found' } | { kind: 'failed'; message: string }> {
  const { execa } = await loadExeca();
  const child = execa(command, [...args], {
    reject: false,
    stdin: options.input ? 'pipe' : 'inherit',
    stdout: 'inherit',
    stderr: 'inherit',
    env: options.env,
    extendEnv: true,
  });
  let inputError: string | null = null;
  if (options.input && child.stdin) {
    const stdin = child.stdin;
    // The pager may quit before reading everything: a closed pipe is the normal end then.
    stdin.on('error', () => undefined);
    // The input failing (a log removed or unreadable midway) ends what the program reads, never ptb.
    options.input.on('error', (error: Error) => {
      inputError = error.message;
      stdin.end();
    });
    options.input.pipe(stdin);
  }
  const result = await child;
  // The program may quit before reading everything (q in a pager): what is left is not read.
  if (options.input && 'destroy' in options.input && typeof options.input.destroy === 'function')
    (options.input as NodeJS.ReadableStream & { destroy: () => void }).destroy();
  if ('code' in result && result.code === 'ENOENT') return { kind: 'not-found' };
  if (result.failed && result.exitCode === undefined) return { kind: 'failed', message: result.shortMessage ?? 'the program did not run' };
  if (inputError !== null) return { kind: 'failed', message: `its input could not be read: ${String(inputError)}` };
  return { kind: 'exited', code: result.exitCode ?? null };
}

/** How asking for an exclusive file lock ended. `held()` turns false if the lock ended before `release()`. */
export type FileLock =
  | { kind: 'held'; held: () => boolean; release: () => Promise<void> }
  | { kind: 'timed-out' }
  | { kind: 'aborted' }
  | { kind: 'not-found' }
  | { kind: 'failed'; exitCode: number | null; stderr: string };

/** flock's exit code when the lock is taken (`--nonblock`) or the wait ran out (its default, 1, is also that of other failures). */
const LOCK_CONFLICT = 75;

/**
 * Takes an exclusive `flock` on `file`, waiting up to `waitSeconds`, and holds it until
 * `release()`. The lock belongs to a child `flock` process that runs `cat` on a pipe from ptb:
 * whatever way ptb ends (kill -9 included) the pipe closes, cat and flock exit and the kernel
 * drops the lock, so a lock can never outlive its holder. The child has a session of its own: a
 * hangup of ptb's terminal (an SSH connection lost) does not end it while ptb goes on submitting.
 * `onWaiting` is called once when another holds the lock; `signal` gives up the wait.
 */
export async function holdFileLock(file: string, options: { waitSeconds: number; onWaiting?: () => void; signal?: AbortSignal }): Promise<FileLock> {
  // Free at once (the usual case), or held by another: only then is the user told, and the lock waited for.
  const first = await flockChild(file, ['--nonblock']);
  if (first.kind !== 'timed-out') return first;
  options.onWaiting?.();
  return flockChild(file, ['--wait', String(options.waitSeconds)], options.signal);
}

async function flockChild(file: string, mode: readonly string[], signal?: AbortSignal): Promise<FileLock> {
  const { execa } = await loadExeca();
  const child = execa('flock', ['--exclusive', '--close', ...mode, '--conflict-exit-code', String(LOCK_CONFLICT), file, 'cat'], {
    reject: false,
    stdin: 'pipe',
    stdout: 'pipe',
    stderr: 'pipe',
    buffer: { stdout: false, stderr: true },
    encoding: 'utf8',
    detached: true,
  });
  let exited = false;
  let aborted = false;
  return new Promise<FileLock>((resolve) => {
    let settled = false;
    // Only the wait can be given up: once the lock is held, it is held until release().
    const abort = () => {
      aborted = true;
      child.kill();
    };
    signal?.addEventListener('abort', abort, { once: true });
    if (signal?.aborted) abort();
    const settle = (lock: FileLock) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', abort);
      resolve(lock);
    };
    // cat runs only once flock holds the lock: the line comes back then.
    child.stdout?.once('data', () =>
      settle({
        kind: 'held',
        held: () => !exited,
        release: async () => {
          child.stdin?.end();
          await child;
        },
      }),
    );
    child.stdin?.on('error', () => undefined);
    child.stdin?.write('locked\n');
    void child.then((result) => {
      exited = true;
      child.stdin?.end();
      if ('code' in result && result.code === 'ENOENT') return settle({ kind: 'not-found' });
      if (aborted) return settle({ kind: 'aborted' });
      if (result.exitCode === LOCK_CONFLICT) return settle({ kind: 'timed-out' });
      settle({ kind: 'failed', exitCode: result.exitCode ?? null, stderr: typeof result.stderr === 'string' ? result.stderr : '' });
    });
  });
}
