import { resolve } from 'node:path';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { jsonErrorLine, jsonErrorReason } from '../fs/json-error.js';
import type { ConfigLocations } from './locations.js';
import { validateConfig, type Config, type ConfigProblem } from './schema.js';

export type LoadedConfig =
  { kind: 'missing'; file: string } | { kind: 'ok'; file: string; config: Config } | { kind: 'invalid'; file: string; problems: ConfigProblem[] };

function syntaxProblem(text: string, error: unknown): ConfigProblem {
  return { where: `line ${jsonErrorLine(text, error)}`, message: `not valid JSON: ${jsonErrorReason(error)}` };
}

/** Reads and validates a configuration file. Never throws, never modifies the file. */
export function loadConfigFile(file: string): LoadedConfig {
  if (!existsSync(file)) return { kind: 'missing', file };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { kind: 'invalid', file, problems: [{ where: 'the file', message: `cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}` }] };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { kind: 'invalid', file, problems: [syntaxProblem(text, error)] };
  }
  const result = validateConfig(data);
  return result.ok ? { kind: 'ok', file, config: result.config } : { kind: 'invalid', file, problems: result.problems };
}

/**
 * `loadConfigFile` for a process that asks often (the TUI, at every look at Slurm): the file is read
 * and validated again only when it changed (its inode, size, modification or change time), which
 * a stat tells for a fraction of the cost of a read and a validation.
 */
export function configFileReader(file: string): () => LoadedConfig {
  let seen: { stamp: string; loaded: LoadedConfig } | null = null;
  return () => {
    let stamp: string;
    try {
      const st = statSync(file, { bigint: true });
      stamp = `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
    } catch {
      stamp = 'missing';
    }
    if (seen?.stamp !== stamp) seen = { stamp, loaded: loadConfigFile(file) };
    return seen.loaded;
  };
}

/** One paragraph naming the file and every problem, for the terminal. */
export function describeInvalidConfig(loaded: Extract<LoadedConfig, { kind: 'invalid' }>): string {
  return [`${loaded.file} is not a valid ptb configuration; it was left as it is:`, ...loaded.problems.map((p) => `  ${p.where}: ${p.message}`)].join('\n');
}

/**
 * Saves a configuration atomically, after validating it; the previous valid file is kept as
 * the backup first, so that a bad edit can always be undone.
 */
export function saveConfig(locations: ConfigLocations, config: Config): void {
  const checked = validateConfig(config);
  if (!checked.ok) throw new Error(`refusing to save an invalid configuration: ${checked.problems.map((p) => `${p.where}: ${p.message}`).join('; ')}`);
  if (loadConfigFile(locations.config).kind === 'ok') {
    writeFileAtomic(locations.backup, readFileSync(locations.config, 'utf8'), { mode: 0o644 });
  }
  writeFileAtomic(locations.config, JSON.stringify(checked.config, null, 2) + '\n', { mode: 0o644 });
}

/** The configuration as this run uses it: ptb's `--checkout`, when given, stands for the configured checkout. */
export const overrideCheckout = (config: Config, option: string | undefined): Config =>
  option === undefined ? config : { ...config, checkout: resolve(option) };
