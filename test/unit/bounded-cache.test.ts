import { describe, expect, it } from 'vitest';
import { BoundedCache, memoized } from '../../src/text/bounded-cache.js';

describe('the bounded memo Ink measures and styles through', () => {
  it('keeps what is used again, drops what stopped being used, and never holds more than two generations', () => {
    const cache = new BoundedCache<string, number>(3);
    for (const [i, key] of ['header', 'row 1', 'row 2'].entries()) cache.set(key, i);
    // A new frame: the header is shown again, two new rows.
    expect(cache.get('header')).toBe(0);
    cache.set('row 3', 3);
    cache.set('row 4', 4);
    expect(cache.get('header')).toBe(0);
    for (let i = 5; i < 50; i++) {
      cache.set(`elapsed ${i}`, i);
      expect(cache.get('header')).toBe(0);
      expect(cache.held).toBeLessThanOrEqual(6);
    }
    expect(cache.get('row 1')).toBeUndefined();
  });

  it('reads a text once while it is used, an answer of undefined or null included', () => {
    const reads: string[] = [];
    const duration = memoized(2, (text: string) => {
      reads.push(text);
      return text === 'N/A' ? undefined : text === 'UNLIMITED' ? null : text.length;
    });
    for (let i = 0; i < 3; i++) expect([duration('N/A'), duration('UNLIMITED'), duration('10:00')]).toEqual([undefined, null, 5]);
    expect(reads).toEqual(['N/A', 'UNLIMITED', '10:00']);
  });
});
