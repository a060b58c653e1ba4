import { isSecretName } from '../slurm/env.js';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { MIN_REDACTED_LENGTH } from '../logs/redact.js';

/**
 * The user's secrets file: `NAME=value` lines, mode 0600, in ptb's config folder. It is the
 * only place keys are stored; batch scripts read it at run time (never their text, argv or env).
 */
export type SecretsFile =
  | { kind: 'missing'; file: string }
  | { kind: 'ok'; file: string; values: Record<string, string> }
  | { kind: 'insecure'; file: string; mode: number; message: string }
  | { kind: 'invalid'; file: string; message: string };

const NAME = /^[A-Z_][A-Z0-9_]*$/;

/** Refuses a file others can read, as ssh does with private keys. */
export function readSecrets(file: string): SecretsFile {
  if (!existsSync(file)) return { kind: 'missing', file };
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    return {
      kind: 'insecure',
      file,
      mode,
      message: `${file} is readable by others (mode ${mode.toString(8).padStart(4, '0')}): run \`chmod 600 ${file}\`, and consider the keys in it exposed.`,
    };
  }
  const values: Record<string, string> = {};
  const lines = readFileSync(file, 'utf8').split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    const name = eq > 0 ? line.slice(0, eq).replace(/^export\s+/, '') : '';
    if (!NAME.test(name)) return { kind: 'invalid', file, message: `${file}, line ${index + 1}: expected NAME=value` };
    values[name] = unquote(line.slice(eq + 1));
  }
  return { kind: 'ok', file, values };
}

function unquote(value: string): string {
  const v = value.trim();
  if (v.length >= 2 && ((v.startsWith("'") && v.endsWith("'")) || (v.startsWith('"') && v.endsWith('"')))) return v.slice(1, -1);
  return v;
}

/**
 * What is wrong with a key as typed or exported, checked where it was typed: nothing a key never
 * holds (spaces, quotes, backslashes, line breaks: a paste that took more than the key), and long
 * enough that ptb can hide it from every log it shows without hiding ordinary words.
 */
export function checkSecretValue(value: string): string | undefined {
  if (value === '') return undefined;
  if (/[\s'"`\\]/.test(value) || /[\x00-\x1f\x7f]/.test(value)) return 'an API key has no spaces, quotes, backslashes or line breaks: paste the key alone';
  if (value.length < MIN_REDACTED_LENGTH)
    return `too short for an API key (${MIN_REDACTED_LENGTH} characters at least): ptb could not hide so short a value in the logs it shows without hiding ordinary words`;
  return undefined;
}

/** Writes the secrets file atomically, created 0600 in a 0700 folder. Empty values are dropped. */
export function writeSecrets(file: string, values: Readonly<Record<string, string>>): void {
  const lines = ['# API keys for ptb-slurm. Keep this file private (chmod 600). Batch scripts source it at run time.'];
  for (const [name, value] of Object.entries(values).sort(([a], [b]) => a.localeCompare(b))) {
    if (!NAME.test(name)) throw new Error(`"${name}" is not a valid variable name`);
    if (value === '') continue;
    if (/[\n\r'\0]/.test(value)) throw new Error(`the value of ${name} contains a line break or a quote`);
    lines.push(`${name}='${value}'`);
  }
  writeFileAtomic(file, lines.join('\n') + '\n', { mode: 0o600, dirMode: 0o700 });
}

/**
 * How a key may appear anywhere ptb prints: its last 4 characters at most, and none of a
 * short key (where 4 characters would be a large part of it).
 */
export function maskSecret(value: string): string {
  if (value === '') return '(empty)';
  return value.length >= 16 ? `****${value.slice(-4)}` : '****';
}

/**
 * Every secret value ptb may come across, to redact it from what it shows: the stored keys and
 * the credentials exported in the environment. Tolerant on purpose: a secrets file that is too
 * open, has a bad line or cannot be read still gives what it can (its keys must be hidden all
 * the more). Never throws, never writes.
 */
export function secretValuesToRedact(file: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const exported = Object.entries(env).flatMap(([name, value]) => (value && isSecretName(name) ? [value] : []));
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return exported;
  }
  const stored = text.split('\n').flatMap((raw) => {
    const eq = raw.indexOf('=');
    return eq > 0 && !raw.trim().startsWith('#') ? [unquote(raw.slice(eq + 1))] : [];
  });
  return [...stored.filter((v) => v !== ''), ...exported];
}
