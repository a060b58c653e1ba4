import { describe, expect, it } from 'vitest';
import { jobEvents, jobStates, notificationBytes } from '../../src/monitor/job-events.js';
import type { PtbJob } from '../../src/monitor/ptb-job.js';

const job = (id: string, state: string, over: Partial<PtbJob> = {}): PtbJob =>
  ({
    id,
    state,
    inQueue: !['COMPLETED', 'FAILED', 'TIMEOUT'].includes(state),
    name: `ptb-${id}`,
    task: null,
    diagnosis: null,
    scored: false,
    ...over,
  }) as PtbJob;

describe('word when a job ends', () => {
  it('tells of jobs that ended, failed or went back to the queue since the last look, not of history', () => {
    const before = jobStates([job('1', 'RUNNING'), job('2', 'RUNNING'), job('3', 'RUNNING'), job('4', 'PENDING'), job('5', 'COMPLETED')]);
    const now = [
      job('1', 'COMPLETED', { scored: true, diagnosis: 'scored: accuracy 0.4312' }),
      job('2', 'FAILED'),
      // run_task.sh exits 0 whatever failed: a COMPLETED run without a score is a failure.
      job('3', 'COMPLETED', { diagnosis: 'the agent produced no model' }),
      job('4', 'PENDING'),
      job('5', 'COMPLETED'),
      job('6', 'FAILED'),
    ];
    expect(jobEvents(before, now).map((e) => [e.id, e.kind])).toEqual([
      ['1', 'finished'],
      ['2', 'failed'],
      ['3', 'failed'],
    ]);
    expect(jobEvents(jobStates([job('7', 'RUNNING')]), [job('7', 'PENDING')])).toEqual([{ id: '7', kind: 'requeued', text: 'job 7 requeued: ptb-7' }]);
  });

  it('rings and notifies through OSC 9 and 777, wrapped for tmux, with a text that cannot end the sequence', () => {
    expect(notificationBytes('job 12 COMPLETED', false)).toBe('\x07\x1b]9;ptb: job 12 COMPLETED\x07\x1b]777;notify;ptb;job 12 COMPLETED\x07');
    expect(notificationBytes('a\x1b]0;evil\x07b', false)).toBe('\x07\x1b]9;ptb: a ]0 evil b\x07\x1b]777;notify;ptb;a ]0 evil b\x07');
    expect(notificationBytes('x', true)).toBe('\x07\x1bPtmux;\x1b\x1b]9;ptb: x\x07\x1b\\\x1bPtmux;\x1b\x1b]777;notify;ptb;x\x07\x1b\\');
  });
});
