/**
 * Semantic colours. Components ask for `stateColour('FAILED')`, never for "red", and get
 * nothing at all when NO_COLOR is set (https://no-color.org).
 */
import { stateFamily } from '../slurm/state-family.js';

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

/** The token for a Slurm job state (long form, upper case): its family's, as the monitor filters and sorts it. */
export function stateToken(state: string): Token {
  return `status.${stateFamily(state)}`;
}

/** The token for a node state as sinfo prints it. */
export function nodeStateToken(state: string): Token {
  if (state === 'idle') return 'status.running';
  if (state === 'mixed' || state === 'allocated' || state === 'completing') return 'status.pending';
  if (/down|drain|fail|inval|maint|reserved/.test(state)) return 'status.failed';
  return 'status.other';
}
