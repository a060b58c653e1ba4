import { describe, expect, it } from 'vitest';
import { BoundedCache } from '../../src/text/bounded-cache.js';

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
});
