import { readTextIfAny } from '../fs/read-text.js';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { shellQuote } from '../process/shell-quote.js';
import { isSecretName } from '../slurm/env.js';

/** `<checkout>/.env`, which a v1.1 checkout's set_env_vars.sh reads (and stops without). */
export const dotEnvFile = (checkout: string): string => join(checkout, '.env');

/**
 * The `.env` ptb writes for a checkout that needs one: the checkout's own `example.env` (its
 * settings, comments and order, whatever a newer upstream added) with the setup's paths and
 * settings in place of the examples, and no key. None is needed there: set_env_vars.sh lets a
 * variable already set in the job's environment win, and the batch script sets the keys from
 * ptb's private file before run_task.sh starts. Without an example.env, the settings ptb knows.
 */
export function dotEnvText(config: Pick<Config, 'hfHome' | 'resultsDir' | 'containersDir' | 'containerName'>, example: string | null = null): string {
  // set_env_vars.sh `eval export`s each line: every value is single-quoted.
  const q = shellQuote;
  const ours: Record<string, string> = {
    HF_HOME: q(config.hfHome),
    POST_TRAIN_BENCH_RESULTS_DIR: q(config.resultsDir),
    POST_TRAIN_BENCH_CONTAINERS_DIR: q(config.containersDir),
    POST_TRAIN_BENCH_CONTAINER_NAME: q(config.containerName),
    POST_TRAIN_BENCH_JOB_SCHEDULER: 'slurm',
  };
  const header = [
    `# Written by ptb-slurm for this checkout${example !== null ? ', from its example.env' : ''}: its paths and settings, and no API key.`,
    '# Jobs ptb submits set the paths and the keys in their own environment, which wins over this file.',
  ];
  const seen = new Set<string>();
  const body = (example ?? 'POST_TRAIN_BENCH_PROMPT=prompt\n').split('\n').flatMap((raw) => {
    const line = raw.trim().replace(/^export\s+/, '');
    const eq = line.indexOf('=');
    if (line.startsWith('#') || eq <= 0) return [raw];
    const name = line.slice(0, eq);
    seen.add(name);
    if (isSecretName(name)) return [`# ${name}: set in ptb's jobs from its secrets file, never here`];
    const value = ours[name];
    return [value !== undefined ? `${name}=${value}` : raw];
  });
  const missing = Object.entries(ours)
    .filter(([name]) => !seen.has(name))
    .map(([name, value]) => `${name}=${value}`);
  return [...header, ...body, ...missing].join('\n').replace(/\n*$/, '\n');
}

/** Writes the `.env` when the checkout has none; says what it did (null: it had one). Throws what the file system said. */
export function writeDotEnvIfMissing(config: Pick<Config, 'checkout' | 'hfHome' | 'resultsDir' | 'containersDir' | 'containerName'>): string | null {
  const file = dotEnvFile(config.checkout);
  if (existsSync(file)) return null;
  const example = readTextIfAny(join(config.checkout, 'example.env'));
  // 0600 all the same: a user may add a key to it later.
  writeFileAtomic(file, dotEnvText(config, example), { mode: 0o600, dirMode: 0o755 });
  return file;
}

/** The names of real API keys a `.env` holds (upstream's `your-...` placeholders and empty values are not keys). */
export function keysInDotEnv(file: string): string[] {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').flatMap((raw) => {
    const line = raw.trim().replace(/^export\s+/, '');
    const eq = line.indexOf('=');
    if (line.startsWith('#') || eq <= 0) return [];
    const name = line.slice(0, eq);
    const value = line.slice(eq + 1).replace(/^["']|["']$/g, '');
    return isSecretName(name) && value !== '' && !value.startsWith('your-') ? [name] : [];
  });
}

/** The file's mode bits when others may read it, else null. */
export function readableByOthers(file: string): number | null {
  try {
    const mode = statSync(file).mode & 0o777;
    return (mode & 0o044) !== 0 ? mode : null;
  } catch {
    return null;
  }
}
