import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadOverview, type OverviewSnapshot } from '../../src/overview/snapshot.js';
import { overviewAsk } from '../../src/app/overview/ask.js';
import type { Slurm } from '../../src/slurm/adapter.js';
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

  it("makes a look's writes to the store at once, the monitor's with the overview's (one frame), and says `refreshing` only of a slow look", async () => {
    const store = createAppStore({ checkout: null });
    // Writes that land in one synchronous run are one React commit, so one frame of the screen.
    const runs: number[] = [];
    let inRun = false;
    store.subscribe(() => {
      if (!inRun) {
        inRun = true;
        runs.push(0);
        queueMicrotask(() => (inRun = false));
      }
      runs[runs.length - 1]!++;
    });
    let release: (s: OverviewSnapshot) => void = () => undefined;
    const load = vi.fn(() => new Promise<OverviewSnapshot>((r) => (release = r)));
    const afterLoad = async () => {
      await Promise.resolve();
      return () => store.getState().updateMonitor(() => ({ accounting: 'ok' }));
    };
    const poller = startOverviewPoller(load, store, { intervalMs: 5_000, afterLoad });
    runs.length = 0;
    await vi.advanceTimersByTimeAsync(100);
    release(good('2026-11-28T14:01:00'));
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toHaveLength(1);
    expect(store.getState().monitor.accounting).toBe('ok');
    expect(store.getState().cluster.refreshing).toBe(false);
    // The next look hangs: after a moment the status line says so.
    runs.length = 0;
    await vi.advanceTimersByTimeAsync(5_000 + 1_000);
    expect(store.getState().cluster.refreshing).toBe(true);
    release(good('2026-11-28T14:01:06'));
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getState().cluster.refreshing).toBe(false);
    // One write to say it, one run for the rest.
    expect(runs).toHaveLength(2);
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

describe('what a look asks Slurm', () => {
  /** A Slurm whose squeue answers (or not), counting the commands each look runs. */
  function countingSlurm(squeueAnswers: boolean) {
    const calls: string[] = [];
    const slurm = {
      controller: () => (
        calls.push('sinfo --version', 'scontrol ping'),
        Promise.resolve({ ok: true, value: { reachable: squeueAnswers, version: '22.05.8' } })
      ),
      partitions: () => (calls.push('sinfo'), Promise.resolve({ ok: true, value: { partitions: [partition] } })),
      jobs: () => (
        calls.push('squeue'),
        Promise.resolve(
          squeueAnswers
            ? { ok: true, value: [] }
            : { ok: false, error: { kind: 'unreachable', command: 'squeue', message: 'Unable to contact slurm controller', detail: '' } },
        )
      ),
    } as unknown as Slurm;
    return { slurm, calls };
  }

  it('asks squeue alone on the monitor once the controller answered: the version and the partitions cannot change meanwhile', async () => {
    const store = createAppStore({ checkout: null, view: 'monitor' });
    const { slurm, calls } = countingSlurm(true);
    const look = async (first = false, demanded = false) => {
      calls.length = 0;
      store.getState().applyOverview(await loadOverview(slurm, overviewAsk(store.getState(), { first, demanded })));
      return [...calls];
    };
    expect(await look(true)).toEqual(['sinfo --version', 'scontrol ping', 'sinfo', 'squeue']);
    expect(await look()).toEqual(['squeue']);
    expect(await look()).toEqual(['squeue']);
    // r asks everything again; the overview, the review and preflight show or check the partitions.
    expect(await look(false, true)).toEqual(['sinfo --version', 'scontrol ping', 'sinfo', 'squeue']);
    store.getState().setView('overview');
    expect(await look()).toEqual(['sinfo', 'squeue']);
  });

  it('asks whether the controller is down when squeue fails, and everything while it stays so', async () => {
    const store = createAppStore({ checkout: null, view: 'monitor' });
    const healthy = countingSlurm(true);
    store.getState().applyOverview(await loadOverview(healthy.slurm, overviewAsk(store.getState(), { first: true, demanded: false })));
    const { slurm, calls } = countingSlurm(false);
    store.getState().applyOverview(await loadOverview(slurm, overviewAsk(store.getState(), { first: false, demanded: false })));
    expect(calls).toEqual(['squeue', 'sinfo --version', 'scontrol ping']);
    expect(store.getState().cluster.controller?.reachable).toBe(false);
    calls.length = 0;
    await loadOverview(slurm, overviewAsk(store.getState(), { first: false, demanded: false }));
    expect(calls).toEqual(['sinfo --version', 'scontrol ping', 'sinfo', 'squeue']);
  });
});
