import { runOnTerminal } from '../process/run.js';
import type { UndiagnosedJob } from './ptb-job.js';

/** `srun --jobid=ID --overlap --pty $SHELL`: a shell beside the job, on its node, in its allocation. */
export function shellCommand(job: Pick<UndiagnosedJob, 'ownId' | 'id'>, env: NodeJS.ProcessEnv = process.env): [string, string[]] {
  return ['srun', [`--jobid=${job.ownId ?? job.id}`, '--overlap', '--pty', env.SHELL || 'bash']];
}

/**
 * Opens the shell on the user's terminal until it exits. Returns what to tell the user when it
 * could not (the job is not running, srun refused).
 */
export async function openJobShell(job: UndiagnosedJob): Promise<string | null> {
  if (job.state !== 'RUNNING') return `job ${job.id} is ${job.state}: a shell needs a running job`;
  const [command, args] = shellCommand(job);
  process.stdout.write(`ptb: ${command} ${args.join(' ')}  (exit or ctrl+d returns to ptb)\n`);
  const result = await runOnTerminal(command, args);
  if (result.kind === 'not-found') return 'srun is not on PATH';
  if (result.kind === 'failed') return `srun failed: ${result.message}`;
  return result.code === 0 || result.code === null ? null : `the shell on job ${job.id} ended with exit code ${result.code}`;
}
