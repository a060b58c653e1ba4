import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OverviewSnapshot } from '../../src/overview/snapshot.js';
import { startOverviewPoller } from '../../src/app/overview/poller.js';
import { createAppStore } from '../../src/app/store.js';
import type { Partition } from '../../src/slurm/sinfo.js';

const partition = { name: 'gpu' } as Partition;
const good = (at: string): OverviewSnapshot => ({
  at: new Date(at),
  controller: { reachable: true, version: '22.05.8' },
  partitions: [partition],
  partitionsError: null,
  jobs: [],
  jobsError: null,
});
const down = (at: string): OverviewSnapshot => ({
  at: new Date(at),
  controller: { reachable: false, version: '22.05.8' },
  partitions: null,
  partitionsError: { kind: 'unreachable', command: 'sinfo', message: 'Unable to contact slurm controller', detail: '' },
  jobs: null,
  jobsError: { kind: 'unreachable', command: 'squeue', message: 'Unable to contact slurm controller', detail: '' },
});

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the overview poller', () => {
  it('never starts a round while one is running, however often refresh is pressed', async () => {
    let release: (s: OverviewSnapshot) => void = () => undefined;
    const load = vi.fn(() => new Promise<OverviewSnapshot>((r) => (release = r)));
    const store = createAppStore({ checkout: null });
    const poller = startOverviewPoller(load, store, { intervalMs: 5_000 });
    poller.refreshNow();
    poller.refreshNow();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(load).toHaveBeenCalledTimes(1);
    release(good('2026-11-28T14:01:00'));
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getState().cluster.dataAt).toEqual(new Date('2026-11-28T14:01:00'));
    poller.stop();
  });

  it('keeps the last data when Slurm stops answering, and backs off', async () => {
    const answers = [good('2026-11-28T14:01:00'), down('2026-11-28T14:01:05'), down('2026-11-28T14:01:15')];
    const load = vi.fn(() => Promise.resolve(answers.shift() ?? down('2026-11-28T14:02:00')));
    const store = createAppStore({ checkout: null });
    const poller = startOverviewPoller(load, store, { intervalMs: 5_000 });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(load).toHaveBeenCalledTimes(2);
    const cluster = store.getState().cluster;
    expect(cluster.partitions).toEqual([partition]);
    expect(cluster.dataAt).toEqual(new Date('2026-11-28T14:01:00'));
    expect(cluster.error?.kind).toBe('unreachable');
    expect(cluster.errorSince).toEqual(new Date('2026-11-28T14:01:05'));
    // One failure doubles the wait: the third round comes 10 s later, not 5.
    await vi.advanceTimersByTimeAsync(9_000);
    expect(load).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(load).toHaveBeenCalledTimes(3);
    expect(store.getState().cluster.errorSince).toEqual(new Date('2026-11-28T14:01:05'));
    poller.stop();
  });
});
