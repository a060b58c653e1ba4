import { createContext, useContext, useEffect, useRef } from 'react';
import type { Key } from 'ink';
import type { View } from '../src/store/app-store.js';

export type KeyHandler = (input: string, key: Key) => void;

/** The key handler of the screen shown, with its view: the app calls it for the keys its own navigation does not take. */
export const ScreenKeysContext = createContext<{ current: { view: View; handler: KeyHandler } | null }>({ current: null });

/**
 * A screen's keys. One router (the app's) reads the terminal: Ink calls every input hook in an
 * order that changes with each render, and a key must reach the palette or a screen, never both.
 * The view tag keeps the keys that follow a screen change in the same chunk ("5s" typed fast)
 * from reaching the screen being left.
 */
export function useScreenKeys(view: View, handler: KeyHandler): void {
  const slot = useContext(ScreenKeysContext);
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    const own = { view, handler: (input: string, key: Key) => latest.current(input, key) };
    slot.current = own;
    return () => {
      if (slot.current === own) slot.current = null;
    };
  }, [slot, view]);
}
