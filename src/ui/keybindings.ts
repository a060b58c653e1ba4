import type { View } from '../store/app-store.js';

/** Every command a key can trigger. The footer, the help overlay and the README come from this table. */
export type Command = 'quit' | 'refresh' | 'help' | 'down' | 'up' | 'setup' | 'preflight' | 'rerun' | 'rerun-all' | 'cancel-probe' | 'back';

export interface KeyBinding {
  command: Command;
  /** What the user presses, as the help shows it. */
  keys: string[];
  description: string;
  /** Views where it applies; omitted means everywhere. */
  views?: View[];
  /** Shown in the footer (the rest only in the help overlay). */
  footer: boolean;
}

export const KEY_BINDINGS: readonly KeyBinding[] = [
  { command: 'down', keys: ['j', 'down'], description: 'next row', views: ['overview', 'preflight'], footer: false },
  { command: 'up', keys: ['k', 'up'], description: 'previous row', views: ['overview', 'preflight'], footer: false },
  { command: 'refresh', keys: ['r'], description: 'refresh now', views: ['overview'], footer: true },
  { command: 'preflight', keys: ['p'], description: 'preflight checks', views: ['overview'], footer: true },
  { command: 'setup', keys: ['s'], description: 'edit the setup', views: ['overview'], footer: true },
  { command: 'rerun', keys: ['r'], description: 're-run the selected check', views: ['preflight'], footer: true },
  { command: 'rerun-all', keys: ['R'], description: 're-run all (with a probe job)', views: ['preflight'], footer: true },
  { command: 'cancel-probe', keys: ['c'], description: 'cancel the probe job', views: ['preflight'], footer: true },
  { command: 'back', keys: ['esc'], description: 'back to the overview', views: ['preflight'], footer: true },
  { command: 'help', keys: ['?'], description: 'help', footer: true },
  { command: 'quit', keys: ['q', 'ctrl+c'], description: 'quit', footer: true },
];

/** What an Ink key event means, if anything, in this view. */
export function commandFor(input: string, key: { upArrow?: boolean; downArrow?: boolean; ctrl?: boolean; escape?: boolean }, view: View): Command | undefined {
  const pressed = key.ctrl && input === 'c' ? 'ctrl+c' : key.upArrow ? 'up' : key.downArrow ? 'down' : key.escape ? 'esc' : input;
  return KEY_BINDINGS.find((b) => b.keys.includes(pressed) && (b.views === undefined || b.views.includes(view)))?.command;
}

/** `r refresh | ? help | q quit`. */
export function footerText(view: View): string {
  return KEY_BINDINGS.filter((b) => b.footer && (b.views === undefined || b.views.includes(view)))
    .map((b) => `${b.keys[0] ?? ''} ${b.description}`)
    .join(' | ');
}

/** The key reference as a Markdown table, for the README (a test keeps the two identical). */
export function keyReferenceMarkdown(): string {
  const rows = KEY_BINDINGS.map((b) => `| ${b.keys.map((k) => `\`${k}\``).join(', ')} | ${b.description} | ${b.views?.join(', ') ?? 'everywhere'} |`);
  return ['| keys | action | where |', '| --- | --- | --- |', ...rows].join('\n');
}
