import { describe, expect, it } from 'vitest';
import { formatDuration, invalidTimeLimit, parseDuration } from '../../src/slurm/duration.js';
import { parseGresList } from '../../src/slurm/gres.js';

describe('Slurm durations', () => {
  it.each([
    ['0:01', 1],
    ['12:34', 754],
    ['1:02:03', 3723],
    ['2-00:00:00', 172800],
    ['1-02', 93600],
    ['1-02:03', 93780],
    ['30', 1800],
  ])('%s is %i seconds', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it('knows unlimited and rejects what is not a duration', () => {
    expect(parseDuration('UNLIMITED')).toBeNull();
    expect(parseDuration('INVALID')).toBeUndefined();
    expect(parseDuration('-5')).toBeUndefined();
    expect(invalidTimeLimit('-5')).toMatch(/not a Slurm time limit/);
    expect(invalidTimeLimit('12:00:00')).toBeUndefined();
  });

  it('formats for reading', () => {
    expect(formatDuration(3723)).toBe('1:02:03');
    expect(formatDuration(172800)).toBe('2-00:00:00');
    expect(formatDuration(null)).toBe('unlimited');
  });
});

describe('GRES lists', () => {
  it('reads what sinfo and squeue print on real clusters', () => {
    expect(parseGresList('gpu:h100:4(S:0-1)')).toEqual([{ name: 'gpu', type: 'h100', count: 4 }]);
    expect(parseGresList('gpu:h100:4(IDX:0-3),shard:8')).toEqual([
      { name: 'gpu', type: 'h100', count: 4 },
      { name: 'shard', type: null, count: 8 },
    ]);
    expect(parseGresList('gres:gpu:1')).toEqual([{ name: 'gpu', type: null, count: 1 }]);
    expect(parseGresList('gpu:8')).toEqual([{ name: 'gpu', type: null, count: 8 }]);
    expect(parseGresList('(null)')).toEqual([]);
  });
});
