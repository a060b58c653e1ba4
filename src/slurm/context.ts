import { run, type Runner } from '../process/run.js';
import { slurmEnv } from './env.js';
import { classifyFailure, failure, success, type SlurmResult } from './errors.js';

/** What every adapter function needs: how to run programs, with which environment, for how long. */
export interface SlurmContext {
  runner: Runner;
  env: Record<string, string>;
  /** Per-call limit. Slurm clients retry for about MessageTimeout (10 s by default) when the controller is down. */
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface SlurmContextOptions {
  runner?: Runner;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export const DEFAULT_TIMEOUT_MS = 15_000;

export function slurmContext(options: SlurmContextOptions = {}): SlurmContext {
  return {
    runner: options.runner ?? run,
    env: slurmEnv(options.env ?? process.env),
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    signal: options.signal,
  };
}

export interface Output {
  stdout: string;
  stderr: string;
}

/**
 * Runs one Slurm command. A non-zero exit becomes a classified error; a timeout is
 * re-examined with `scontrol ping` (which answers at once even when the controller is down)
 * so that the screen can say "controller unreachable" rather than "slow".
 */
export async function invoke(
  ctx: SlurmContext,
  command: string,
  args: readonly string[],
  options: { timeoutMs?: number; previousStdout?: string } = {},
): Promise<SlurmResult<Output>> {
  const result = await ctx.runner(command, args, {
    timeoutMs: options.timeoutMs ?? ctx.timeoutMs,
    previousStdout: options.previousStdout,
    env: ctx.env,
    signal: ctx.signal,
  });
  if (result.kind === 'ok') return success({ stdout: result.stdout, stderr: result.stderr });
  const error = classifyFailure(command, result);
  if (error.kind === 'timeout' && !(command === 'scontrol' && args[0] === 'ping')) {
    const ping = await controllerReachable(ctx);
    if (ping === false) {
      return failure({
        kind: 'unreachable',
        command,
        message: `the Slurm controller is not reachable (${command} gave up after ${Math.round(error.timeoutMs / 1000)} s; scontrol ping says DOWN)`,
        detail: '',
      });
    }
    // Slurm 23.02+ rate-limits a user's RPCs when rl_enable is set, and then its clients wait and retry
    // in silence (exit 0, no message: 3 to 12 s per squeue on the 24.11 test cluster): slow, not down.
    if (ping === true)
      return failure({
        ...error,
        message: `${error.message} The controller answers scontrol ping: it is busy, or it rate-limits this account's requests (SlurmctldParameters=rl_enable, which makes Slurm's commands wait without a word); ptb asks again at the next look.`,
      });
  }
  return failure(error);
}

/** `true`/`false` from `scontrol ping`; `undefined` when scontrol itself could not be run. */
export async function controllerReachable(ctx: SlurmContext): Promise<boolean | undefined> {
  const result = await ctx.runner('scontrol', ['ping'], { timeoutMs: 5_000, env: ctx.env, signal: ctx.signal });
  if (result.kind === 'ok') return /\bis UP\b/.test(result.stdout);
  if (result.kind === 'failed') return /\bis UP\b/.test(result.stdout) ? true : /DOWN/.test(result.stdout) ? false : undefined;
  return undefined;
}

/** The field separator of every format string we give Slurm: a byte no name, path or reason contains. */
export const SEP = '\x1f';
