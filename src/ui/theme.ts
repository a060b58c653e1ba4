/**
 * Semantic colours. Components ask for `stateColour('FAILED')`, never for "red", and get
 * nothing at all when NO_COLOR is set (https://no-color.org).
 */
export const colorEnabled = (env: NodeJS.ProcessEnv = process.env): boolean => env.NO_COLOR === undefined || env.NO_COLOR === '';

const TOKENS = {
  'status.running': 'green',
  'status.pending': 'yellow',
  'status.done': 'cyan',
  'status.failed': 'red',
  'status.other': 'gray',
  'text.dim': 'gray',
  'text.accent': 'cyan',
  'text.warning': 'yellow',
  'text.error': 'red',
} as const;

export type Token = keyof typeof TOKENS;

export function colour(token: Token): string | undefined {
  return colorEnabled() ? TOKENS[token] : undefined;
}

/** The token for a Slurm job state (long form, upper case). */
export function stateToken(state: string): Token {
  if (state === 'RUNNING' || state === 'COMPLETING' || state === 'CONFIGURING') return 'status.running';
  if (state === 'PENDING' || state === 'REQUEUED' || state === 'SUSPENDED') return 'status.pending';
  if (state === 'COMPLETED') return 'status.done';
  if (/FAIL|TIMEOUT|OUT_OF_MEMORY|BOOT_FAIL|DEADLINE|NODE_FAIL|PREEMPTED/.test(state)) return 'status.failed';
  return 'status.other';
}

/** The token for a node state as sinfo prints it. */
export function nodeStateToken(state: string): Token {
  if (state === 'idle') return 'status.running';
  if (state === 'mixed' || state === 'allocated' || state === 'completing') return 'status.pending';
  if (/down|drain|fail|inval|maint|reserved/.test(state)) return 'status.failed';
  return 'status.other';
}
