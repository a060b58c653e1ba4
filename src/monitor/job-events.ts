import { stateFamily } from '../slurm/state-family.js';
import { describeTask } from '../plan/task.js';
import type { PtbJob } from './ptb-job.js';
import { isFinal } from './ptb-job.js';

/** Something worth a word to a user who left a 12-hour run: a job ended, failed, or went back to the queue. */
export interface JobEvent {
  id: string;
  kind: 'finished' | 'failed' | 'requeued';
  text: string;
}

/** What the last look saw of each job: its state, and whether it was in the queue. */
export type JobStates = ReadonlyMap<string, { state: string; inQueue: boolean }>;

export const jobStates = (jobs: readonly PtbJob[]): JobStates => new Map(jobs.map((j) => [j.id, { state: j.state, inQueue: j.inQueue }]));

/**
 * The events between two looks: a job seen running or pending before that is final now (finished,
 * or failed as Slurm's state family says), or one seen running that is pending again (requeued).
 * History the first look found (jobs final already) is no event.
 */
export function jobEvents(before: JobStates, jobs: readonly PtbJob[]): JobEvent[] {
  const events: JobEvent[] = [];
  for (const job of jobs) {
    const was = before.get(job.id);
    if (!was || isFinal(was.state) || was.state === 'ENDED') continue;
    const what = job.task ? describeTask(job.task) : job.name;
    if (isFinal(job.state) || job.state === 'ENDED') {
      const failed = stateFamily(job.state) === 'failed' || (!job.scored && job.diagnosis !== null && job.task?.kind !== 'container-test');
      events.push({
        id: job.id,
        kind: failed ? 'failed' : 'finished',
        text: `job ${job.id} ${job.state}: ${what}${job.diagnosis ? ` (${job.diagnosis})` : ''}`,
      });
    } else if (was.state === 'RUNNING' && (job.state === 'PENDING' || job.state === 'REQUEUED')) {
      events.push({ id: job.id, kind: 'requeued', text: `job ${job.id} requeued: ${what}` });
    }
  }
  return events;
}

/**
 * A bell and a desktop notification through the terminal: OSC 9 (iTerm2, Windows Terminal, kitty)
 * and OSC 777 (VTE, foot, WezTerm); terminals that know neither ignore them. Inside tmux each is
 * wrapped for passthrough (tmux's `allow-passthrough on` lets it out). The text is one line of
 * printable characters: an escape in it would end the sequence early.
 */
export function notificationBytes(text: string, inTmux: boolean): string {
  const clean = text.replace(/[\x00-\x1f\x7f-\x9f;]/g, ' ').slice(0, 200);
  const wrap = (seq: string) => (inTmux ? `\x1bPtmux;${seq.replace(/\x1b/g, '\x1b\x1b')}\x1b\\` : seq);
  return `\x07${wrap(`\x1b]9;ptb: ${clean}\x07`)}${wrap(`\x1b]777;notify;ptb;${clean}\x07`)}`;
}
