import { join } from 'node:path';
import { findCheckout } from '../checkout/detect.js';
import type { Config } from '../config/schema.js';
import { validateConfig, type ConfigProblem } from '../config/schema.js';
import { formatDuration } from '../slurm/duration.js';
import type { Partition } from '../slurm/sinfo.js';

/** The configuration as the wizard edits it: every field a string, as typed. */
export interface Draft {
  checkout: string;
  hfHome: string;
  resultsDir: string;
  containersDir: string;
  containerName: string;
  experimentName: string;
  hours: string;
  agents: string;
  partition: string;
  gres: string;
  constraint: string;
  account: string;
  qos: string;
  cpusPerTask: string;
  mem: string;
  time: string;
  tmp: string;
  home: string;
  scratch: string;
  mailUser: string;
}

export type DraftField = keyof Draft;

/** Upstream's agent budget plus evaluation: `hours + 2h` by default. */
export function timeForHours(hours: string): string {
  const h = Number(hours);
  return Number.isInteger(h) && h > 0 ? formatDuration((h + 2) * 3600) : '';
}

/** GPU partitions first, the default partition first among equals. */
export function orderPartitions(partitions: readonly Partition[]): Partition[] {
  const rank = (p: Partition) => (p.gpus.length > 0 ? 0 : 2) + (p.isDefault ? 0 : 1);
  return [...partitions].sort((a, b) => rank(a) - rank(b));
}

/** What a partition suggests for --gres, --constraint and --tmp. */
export function partitionSuggestions(partition: Partition | undefined): { gres: string; constraint: string; tmp: string } {
  const gpu = partition?.gpus[0];
  const gres = gpu?.type ? `gpu:${gpu.type}:1` : 'gpu:1';
  const h100 = partition?.features.find((f) => /h100/i.test(f));
  const tmpGb = Math.floor((partition?.maxTmpDiskMb ?? 0) / 1024);
  return { gres, constraint: h100 ?? '', tmp: tmpGb > 0 ? `${Math.min(400, tmpGb)}G` : '' };
}

/** The draft's fields, in the wizard's order: the names a site file's defaults may use. */
export const DRAFT_FIELDS: readonly DraftField[] = [
  'checkout',
  'hfHome',
  'resultsDir',
  'containersDir',
  'containerName',
  'experimentName',
  'hours',
  'agents',
  'partition',
  'gres',
  'constraint',
  'account',
  'qos',
  'cpusPerTask',
  'mem',
  'time',
  'tmp',
  'home',
  'scratch',
  'mailUser',
];

/**
 * The draft for a first run: from the environment, the current directory and sinfo, then the site's
 * defaults over them (an administrator's shared paths and partition; the demo site's folders).
 */
export function defaultDraft(context: {
  env: NodeJS.ProcessEnv;
  cwd: string;
  partitions: readonly Partition[];
  site?: Readonly<Record<string, string>>;
}): Draft {
  const found = foundDraft(context);
  const site = context.site ?? {};
  const draft: Draft = { ...found };
  for (const field of DRAFT_FIELDS) draft[field] = site[field] ?? found[field];
  // A site that sets the hours and not the time limit gets the time that follows them, and its
  // partition the GRES, constraint and --tmp that partition suggests (unless it sets them too).
  if (site.hours !== undefined && site.time === undefined) draft.time = timeForHours(draft.hours) || found.time;
  const partition = site.partition === undefined ? undefined : context.partitions.find((p) => p.name === site.partition);
  if (partition) {
    const suggested = partitionSuggestions(partition);
    for (const field of ['gres', 'constraint', 'tmp'] as const) draft[field] = site[field] ?? suggested[field];
  }
  return draft;
}

function foundDraft(context: { env: NodeJS.ProcessEnv; cwd: string; partitions: readonly Partition[] }): Draft {
  const { env } = context;
  const checkout = findCheckout(context.cwd) ?? '';
  const home = env.HOME ?? '';
  const absolute = (value: string | undefined) => (value && value.startsWith('/') && value !== 'UNDEFINED' ? value : undefined);
  const partition = orderPartitions(context.partitions)[0];
  const suggested = partitionSuggestions(partition);
  return {
    checkout,
    hfHome: absolute(env.HF_HOME) ?? (home ? join(home, '.cache', 'huggingface') : ''),
    resultsDir: absolute(env.POST_TRAIN_BENCH_RESULTS_DIR) ?? (checkout ? join(checkout, 'results') : ''),
    containersDir: absolute(env.POST_TRAIN_BENCH_CONTAINERS_DIR) ?? (checkout ? join(checkout, 'containers') : ''),
    containerName: env.POST_TRAIN_BENCH_CONTAINER_NAME || 'standard',
    experimentName: env.POST_TRAIN_BENCH_EXPERIMENT_NAME || '_slurm_run1',
    hours: '10',
    agents: 'claude',
    partition: partition?.name ?? '',
    gres: suggested.gres,
    constraint: suggested.constraint,
    account: '',
    qos: '',
    cpusPerTask: '16',
    mem: '128G',
    time: timeForHours('10'),
    tmp: suggested.tmp,
    home,
    scratch: 'tmp',
    mailUser: '',
  };
}

export function draftFromConfig(config: Config): Draft {
  const s = config.slurm;
  return {
    checkout: config.checkout,
    hfHome: config.hfHome,
    resultsDir: config.resultsDir,
    containersDir: config.containersDir,
    containerName: config.containerName,
    experimentName: config.experimentName,
    hours: String(config.hours),
    agents: config.agents.join(','),
    partition: s.partition,
    gres: s.gres,
    constraint: s.constraint,
    account: s.account,
    qos: s.qos,
    cpusPerTask: String(s.cpusPerTask),
    mem: s.mem,
    time: s.time,
    tmp: s.tmp,
    home: s.home,
    scratch: s.scratch,
    mailUser: s.mailUser ?? '',
  };
}

/** `claude, codex` → ['claude', 'codex']. */
export function agentList(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter((a) => a !== ''))];
}

/** The draft as a configuration, validated by the schema; problems name draft fields. */
export function configFromDraft(draft: Draft): { ok: true; config: Config } | { ok: false; problems: ConfigProblem[] } {
  const number = (text: string) => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN);
  const candidate = {
    version: 1,
    checkout: draft.checkout.trim(),
    hfHome: draft.hfHome.trim(),
    resultsDir: draft.resultsDir.trim(),
    containersDir: draft.containersDir.trim(),
    containerName: draft.containerName.trim(),
    experimentName: draft.experimentName.trim(),
    hours: number(draft.hours),
    agents: agentList(draft.agents),
    slurm: {
      partition: draft.partition.trim(),
      gres: draft.gres.trim(),
      constraint: draft.constraint.trim(),
      account: draft.account.trim(),
      qos: draft.qos.trim(),
      cpusPerTask: number(draft.cpusPerTask),
      mem: draft.mem.trim(),
      time: draft.time.trim(),
      tmp: draft.tmp.trim(),
      home: draft.home.trim(),
      scratch: draft.scratch.trim(),
      ...(draft.mailUser.trim() ? { mailUser: draft.mailUser.trim() } : {}),
    },
  };
  const result = validateConfig(candidate);
  if (result.ok) return result;
  return { ok: false, problems: result.problems.map((p) => ({ ...p, where: p.where.replace(/^slurm\./, '') })) };
}
