import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import * as v from 'valibot';
import { jsonErrorReason } from '../fs/json-error.js';

/**
 * What a site's administrators (or the demo) tell every user of it: a label the header shows, notes
 * the preflight screen shows, and the wizard's defaults for a first setup (shared paths, partition,
 * account). It lives in `$XDG_CONFIG_DIRS/ptb-slurm/site.json` (`/etc/xdg` by default), read only:
 * a user's own configuration always wins over it, and no site file is needed.
 */
export interface Site {
  file: string;
  label: string | null;
  notes: string[];
  /** Wizard fields (the names of `ptb setup`'s draft) and the values proposed for them. */
  defaults: Record<string, string>;
}

export type LoadedSite = { kind: 'none' } | { kind: 'ok'; site: Site } | { kind: 'invalid'; file: string; message: string };

const SiteSchema = v.strictObject({
  label: v.optional(v.pipe(v.string(), v.maxLength(80))),
  notes: v.optional(v.array(v.string())),
  defaults: v.optional(v.record(v.string(), v.union([v.string(), v.number()]))),
});

/** The site files to look at, most important first (the XDG rule: a relative entry is ignored). */
export function siteFiles(env: NodeJS.ProcessEnv): string[] {
  const dirs = (env.XDG_CONFIG_DIRS || '/etc/xdg').split(':').filter((d) => isAbsolute(d));
  return dirs.map((d) => join(d, 'ptb-slurm', 'site.json'));
}

/** The first site file there, validated; `fields` are the names its defaults may use. Never throws. */
export function loadSite(env: NodeJS.ProcessEnv, fields: readonly string[]): LoadedSite {
  const file = siteFiles(env).find((f) => existsSync(f));
  if (!file) return { kind: 'none' };
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { kind: 'invalid', file, message: code ? `cannot be read: ${code}` : `not valid JSON: ${jsonErrorReason(error)}` };
  }
  const parsed = v.safeParse(SiteSchema, data);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const where = issue.path?.map((p) => String(p.key)).join('.') ?? 'the file';
    return { kind: 'invalid', file, message: `${where}: ${issue.message}` };
  }
  const defaults = Object.fromEntries(Object.entries(parsed.output.defaults ?? {}).map(([k, value]) => [k, String(value)]));
  const unknown = Object.keys(defaults).filter((k) => !fields.includes(k));
  if (unknown.length > 0) return { kind: 'invalid', file, message: `defaults: unknown field(s) ${unknown.join(', ')} (known: ${fields.join(', ')})` };
  return { kind: 'ok', site: { file, label: parsed.output.label ?? null, notes: parsed.output.notes ?? [], defaults } };
}

/** The line a screen shows about a site file that could not be used. */
export function siteProblem(loaded: LoadedSite): string | null {
  return loaded.kind === 'invalid' ? `${loaded.file} was ignored: ${loaded.message}` : null;
}
