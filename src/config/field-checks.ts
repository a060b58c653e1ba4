import { existsSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { invalidTimeLimit } from '../slurm/duration.js';
import { isSecretName } from '../slurm/env.js';

/**
 * One check per kind of field, each returning what is wrong (a sentence for the user) or
 * undefined. The wizard runs them as the user types; the config schema runs the same ones.
 */

export function checkAbsolutePath(value: string): string | undefined {
  if (value.trim() === '') return 'required';
  if (!isAbsolute(value)) return 'must be an absolute path (upstream resolves relative paths from inside src/eval/tasks/...)';
  if (/[\n\r\0]/.test(value)) return 'must not contain line breaks';
  return undefined;
}

export function checkExistingDir(value: string): string | undefined {
  const path = checkAbsolutePath(value);
  if (path) return path;
  if (!existsSync(value)) return 'does not exist';
  try {
    if (!statSync(value).isDirectory()) return 'is not a directory';
  } catch {
    return 'cannot be read';
  }
  return undefined;
}

/** Upstream appends it verbatim to a folder name (`..._10h${NAME}`). */
export function checkExperimentName(value: string): string | undefined {
  if (/[/\s]/.test(value)) return 'must not contain "/" or whitespace (it becomes part of a folder name)';
  if (/[^A-Za-z0-9._+=-]/.test(value)) return 'use letters, digits and . _ - + = only';
  return undefined;
}

/** Upstream computes `$((NUM_HOURS * 60 + 5))`: a positive whole number. */
export function checkHours(value: string | number): string | undefined {
  const text = String(value).trim();
  if (!/^\d+$/.test(text) || Number(text) < 1) return 'must be a whole number of hours, at least 1';
  if (Number(text) > 1000) return 'more than 1000 hours is surely a typo';
  return undefined;
}

/** Where Slurm mails (`--mail-user`): an address or a user name, or '' for no mail. */
export function checkMailUser(value: string): string | undefined {
  const v = value.trim();
  if (v === '') return undefined;
  if (/[\s,;'"\\]/.test(v)) return 'one address or user name, without spaces, commas or quotes (e.g. ana@example.org)';
  return undefined;
}

export function checkTimeLimit(value: string): string | undefined {
  if (value.trim() === '') return 'required';
  const invalid = invalidTimeLimit(value.trim());
  if (invalid) return invalid;
  // Slurm takes `25:99` (25 min 99 s) without a word, but whoever typed it meant something else.
  const match = /^(?:\d+-)?\d+((?::\d+)*)$/.exec(value.trim());
  const rest = (match?.[1] ?? '').split(':').filter(Boolean).map(Number);
  const hoursAfterDays = /^\d+-(\d+)/.exec(value.trim())?.[1];
  if (rest.some((n) => n > 59) || (hoursAfterDays !== undefined && Number(hoursAfterDays) > 23)) {
    return `"${value.trim()}" is not a valid time limit: minutes and seconds go up to 59, hours after a day up to 23 (use H:MM:SS or D-HH:MM:SS, e.g. 12:00:00)`;
  }
  return undefined;
}

/**
 * A size as Slurm takes it (`--mem`, `--tmp`), with its unit: Slurm reads a bare number as
 * megabytes, so `128` would give a 12-hour run 128 MB. Refused, with both readings spelled out.
 */
export function checkMemory(value: string): string | undefined {
  const v = value.trim();
  // 0 is Slurm's "all the memory of the node".
  if (v === '0') return undefined;
  if (/^\d+$/.test(v)) return `${v} has no unit, and Slurm would read it as ${v} megabytes: write ${v}G for ${v} gigabytes, or ${v}M if megabytes are meant`;
  if (!/^\d+[KMGT]$/.test(v)) return 'use Slurm notation with a unit, e.g. 128G or 512000M';
  return undefined;
}

export function checkCpus(value: string | number): string | undefined {
  const text = String(value).trim();
  if (!/^\d+$/.test(text) || Number(text) < 1) return 'must be a whole number, at least 1';
  return undefined;
}

export function checkGres(value: string): string | undefined {
  if (!/^[A-Za-z0-9_.-]+(:[A-Za-z0-9_.-]+)*$/.test(value.trim())) return 'use gpu:1 or gpu:<type>:1';
  return undefined;
}

/** Slurm names: partition, account, QOS, feature expressions, container names. */
export function checkName(value: string, what: string): string | undefined {
  if (value.trim() === '') return `${what} is required`;
  if (/[\s,;'"`$\\]/.test(value)) return `${what} must not contain spaces, quotes or shell characters`;
  return undefined;
}

/**
 * An agent configuration as upstream passes it (`claude-opus-4-6[1m]`, `models/gemini-3-pro-preview`):
 * the batch script quotes it, but `|` separates the fields of the task key and a line break ends a line.
 */
export function checkAgentConfigName(value: string): string | undefined {
  if (value === '') return 'the agent configuration is required';
  if (/[\s|]/.test(value)) return 'the agent configuration must not contain spaces or |';
  return undefined;
}

export function checkOptionalName(value: string, what: string): string | undefined {
  return value === '' ? undefined : checkName(value, what);
}

/** A feature expression as --constraint takes it: h100, h100|a100, h100&ib. */
export function checkConstraint(value: string): string | undefined {
  if (value === '') return undefined;
  if (!/^[A-Za-z0-9_.\-|&[\]*:()]+$/.test(value)) return 'use a feature name or expression, e.g. h100';
  return undefined;
}

/** A variable a job may get from the submitting shell: a name, or a prefix ending in `*`; never a secret's. */
export function checkPassedVariable(value: string): string | undefined {
  if (!/^[A-Za-z_][A-Za-z0-9_]*\*?$/.test(value)) return 'a variable name, or a prefix ending in * (e.g. MY_SITE_*)';
  if (isSecretName(value.replace(/\*$/, '')))
    return `${value} looks like a secret: keys go in the secrets file (ptb setup), which the job reads when it starts`;
  return undefined;
}
