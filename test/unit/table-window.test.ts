import { describe, expect, it } from 'vitest';
import { tableWindow } from '../../src/text/window.js';

describe("a table's window", () => {
  it('shows the first rows until the selection reaches the bottom edge, then follows it, and counts what is not shown', () => {
    expect(tableWindow(5000, 0, 20)).toEqual({ start: 0, end: 20, more: 4980 });
    expect(tableWindow(5000, 19, 20)).toEqual({ start: 0, end: 20, more: 4980 });
    expect(tableWindow(5000, 20, 20)).toEqual({ start: 1, end: 21, more: 4980 });
    expect(tableWindow(5000, 4999, 20)).toEqual({ start: 4980, end: 5000, more: 4980 });
    expect(tableWindow(3, 2, 20)).toEqual({ start: 0, end: 3, more: 0 });
    expect(tableWindow(0, undefined, 20)).toEqual({ start: 0, end: 0, more: 0 });
  });
});
