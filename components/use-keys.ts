import { useInput, type Key } from 'ink';

/**
 * Ink's useInput, one key press at a time: keys typed fast (or pasted, or sent by a test) arrive
 * as one chunk ("jjj", "sy", "4\r"), and each must count.
 */
export function useKeys(handler: (input: string, key: Key) => void, options?: { isActive?: boolean }): void {
  useInput((input, key) => {
    if (input.length <= 1 || key.ctrl || key.meta) return handler(input, key);
    for (const ch of input) {
      if (ch === '\r') handler('', { ...key, return: true });
      else if (ch === '\t') handler('', { ...key, tab: true });
      else handler(ch, key);
    }
  }, options);
}
