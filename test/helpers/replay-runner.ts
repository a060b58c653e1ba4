import type { RunResult, Runner } from '../../src/process/run.js';
import type { Golden } from './golden.js';

/** A runner that answers each command with a captured golden output, and records the calls. */
export function replayRunner(answers: Record<string, Golden | RunResult>): Runner & { calls: { command: string; args: readonly string[] }[] } {
  const calls: { command: string; args: readonly string[] }[] = [];
  const runner = (command: string, args: readonly string[]): Promise<RunResult> => {
    return Promise.resolve(answer(command, args));
  };
  const answer = (command: string, args: readonly string[]): RunResult => {
    calls.push({ command, args });
    const key = command === 'scontrol' ? `scontrol ${args[0] ?? ''}` : command;
    const answer = answers[key] ?? answers[command];
    if (!answer) return { kind: 'not-found', command };
    if (!('args' in answer)) return answer;
    if (answer.exitCode === 0) return { kind: 'ok', stdout: answer.stdout, stderr: answer.stderr, durationMs: 1 };
    return { kind: 'failed', exitCode: answer.exitCode, signal: null, stdout: answer.stdout, stderr: answer.stderr, durationMs: 1 };
  };
  return Object.assign(runner, { calls });
}
