import type { View } from './navigation.js';

/** Every command a key can trigger. The footer, the help overlay and the README come from this table. */
export type Command =
  | 'chart'
  | 'quit'
  | 'refresh'
  | 'help'
  | 'down'
  | 'up'
  | 'setup'
  | 'preflight'
  | 'compose'
  | 'rerun'
  | 'rerun-all'
  | 'cancel-probe'
  | 'back'
  | 'next-list'
  | 'previous-list'
  | 'toggle'
  | 'toggle-all'
  | 'filter'
  | 'preset-container'
  | 'preset-baseline'
  | 'preset-smoke'
  | 'preset-full'
  | 'preset-recipes'
  | 'save-plan'
  | 'cycle-gpus'
  | 'review'
  | 'dry-run'
  | 'submit'
  | 'array-mode'
  | 'force'
  | 'monitor'
  | 'page-down'
  | 'page-up'
  | 'mark'
  | 'mark-all'
  | 'cancel-jobs'
  | 'resubmit'
  | 'requeue'
  | 'details'
  | 'quick-filter'
  | 'sort'
  | 'group'
  | 'faster'
  | 'slower'
  | 'pause'
  | 'logs'
  | 'next-tab'
  | 'previous-tab'
  | 'top'
  | 'bottom'
  | 'wrap'
  | 'fullscreen'
  | 'pager'
  | 'script-pager'
  | 'shell'
  | 'results'
  | 'jump-tab'
  | 'next-match'
  | 'previous-match'
  | 'go-to'
  | 'palette'
  | 'line-accept'
  | 'line-clear'
  | 'line-erase'
  | 'answer-yes'
  | 'palette-next'
  | 'palette-previous'
  | 'detach'
  | 'wizard-next'
  | 'wizard-back'
  | 'field-next'
  | 'field-previous'
  | 'choice-next'
  | 'choice-previous'
  | 'field-clear'
  | 'wizard-cancel'
  | 'from-backup'
  | 'from-defaults';

/**
 * What the keys are for at the moment: a screen's commands, a line being typed (a filter, a
 * search, the palette's text), a question waiting for its answer, or a shell that takes them all.
 */
export type KeyMode = 'screen' | 'line' | 'palette' | 'question' | 'shell';

const MODE_WORDS: Record<Exclude<KeyMode, 'screen'>, string> = {
  line: 'typing a line',
  palette: 'the palette',
  question: 'a question',
  shell: 'the shell pane',
};

/** The screens where each mode happens: a filter or a search is typed, a question asked, a shell opened. */
const MODE_VIEWS: Record<Exclude<KeyMode, 'screen'>, readonly View[]> = {
  line: ['compose', 'monitor'],
  palette: ['overview', 'preflight', 'compose', 'review', 'monitor', 'results'],
  question: ['review', 'monitor'],
  shell: ['monitor'],
};

export interface KeyBinding {
  command: Command;
  /** What the user presses, as the help shows it. */
  keys: string[];
  description: string;
  /** Views where it applies; omitted means everywhere. */
  views?: View[];
  /** Shown in the footer (the rest only in the help overlay). */
  footer: boolean;
  /** The footer's word for it, where the description is too long for 80 columns. */
  short?: string;
  /** When it applies: a screen's keys by default, else while a line is typed, a question asked... */
  mode?: Exclude<KeyMode, 'screen'>;
}

export const KEY_BINDINGS: readonly KeyBinding[] = [
  { command: 'down', keys: ['j', 'down'], description: 'next row', views: ['overview', 'preflight', 'compose', 'review', 'monitor', 'results'], footer: false },
  { command: 'up', keys: ['k', 'up'], description: 'previous row', views: ['overview', 'preflight', 'compose', 'review', 'monitor', 'results'], footer: false },
  { command: 'page-down', keys: ['ctrl+d', 'pagedown'], description: 'a page down (of the log when the pane is open)', views: ['monitor'], footer: false },
  { command: 'page-up', keys: ['ctrl+u', 'pageup'], description: 'a page up (of the log when the pane is open)', views: ['monitor'], footer: false },
  { command: 'refresh', keys: ['r'], description: 'refresh now', views: ['overview', 'results'], footer: false },
  {
    command: 'chart',
    keys: ['g'],
    description: 'the scores, then API spend over time, then scores against spend',
    views: ['results'],
    footer: true,
    short: 'charts',
  },
  { command: 'preflight', keys: ['3', 'p'], description: 'preflight checks', views: ['overview'], footer: true, short: 'preflight' },
  { command: 'monitor', keys: ['6', 'm'], description: 'job monitor (ptb jobs and their history)', views: ['overview'], footer: true, short: 'monitor' },
  {
    command: 'results',
    keys: ['7', 'e'],
    description: 'results: scores per method, model and eval',
    views: ['overview', 'monitor'],
    footer: true,
    short: 'results',
  },
  { command: 'compose', keys: ['4', 'n'], description: 'new plan (compose, review, submit)', views: ['overview'], footer: true, short: 'new plan' },
  { command: 'setup', keys: ['2', 's'], description: 'edit the setup', views: ['overview'], footer: true, short: 'setup' },
  { command: 'rerun', keys: ['r'], description: 're-run the selected check', views: ['preflight'], footer: true },
  { command: 'rerun-all', keys: ['R'], description: 're-run all (with a probe job)', views: ['preflight'], footer: true },
  { command: 'cancel-probe', keys: ['c'], description: 'cancel the probe job', views: ['preflight'], footer: true },
  { command: 'next-list', keys: ['tab', 'right', 'l'], description: 'next list', views: ['compose'], footer: true, short: 'lists' },
  { command: 'previous-list', keys: ['shift+tab', 'left', 'h'], description: 'previous list', views: ['compose'], footer: false },
  { command: 'toggle', keys: ['space'], description: 'pick or drop the row', views: ['compose'], footer: true, short: 'pick' },
  { command: 'toggle-all', keys: ['a'], description: 'pick or drop every row shown', views: ['compose'], footer: true, short: 'all' },
  {
    command: 'filter',
    keys: ['/'],
    description: 'fuzzy filter of the list (in the full-screen log: search it)',
    views: ['compose', 'monitor'],
    footer: true,
    short: 'filter',
  },
  { command: 'next-match', keys: ['n'], description: 'next search match in the log, upwards', views: ['monitor'], footer: false },
  { command: 'previous-match', keys: ['N'], description: 'previous search match in the log, downwards', views: ['monitor'], footer: false },
  { command: 'preset-container', keys: ['c'], description: 'ladder step 1: container test', views: ['compose'], footer: false },
  { command: 'preset-baseline', keys: ['b'], description: 'ladder step 2: baseline (no API key)', views: ['compose'], footer: false },
  { command: 'preset-smoke', keys: ['s'], description: 'ladder step 3: smoke (gsm8k x Qwen3-1.7B x 1 h)', views: ['compose'], footer: false },
  {
    command: 'preset-full',
    keys: ['f'],
    description: "ladder step 4: full (every model x eval at 10 h, for the configs picked, else for the setup's agents)",
    views: ['compose'],
    footer: false,
  },
  {
    command: 'preset-recipes',
    keys: ['u'],
    description: "upstream recipes: commit.sh's models x evals x every recipe (its hours, GPUs, resources)",
    views: ['compose'],
    footer: false,
  },
  { command: 'cycle-gpus', keys: ['g'], description: 'GPUs per run: 1, 2, 4, 8', views: ['compose'], footer: false },
  { command: 'save-plan', keys: ['w'], description: 'save the plan as YAML', views: ['compose'], footer: true, short: 'save' },
  { command: 'review', keys: ['enter'], description: 'review tasks and scripts', views: ['compose'], footer: true, short: 'review' },
  { command: 'dry-run', keys: ['d'], description: 'dry run (sbatch --test-only)', views: ['review'], footer: true, short: 'dry run' },
  { command: 'submit', keys: ['s'], description: 'submit (asks first)', views: ['review'], footer: true, short: 'submit' },
  {
    command: 'force',
    keys: ['F'],
    description: 'force: submit tasks already queued or scored too (a passed container test again)',
    views: ['review'],
    footer: false,
  },
  {
    command: 'script-pager',
    keys: ['o'],
    description: "the selected task's whole batch script (or what blocks the plan) in $PAGER",
    views: ['review'],
    footer: false,
  },
  { command: 'array-mode', keys: ['A'], description: 'job arrays on or off (one sbatch per agent)', views: ['review'], footer: true, short: 'arrays' },
  { command: 'logs', keys: ['l'], description: "log pane: the selected job's logs, followed", views: ['monitor'], footer: true, short: 'logs' },
  {
    command: 'details',
    keys: ['enter'],
    description: 'details of the job (Slurm fields, task, logs, run folder, chain)',
    views: ['monitor'],
    footer: true,
    short: 'details',
  },
  { command: 'mark', keys: ['space'], description: 'mark the job (actions take the marked jobs, else the selected one)', views: ['monitor'], footer: false },
  { command: 'mark-all', keys: ['a'], description: 'mark every job shown (again: none)', views: ['monitor'], footer: false },
  { command: 'cancel-jobs', keys: ['c'], description: 'cancel (asks first)', views: ['monitor'], footer: true, short: 'cancel' },
  {
    command: 'resubmit',
    keys: ['r'],
    description: 'resubmit a finished job without a score as a new one: only its evaluation where its run saved a model (asks first)',
    views: ['monitor'],
    footer: true,
    short: 'resubmit',
  },
  { command: 'requeue', keys: ['R'], description: 'requeue a running or suspended job (asks first)', views: ['monitor'], footer: false },
  { command: 'quick-filter', keys: ['f'], description: 'show all, running, pending, failed, done (each press the next)', views: ['monitor'], footer: false },
  { command: 'sort', keys: ['S'], description: 'sort by state, time, eval, model', views: ['monitor'], footer: false },
  { command: 'group', keys: ['t'], description: 'array tasks grouped under their array (tree), or flat', views: ['monitor'], footer: false },
  {
    command: 'next-tab',
    keys: [']'],
    description: 'next log: Slurm stdout, stderr, output.log, error.log, solve_out, solve_parsed, final_eval',
    views: ['monitor'],
    footer: false,
  },
  { command: 'previous-tab', keys: ['['], description: 'previous log', views: ['monitor'], footer: false },
  {
    command: 'jump-tab',
    keys: ['L'],
    description: "jump to the log that explains the job (the file its diagnosis quotes, a running agent's trace...)",
    views: ['monitor'],
    footer: false,
  },
  { command: 'top', keys: ['g'], description: 'first line of the log (first row without the pane)', views: ['monitor'], footer: false },
  { command: 'bottom', keys: ['G'], description: 'last line of the log, following it (last row without the pane)', views: ['monitor'], footer: false },
  { command: 'wrap', keys: ['w'], description: 'wrap long log lines', views: ['monitor'], footer: false },
  { command: 'shell', keys: ['s'], description: "a shell on a running job's node, inside its allocation (ctrl+] detaches)", views: ['monitor'], footer: false },
  { command: 'pager', keys: ['o'], description: 'the whole log in $PAGER (less +G), redacted', views: ['monitor'], footer: false },
  { command: 'fullscreen', keys: ['z'], description: 'log pane over the whole screen', views: ['monitor'], footer: false },
  { command: 'faster', keys: ['+'], description: 'ask Slurm more often (at most every 2 s)', views: ['monitor'], footer: false },
  { command: 'slower', keys: ['-'], description: 'ask Slurm less often', views: ['monitor'], footer: false },
  { command: 'pause', keys: ['p'], description: 'pause or resume asking Slurm', views: ['monitor'], footer: false },
  {
    command: 'back',
    keys: ['esc'],
    description: 'back: closes what is open (details, log pane), else the screen before',
    views: ['overview', 'preflight', 'compose', 'review', 'monitor', 'results'],
    footer: true,
    short: 'back',
  },
  {
    command: 'go-to',
    keys: ['1', '2', '3', '4', '5', '6', '7'],
    description: 'go to 1 overview, 2 setup, 3 preflight, 4 compose, 5 review, 6 monitor, 7 results (not while typing)',
    footer: false,
  },
  { command: 'palette', keys: [':'], description: 'command palette: a screen or a command by name (enter runs, esc closes)', footer: true, short: 'go to' },
  { command: 'help', keys: ['?'], description: 'help', footer: true },
  { command: 'quit', keys: ['q', 'ctrl+c'], description: 'quit', footer: true },
  { command: 'wizard-next', keys: ['enter'], description: 'next step (on the last one: save)', views: ['setup'], footer: false },
  { command: 'wizard-back', keys: ['esc'], description: 'the step before', views: ['setup'], footer: false },
  { command: 'field-next', keys: ['tab', 'down'], description: 'next field', views: ['setup'], footer: false },
  { command: 'field-previous', keys: ['shift+tab', 'up'], description: 'previous field', views: ['setup'], footer: false },
  { command: 'choice-next', keys: ['right'], description: "the field's next choice", views: ['setup'], footer: false },
  { command: 'choice-previous', keys: ['left'], description: "the field's previous choice", views: ['setup'], footer: false },
  { command: 'field-clear', keys: ['ctrl+u'], description: 'clear the field (other keys are typed into it)', views: ['setup'], footer: false },
  { command: 'wizard-cancel', keys: ['ctrl+c', 'ctrl+q'], description: 'leave the wizard: nothing is saved', views: ['setup'], footer: false },
  { command: 'from-backup', keys: ['b'], description: 'a broken configuration: start the wizard from its backup', views: ['config-error'], footer: false },
  { command: 'from-defaults', keys: ['d'], description: 'a broken configuration: start the wizard from the defaults', views: ['config-error'], footer: false },
  { command: 'line-accept', keys: ['enter'], description: 'keep what is typed (a filter stays on, a search jumps to its match)', mode: 'line', footer: false },
  { command: 'line-clear', keys: ['esc'], description: 'clear what is typed and stop typing', mode: 'line', footer: false },
  { command: 'line-erase', keys: ['backspace'], description: 'erase the last character (other keys are typed)', mode: 'line', footer: false },
  { command: 'palette-next', keys: ['tab', 'down'], description: 'next match', mode: 'palette', footer: false },
  { command: 'palette-previous', keys: ['up'], description: 'previous match', mode: 'palette', footer: false },
  { command: 'line-accept', keys: ['enter'], description: 'run the highlighted match', mode: 'palette', footer: false },
  { command: 'line-clear', keys: ['esc'], description: 'close the palette (backspace on an empty line too)', mode: 'palette', footer: false },
  { command: 'line-erase', keys: ['backspace'], description: 'erase the last character', mode: 'palette', footer: false },
  { command: 'answer-yes', keys: ['y'], description: 'yes, do it (any other key: no, nothing is done)', mode: 'question', footer: false },
  {
    command: 'detach',
    keys: ['ctrl+]'],
    description: 'end the shell and come back to the grid (every other key goes to the shell)',
    mode: 'shell',
    footer: false,
  },
];

/** The subset of Ink's key event the table needs. */
export interface InkKey {
  upArrow?: boolean;
  downArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  tab?: boolean;
  shift?: boolean;
  return?: boolean;
  ctrl?: boolean;
  meta?: boolean;
  escape?: boolean;
  backspace?: boolean;
  delete?: boolean;
}

/** The key's name as the table spells it. */
function pressedName(input: string, key: InkKey): string {
  if (input === '\x1d' || (key.ctrl && input === ']')) return 'ctrl+]';
  // ctrl+s is not s: a control key held by mistake must not submit.
  if (key.ctrl && /^[a-z]$/i.test(input)) return `ctrl+${input.toLowerCase()}`;
  if (key.backspace || key.delete) return 'backspace';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.tab) return key.shift ? 'shift+tab' : 'tab';
  if (key.return) return 'enter';
  if (key.escape) return 'esc';
  return input === ' ' ? 'space' : input;
}

/** What an Ink key event means, if anything, in this view and mode. */
export function commandFor(input: string, key: InkKey, view: View, mode: KeyMode = 'screen'): Command | undefined {
  const pressed = pressedName(input, key);
  // In the wizard every key is typed into a field but its own: the screens' keys that work everywhere do not apply there.
  const applies = (b: KeyBinding) => (b.views === undefined ? view !== 'setup' || b.mode !== undefined : b.views.includes(view));
  return KEY_BINDINGS.find((b) => (b.mode ?? 'screen') === mode && b.keys.includes(pressed) && applies(b))?.command;
}

/** The bindings the help lists on a screen: those that work everywhere, the screen's own, then typing's and questions'. */
export function helpBindings(view: View): KeyBinding[] {
  const screen = KEY_BINDINGS.filter((b) => b.mode === undefined);
  return [
    ...screen.filter((b) => b.views === undefined),
    ...screen.filter((b) => b.views?.includes(view)),
    ...KEY_BINDINGS.filter((b) => b.mode !== undefined && MODE_VIEWS[b.mode].includes(view)),
  ];
}

/** The keys as the help shows them: `j, down`; a run of digits as `1-7`. */
export function keysLabel(keys: readonly string[]): string {
  const digits = keys.every((k) => /^\d$/.test(k)) && keys.length > 2 && keys.every((k, i) => i === 0 || Number(k) === Number(keys[i - 1]) + 1);
  return digits ? `${keys[0] ?? ''}-${keys.at(-1) ?? ''}` : keys.join(', ');
}

/**
 * `r refresh | ? help | q quit`; `applies` leaves out what cannot be done now. Within `width`, the
 * screen's own keys give way from the right and the keys that work everywhere stay: `?` lists the rest.
 */
export function footerText(view: View, applies: (command: Command) => boolean = () => true, width = Infinity): string {
  const shown = KEY_BINDINGS.filter((b) => b.footer && b.mode === undefined && (b.views === undefined || b.views.includes(view)) && applies(b.command));
  const label = (b: KeyBinding) => `${b.keys[0] ?? ''} ${b.short ?? b.description}`;
  const everywhere = shown.filter((b) => b.views === undefined);
  const own = shown.filter((b) => b.views !== undefined);
  const text = () => [...own, ...everywhere].map(label).join(' | ');
  // Beyond the overview, a screen's number is in the breadcrumb and the palette: it gives way first.
  const isNumber = (b: KeyBinding) => /^\d$/.test(b.keys[0] ?? '');
  while (view !== 'overview' && own.some(isNumber) && text().length > width) own.splice(own.findIndex(isNumber), 1);
  while (own.length > 0 && text().length > width) own.pop();
  return text();
}

/** The key reference as a Markdown table, for the README (a test keeps the two identical). */
export function keyReferenceMarkdown(): string {
  const rows = KEY_BINDINGS.map(
    (b) =>
      `| ${keysLabel(b.keys)
        .split(', ')
        .map((k) => `\`${k}\``)
        .join(', ')} | ${b.description} | ${b.mode ? MODE_WORDS[b.mode] : (b.views?.join(', ') ?? 'everywhere')} |`,
  );
  return ['| keys | action | where |', '| --- | --- | --- |', ...rows].join('\n');
}

/** A binding's line in the help: a mode's keys say when they apply (`typing a line: keep what is typed`). */
export function helpDescription(b: KeyBinding): string {
  return b.mode ? `${MODE_WORDS[b.mode]}: ${b.description}` : b.description;
}
