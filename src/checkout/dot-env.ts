import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { shellQuote } from '../process/shell-quote.js';
import { isSecretName } from '../slurm/env.js';

/** `<checkout>/.env`, which a v1.1 checkout's set_env_vars.sh reads (and stops without). */
export const dotEnvFile = (checkout: string): string => join(checkout, '.env');

/**
 * The `.env` ptb writes for a checkout that needs one: the setup's paths and settings, and no key.
 * None is needed there: set_env_vars.sh lets a variable already set in the job's environment win,
 * and the batch script sets the keys from ptb's private file before run_task.sh starts.
 */
export function dotEnvText(config: Pick<Config, 'hfHome' | 'resultsDir' | 'containersDir' | 'containerName'>): string {
  // set_env_vars.sh `eval export`s each line: every value is single-quoted.
  const q = shellQuote;
  return [
    '# Written by ptb-slurm for this checkout: its paths and settings, and no API key.',
    '# Jobs ptb submits set the paths and the keys in their own environment, which wins over this file;',
    "# the prompt is upstream's default, which ptb's jobs leave to this file.",
    `HF_HOME=${q(config.hfHome)}`,
    `POST_TRAIN_BENCH_RESULTS_DIR=${q(config.resultsDir)}`,
    `POST_TRAIN_BENCH_CONTAINERS_DIR=${q(config.containersDir)}`,
    `POST_TRAIN_BENCH_CONTAINER_NAME=${q(config.containerName)}`,
    'POST_TRAIN_BENCH_PROMPT=prompt',
    'POST_TRAIN_BENCH_JOB_SCHEDULER=slurm',
    '',
  ].join('\n');
}

/** Writes the `.env` when the checkout has none; says what it did (null: it had one). Throws what the file system said. */
export function writeDotEnvIfMissing(config: Pick<Config, 'checkout' | 'hfHome' | 'resultsDir' | 'containersDir' | 'containerName'>): string | null {
  const file = dotEnvFile(config.checkout);
  if (existsSync(file)) return null;
  // 0600 all the same: a user may add a key to it later.
  writeFileAtomic(file, dotEnvText(config), { mode: 0o600, dirMode: 0o755 });
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
