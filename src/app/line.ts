import { commandFor, type InkKey, type KeyMode } from './keybindings.js';
import type { View } from './navigation.js';

/** What a key does to a line being typed: the new text, or the end of typing (kept or cleared). */
export type LineStep = { kind: 'text'; text: string } | { kind: 'accept' } | { kind: 'clear' } | { kind: 'none' };

/**
 * The one line editor (filters, the log search, the palette): the table's line keys, and every
 * other printable key typed. Control characters never reach the text: a pasted newline or escape
 * sequence would otherwise end up in a filter the user cannot see.
 */
export function lineStep(text: string, input: string, key: InkKey, view: View, mode: Extract<KeyMode, 'line' | 'palette'> = 'line'): LineStep {
  const command = commandFor(input, key, view, mode);
  if (command === 'line-accept') return { kind: 'accept' };
  if (command === 'line-clear') return { kind: 'clear' };
  if (command === 'line-erase') return { kind: 'text', text: text.slice(0, -1) };
  if (key.ctrl || key.meta || !input) return { kind: 'none' };
  const typed = input.replace(/[\x00-\x1f]/g, '');
  return typed ? { kind: 'text', text: text + typed } : { kind: 'none' };
}
