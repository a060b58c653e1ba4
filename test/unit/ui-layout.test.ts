import { describe, expect, it } from 'vitest';
import { fit, fitColumns, GAP } from '../../src/text/columns.js';
import { readFileSync } from 'node:fs';
import { commandFor, footerText, KEY_BINDINGS, keyReferenceMarkdown } from '../../src/app/keybindings.js';
import { JOB_COLUMNS, jobCells, PARTITION_COLUMNS } from '../../src/overview/tables.js';
import { statusLine } from '../../src/app/status-line.js';
import { NAV_VIEWS } from '../../src/app/navigation.js';
import { nextDelay } from '../../src/app/overview/poller.js';
import type { ClusterSlice } from '../../src/app/store.js';
import { parseSqueue } from '../../src/slurm/squeue.js';
import { golden } from '../helpers/golden.js';

const totalWidth = (cols: { width: number }[]) => cols.reduce((n, c) => n + c.width, 0) + GAP * (cols.length - 1);

describe('table layout', () => {
  it.each([
    [60, ['id', 'state', 'name', 'where']],
    [80, ['id', 'state', 'name', 'time', 'where', 'partition']],
    [120, ['id', 'state', 'name', 'time', 'where', 'partition']],
    [250, ['id', 'state', 'name', 'time', 'where', 'partition']],
  ])('job columns at width %i', (width, keys) => {
    const cols = fitColumns(JOB_COLUMNS, width - 1);
    expect(cols.map((c) => c.key)).toEqual(keys);
    expect(totalWidth(cols)).toBeLessThanOrEqual(width - 1);
  });

  it('gives the job name the room a wide terminal has', () => {
    const name = (w: number) => fitColumns(JOB_COLUMNS, w).find((c) => c.key === 'name')?.width ?? 0;
    expect(name(79)).toBe(14);
    expect(name(249)).toBe(60);
  });

  it.each([80, 120, 250])('partition columns fit at width %i and always keep name and GPUs', (width) => {
    const cols = fitColumns(PARTITION_COLUMNS, width - 1);
    expect(cols.map((c) => c.key)).toEqual(expect.arrayContaining(['name', 'gpus']));
    expect(totalWidth(cols)).toBeLessThanOrEqual(width - 1);
  });

  it('cuts long cells with an ellipsis and never lets control characters through', () => {
    expect(fit('abcdef', 4)).toBe('abc…');
    expect(fit('ab', 4)).toBe('ab  ');
    expect(fit('a\x1b[31mb', 8)).toBe('a [31mb ');
  });

  it('shows a pending job with its reason and a running one with its node', () => {
    const jobs = parseSqueue(golden('squeue-me').stdout).map(jobCells);
    expect(jobs.find((j) => j.name === 'held')?.where).toBe('(JobHeldUser)');
    expect(jobs.find((j) => j.name === 'gpu-1')).toMatchObject({ where: 'node01', time: expect.stringMatching(/^0:00:0\d\/0:10:00$/) });
  });
});

describe('keys', () => {
  it('maps keys to commands, arrows included', () => {
    expect(commandFor('q', {}, 'overview')).toBe('quit');
    expect(commandFor('c', { ctrl: true }, 'overview')).toBe('quit');
    expect(commandFor('', { downArrow: true }, 'overview')).toBe('down');
    expect(commandFor('k', {}, 'overview')).toBe('up');
    expect(commandFor('x', {}, 'overview')).toBeUndefined();
  });

  it('binds no key twice, and the footer comes from the same table', () => {
    for (const view of ['overview', 'preflight', 'compose', 'review', 'monitor', 'results'] as const) {
      const screen = KEY_BINDINGS.filter((b) => b.mode === undefined && b.command !== 'go-to' && (b.views === undefined || b.views.includes(view)));
      const inView = screen.flatMap((b) => b.keys);
      expect(new Set(inView).size, view).toBe(inView.length);
      // A screen's own use of a number key is the screen the number opens everywhere else.
      for (const b of screen)
        for (const k of b.keys.filter((key) => /^\d$/.test(key))) expect(b.command, `${view} ${k}`).toBe(NAV_VIEWS.find((v) => v.key === k)?.view);
    }
    for (const mode of ['line', 'palette', 'question', 'shell'] as const) {
      const keys = KEY_BINDINGS.filter((b) => b.mode === mode).flatMap((b) => b.keys);
      expect(new Set(keys).size, mode).toBe(keys.length);
    }
    expect(footerText('overview')).toBe('3 preflight | 6 monitor | 7 results | 4 new plan | 2 setup | esc back | : go to | ? help | q quit');
    expect(commandFor('5', {}, 'monitor')).toBe('go-to');
    expect(commandFor('4', {}, 'compose')).toBe('go-to');
    expect(commandFor(':', {}, 'results')).toBe('palette');
    expect(commandFor('r', {}, 'preflight')).toBe('rerun');
    expect(commandFor('', { escape: true }, 'preflight')).toBe('back');
    // The same letter means what the screen says it means.
    expect(commandFor('s', {}, 'overview')).toBe('setup');
    expect(commandFor('s', {}, 'review')).toBe('submit');
    expect(commandFor(' ', {}, 'compose')).toBe('toggle');
    expect(commandFor('', { tab: true, shift: true }, 'compose')).toBe('previous-list');
    expect(commandFor('', { return: true }, 'compose')).toBe('review');
    expect(commandFor('', { return: true }, 'overview')).toBeUndefined();
    expect(footerText('review')).toBe('d dry run | s submit | A arrays | esc back | : go to | ? help | q quit');
    // At 80 columns the screen's own keys give way, never the palette, the help or quit.
    for (const view of ['overview', 'preflight', 'compose', 'review', 'monitor', 'results'] as const) {
      const footer = footerText(view, undefined, 79);
      expect(footer.length, view).toBeLessThanOrEqual(79);
      expect(footer, view).toMatch(/: go to \| \? help \| q quit$/);
    }
    expect(footerText('monitor', (c) => c !== 'cancel-jobs', 79)).toBe('/ filter | l logs | enter details | r resubmit | : go to | ? help | q quit');
  });
});

describe('status line', () => {
  const base: ClusterSlice = {
    controller: null,
    partitions: [],
    jobs: [],
    dataAt: null,
    changedAt: null,
    error: null,
    errorSince: null,
    refreshing: false,
    nextRefreshAt: null,
    intervalMs: 5000,
    paused: false,
  };
  const at = (hms: string) => new Date(`2026-11-28T${hms}`);

  it('says the poller is live and when the data last changed, in words a look that read the same again leaves alone', () => {
    const live = { ...base, dataAt: at('14:01:10'), changedAt: at('14:01:00'), nextRefreshAt: at('14:01:15') };
    expect(statusLine(live, at('14:01:12')).text).toBe('live - last change 14:01:00');
    expect(statusLine({ ...live, dataAt: at('14:01:15'), nextRefreshAt: at('14:01:20') }, at('14:01:17')).text).toBe('live - last change 14:01:00');
    expect(statusLine({ ...live, refreshing: true, intervalMs: 10_000 }, at('14:01:12')).text).toBe('refreshing... - last change 14:01:00 - every 10 s');
  });

  it('never hides stale data: unreachable since, retrying at, showing data from', () => {
    const line = statusLine(
      {
        ...base,
        dataAt: at('14:01:00'),
        error: { kind: 'unreachable', command: 'squeue', message: 'Unable to contact slurm controller (connect failure)', detail: '' },
        errorSince: at('14:02:00'),
        nextRefreshAt: at('14:02:18'),
      },
      at('14:02:10'),
    );
    expect(line).toEqual({
      text: 'controller unreachable since 14:02:00 - retrying at 14:02:18 - showing data from 14:01:00 - Unable to contact slurm controller (connect failure)',
      tone: 'error',
    });
  });
});

describe('polling rhythm', () => {
  it('keeps the interval while Slurm answers and backs off to a minute when it does not', () => {
    expect(nextDelay(5_000, 0)).toBe(5_000);
    expect(nextDelay(5_000, 1)).toBe(10_000);
    expect(nextDelay(5_000, 3)).toBe(40_000);
    expect(nextDelay(5_000, 10)).toBe(60_000);
  });
});

describe('README', () => {
  it('carries the key reference generated from the keybinding table', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(keyReferenceMarkdown());
  });
});
