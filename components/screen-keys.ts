import { createContext, useContext, useEffect, useRef } from 'react';
import type { Key } from 'ink';

export type KeyHandler = (input: string, key: Key) => void;

/** The key handler of the screen shown: the app calls it for the keys its own navigation does not take. */
export const ScreenKeysContext = createContext<{ current: KeyHandler | null }>({ current: null });

/**
 * A screen's keys. One router (the app's) reads the terminal: Ink calls every input hook in an
 * order that changes with each render, and a key must reach the palette or a screen, never both.
 */
export function useScreenKeys(handler: KeyHandler): void {
  const slot = useContext(ScreenKeysContext);
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    const own: KeyHandler = (input, key) => latest.current(input, key);
    slot.current = own;
    return () => {
      if (slot.current === own) slot.current = null;
    };
  }, [slot]);
}
