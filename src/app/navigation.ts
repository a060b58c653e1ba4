import Fuse from 'fuse.js';

/** The screen shown: the overview, the setup wizard, or the report of a broken configuration. */
export type View = 'overview' | 'setup' | 'config-error' | 'preflight' | 'compose' | 'review' | 'monitor' | 'results';

/** The screens in the order of the work (and of their number keys). */
export const NAV_VIEWS: readonly { key: string; view: View; title: string; what: string }[] = [
  { key: '1', view: 'overview', title: 'overview', what: 'partitions, GPUs, your jobs, the trial ladder' },
  { key: '2', view: 'setup', title: 'setup', what: 'the setup wizard' },
  { key: '3', view: 'preflight', title: 'preflight', what: 'checks on the login node and a compute node' },
  { key: '4', view: 'compose', title: 'compose', what: 'choose models, evals, agents' },
  { key: '5', view: 'review', title: 'review', what: 'tasks, batch scripts, submit' },
  { key: '6', view: 'monitor', title: 'monitor', what: 'ptb jobs, logs, cancel, resubmit' },
  { key: '7', view: 'results', title: 'results', what: 'scores per method, model and eval' },
];

/** The view a number key opens, if it is one. */
export function viewForKey(input: string): View | undefined {
  return NAV_VIEWS.find((v) => v.key === input)?.view;
}

/** `2 setup` for the wizard's error report too: it is the setup's screen. */
function label(view: View): string {
  const shown = view === 'config-error' ? 'setup' : view;
  const nav = NAV_VIEWS.find((v) => v.view === shown);
  return `${nav?.key ?? ''} ${nav?.title ?? view}`;
}

/** `1 overview > 4 compose > 5 review`: how the user got here (the last few steps). */
export function breadcrumb(history: readonly View[], view: View, steps = 3): string {
  return [...history.slice(-(steps - 1)), view].map(label).join(' > ');
}

/** The view `esc` returns to, and the history without it: the overview when there is nothing left. */
export function previousView(history: readonly View[]): { view: View; history: View[] } {
  const rest = [...history];
  const view = rest.pop() ?? 'overview';
  return { view, history: rest };
}

/** The history after moving from `from` to `to`: a view already in it is cut back to, so `esc` never loops. */
export function pushHistory(history: readonly View[], from: View, to: View): View[] {
  if (from === to) return [...history];
  const seen = history.indexOf(to);
  if (seen >= 0) return history.slice(0, seen);
  // The wizard's error report and the wizard are one place to come back to.
  const last = from === 'config-error' ? 'setup' : from;
  if (last === to) return [...history];
  return [...history.filter((v) => v !== last), last].slice(-12);
}

/** A line of the command palette: what it says, and what it does when chosen. */
export interface PaletteEntry {
  label: string;
  hint: string;
  action: { kind: 'view'; view: View } | { kind: 'command'; name: PaletteCommand };
}

export type PaletteCommand =
  | 'help'
  | 'quit'
  | 'refresh'
  | 'preset-container'
  | 'preset-baseline'
  | 'preset-smoke'
  | 'preset-full'
  | 'preset-recipes'
  | 'show-all'
  | 'show-running'
  | 'show-pending'
  | 'show-failed'
  | 'show-done';

/** What the palette offers in a view: every screen, then what the screen itself can do. */
export function paletteEntries(view: View): PaletteEntry[] {
  const views = NAV_VIEWS.map((v): PaletteEntry => ({ label: v.title, hint: `${v.key}  ${v.what}`, action: { kind: 'view', view: v.view } }));
  const command = (label: string, hint: string, name: PaletteCommand): PaletteEntry => ({ label, hint, action: { kind: 'command', name } });
  const here: PaletteEntry[] =
    view === 'compose'
      ? [
          command('container test', 'ladder step 1: the image runs on a GPU node (c)', 'preset-container'),
          command('baseline', 'ladder step 2: the base model evaluated, no API key (b)', 'preset-baseline'),
          command('smoke', 'ladder step 3: gsm8k x Qwen3-1.7B x 1 h (s)', 'preset-smoke'),
          command('full', 'ladder step 4: everything at 10 h (f)', 'preset-full'),
          command('upstream recipes', "commit.sh's models x evals x every recipe, as upstream submits them (u)", 'preset-recipes'),
        ]
      : view === 'monitor'
        ? (['all', 'running', 'pending', 'failed', 'done'] as const).map((q) => command(`show ${q}`, `quick filter (f cycles)`, `show-${q}`))
        : [];
  return [
    ...views,
    ...here,
    command('refresh', 'ask Slurm now (r)', 'refresh'),
    command('help', 'the keys of this screen (?)', 'help'),
    command('quit', 'leave ptb (q)', 'quit'),
  ];
}

/** The entries that match what was typed, best first (all of them for an empty line). */
export function matchPalette(entries: readonly PaletteEntry[], text: string): PaletteEntry[] {
  const query = text.trim();
  if (query === '') return [...entries];
  // A number is the view's key, as outside the palette.
  const byKey = viewForKey(query);
  if (byKey) return entries.filter((e) => e.action.kind === 'view' && e.action.view === byKey);
  return new Fuse(entries, { keys: [{ name: 'label', weight: 3 }, 'hint'], threshold: 0.4, ignoreLocation: true }).search(query).map((r) => r.item);
}
