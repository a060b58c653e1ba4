import type { RunResult } from '../process/run.js';

/**
 * Why a Slurm call did not give an answer. `message` is one line for the screen, in Slurm's
 * own words where Slurm said something; `detail` is everything it printed on stderr.
 */
export type SlurmError =
  | { kind: 'command-missing'; command: string; message: string }
  | { kind: 'unreachable'; command: string; message: string; detail: string }
  | { kind: 'invalid-request'; command: string; message: string; detail: string }
  | { kind: 'permission'; command: string; message: string; detail: string }
  | { kind: 'timeout'; command: string; message: string; timeoutMs: number }
  | { kind: 'accounting-disabled'; command: string; message: string; detail: string }
  | { kind: 'failed'; command: string; message: string; detail: string };

export type SlurmErrorKind = SlurmError['kind'];

export type SlurmResult<T> = { ok: true; value: T } | { ok: false; error: SlurmError };

export const success = <T>(value: T): SlurmResult<T> => ({ ok: true, value });
export const failure = <T = never>(error: SlurmError): SlurmResult<T> => ({ ok: false, error });

const UNREACHABLE =
  /Unable to contact slurm controller|Socket timed out on send\/recv|Zero Bytes were transmitted|slurm_persist_conn_open|Problem talking to the database|Connection refused/i;
const PERMISSION = /Access\/permission denied|Permission denied|not authorized|Invalid user id/i;
const ACCOUNTING_OFF = /accounting storage is disabled|not running a supported accounting_storage plugin/i;

/**
 * Slurm's stderr as one readable line: drops the `sbatch: error: ` style prefixes and
 * the `Try "sbatch --help"` hint, keeps every distinct message.
 */
export function slurmMessage(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('Try "'))
    .map((line) => line.replace(/^[a-z_]+: (error: )?/, '').replace(/^error: /, ''))
    .filter((line) => line !== '' && !/^\*+$/.test(line));
  return [...new Set(lines)].join('; ');
}

/** Classifies a run that did not succeed, or that succeeded but printed an error (Slurm's exit-0 traps). */
export function classifyFailure(command: string, result: Exclude<RunResult, { kind: 'ok' }> | { kind: 'ok'; stderr: string }): SlurmError {
  switch (result.kind) {
    case 'not-found':
      return {
        kind: 'command-missing',
        command,
        message: `${command} was not found on PATH: ptb must run on a Slurm login node (or try the local demo: npm run demo).`,
      };
    case 'timed-out':
      return {
        kind: 'timeout',
        command,
        timeoutMs: result.timeoutMs,
        message: `${command} did not answer within ${(result.timeoutMs / 1000).toFixed(0)} s.`,
      };
    case 'aborted':
      return { kind: 'failed', command, message: `${command} was cancelled.`, detail: result.stderr };
    case 'ok':
    case 'failed': {
      const detail = result.stderr;
      const said = slurmMessage(detail);
      const exit = result.kind === 'failed' ? result.exitCode : 0;
      const message = said || `${command} exited with code ${String(exit ?? result.kind)} and said nothing.`;
      if (ACCOUNTING_OFF.test(detail)) return { kind: 'accounting-disabled', command, message, detail };
      if (UNREACHABLE.test(detail)) return { kind: 'unreachable', command, message, detail };
      if (PERMISSION.test(detail)) return { kind: 'permission', command, message, detail };
      if (said !== '') return { kind: 'invalid-request', command, message, detail };
      return { kind: 'failed', command, message, detail };
    }
  }
}
