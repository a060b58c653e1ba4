// The demo site: everything `npm run demo` needs besides the local Slurm cluster, in one folder
// (`.demo/` of the repo by default) that nothing outside the demo reads. ptb runs against it
// unchanged: the site file (XDG_CONFIG_DIRS) pre-fills the wizard, the jobs' PATH (ptb's own, passed
// by --export=PATH) finds the stand-ins in its bin/, and the demo's own config and state folders keep
// the user's real configuration and ledger out of it.
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { addDataset, addModel } from '../../test/helpers/hf-cache-builder.js';
import { readResources } from '../../src/preflight/hf-cache.js';
import { run, type RunResult } from '../../src/process/run.js';
import { onPath } from '../../src/process/which.js';
import { isSecretName } from '../../src/slurm/env.js';
import { STAND_INS } from './stand-ins.js';

export const DEMO_LABEL = 'demo site: simulated GPUs and containers';
/** Obviously not keys: they pass ptb's checks (long enough to be hidden in logs) and are never sent anywhere. */
export const DEMO_KEYS = { ANTHROPIC_API_KEY: 'sk-ant-demo-not-a-real-key-FAKE', OPENAI_API_KEY: 'sk-demo-not-a-real-key-FAKE' };
export const DEMO_EXPERIMENT = '_demo_run1';
const HISTORY_EXPERIMENT = '_demo_earlier';

export interface DemoSite {
  dir: string;
  checkout: string;
  bin: string;
  /** The environment ptb runs with in the demo (over the user's, minus their keys). */
  env: Record<string, string>;
  /** The same for the earlier experiment's setup (its own configuration, the same results and ledger). */
  historyEnv: Record<string, string>;
  ledger: string;
}

export function demoSite(dir: string, base: NodeJS.ProcessEnv = process.env): DemoSite {
  const root = resolve(dir);
  const bin = join(root, 'bin');
  const common = {
    ...withoutSecrets(base),
    PATH: `${bin}:${base.PATH ?? '/usr/bin:/bin'}`,
    XDG_CONFIG_DIRS: join(root, 'xdg'),
    XDG_STATE_HOME: join(root, 'state'),
    ...DEMO_KEYS,
  };
  return {
    dir: root,
    checkout: join(root, 'PostTrainBench'),
    bin,
    env: { ...common, XDG_CONFIG_HOME: join(root, 'config') },
    historyEnv: { ...common, XDG_CONFIG_HOME: join(root, 'history-config') },
    ledger: join(root, 'state', 'ptb-slurm', 'ledger.jsonl'),
  };
}

/** The user's own keys and tokens never enter the demo (its secrets file, its jobs). */
function withoutSecrets(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && !isSecretName(e[0])));
}

const write = (file: string, text: string, mode?: number) => {
  writeFileSync(file, text);
  if (mode !== undefined) chmodSync(file, mode);
};

/**
 * Lays the site out; idempotent: what exists is kept (the checkout's memory of failed-once tasks,
 * the history), the stand-ins and the site file are written again.
 */
export function buildSite(site: DemoSite, fixture: string): void {
  const { dir } = site;
  for (const sub of ['bin', 'xdg/ptb-slurm', 'containers', 'hf', 'results', 'home', 'state']) mkdirSync(join(dir, sub), { recursive: true });
  if (!existsSync(site.checkout)) {
    cpSync(fixture, site.checkout, { recursive: true, filter: (src) => !src.includes('/results') });
    // New runs in the demo: most score; two evals fail on their first run only, so that `r` has targets.
    write(
      join(site.checkout, 'fixture-knobs.env'),
      [
        'PTB_FIXTURE_ONCE=1',
        // An API limit: the agent stops early, no model; resubmitted, it scores.
        'PTB_FIXTURE_OUTCOME_HUMANEVAL=api-limit',
        // The evaluation fails with the model saved: `r` evaluates it again, without the agent.
        'PTB_FIXTURE_OUTCOME_BFCL=no-metrics',
        '',
      ].join('\n'),
    );
  }
  for (const [name, script] of Object.entries(STAND_INS)) write(join(site.bin, name), script, 0o755);
  // Upstream runs `python`; a machine with python3 only gets the link the preflight's fix names.
  if (!onPath('python', (site.env.PATH ?? '').replace(`${site.bin}:`, ''))) write(join(site.bin, 'python'), '#!/bin/sh\nexec python3 "$@"\n', 0o755);
  for (const image of ['standard', 'vllm_debug'])
    if (!existsSync(join(dir, 'containers', `${image}.sif`)))
      write(join(dir, 'containers', `${image}.sif`), 'ptb demo site: a placeholder, not an Apptainer image (apptainer here is a stand-in)\n');
  const resources = readResources(join(site.checkout, 'containers', 'download_hf_cache', 'resources.json'));
  for (const model of resources.models) addModel(join(dir, 'hf'), model);
  for (const dataset of resources.datasets) addDataset(join(dir, 'hf'), dataset);
  const siteFile = {
    label: DEMO_LABEL,
    notes: [
      `stand-ins in ${site.bin} for nvidia-smi (an H100 80GB), apptainer 1.3.4 (runs the command here), fuse-overlayfs and fusermount (a copy, no mount), df (the node's declared 800 GB scratch) and curl (sends nothing); placeholder images, fake API keys.`,
    ],
    defaults: {
      checkout: site.checkout,
      hfHome: join(dir, 'hf'),
      resultsDir: join(dir, 'results'),
      containersDir: join(dir, 'containers'),
      experimentName: DEMO_EXPERIMENT,
      agents: 'claude',
      home: join(dir, 'home'),
    },
  };
  write(join(dir, 'xdg', 'ptb-slurm', 'site.json'), `${JSON.stringify(siteFile, null, 2)}\n`);
}

type Ptb = (args: string[], env: Record<string, string>) => Promise<RunResult>;

/** ptb's bundle, as the demo runs it. */
export const bundledPtb =
  (bundle: string): Ptb =>
  (args, env) =>
    run(process.execPath, [bundle, ...args], { timeoutMs: 180_000, env });

const said = (r: RunResult) =>
  r.kind === 'ok' || r.kind === 'failed' || r.kind === 'timed-out' || r.kind === 'aborted' ? `${r.stderr}${r.stdout}`.trim() : r.kind;

/** An earlier experiment's scored and failed runs, submitted once, through ptb as a user would. */
const HISTORY_PLANS: { name: string; plan: string; knobs: Record<string, string> }[] = [
  {
    name: 'earlier-1.7b',
    plan: 'models: [Qwen/Qwen3-1.7B-Base]\nevals: [gsm8k, humaneval, bfcl, gpqamain, aime2025, healthbench, arenahardwriting]\nagentConfigs: [claude/claude-sonnet-4-5]\nhours: [10]\n',
    knobs: { PTB_FIXTURE_OUTCOME_AIME2025: 'api-limit', PTB_FIXTURE_OUTCOME_HEALTHBENCH: 'cuda-unavailable', PTB_FIXTURE_OUTCOME_ARENAHARDWRITING: 'timeout' },
  },
  {
    name: 'earlier-4b',
    plan: 'models: [Qwen/Qwen3-4B-Base]\nevals: [gsm8k, humaneval, bfcl, gpqamain]\nagentConfigs: [claude/claude-sonnet-4-5]\nhours: [10]\n',
    knobs: {},
  },
];
/** Slurm's time limit of the run that is to time out: it really hits it, a minute after it starts. */
const TIMEOUT_EVAL = 'arenahardwriting';

/**
 * Submits the history (its own configuration, the demo's results folder and ledger): a preflight on
 * the compute node first, which the stand-ins pass, then the plans; waits for every run but the one
 * that times out, and says how it goes on stderr.
 */
export async function seedHistory(site: DemoSite, ptb: Ptb, log: (line: string) => void): Promise<void> {
  const env = {
    ...site.historyEnv,
    // The checkout's own knobs (failures on a first run) are for the new runs, not for these.
    PTB_FIXTURE_ONCE: '0',
    PTB_FIXTURE_OUTCOME_HUMANEVAL: 'success',
    PTB_FIXTURE_OUTCOME_BFCL: 'success',
  };
  const step = async (what: string, args: string[], extra: Record<string, string> = {}) => {
    const result = await ptb(args, { ...env, ...extra });
    if (result.kind !== 'ok') throw new Error(`${what} failed:\n${said(result)}`);
    return result.stdout;
  };
  await step('ptb setup', ['setup', '--non-interactive', '--experiment', HISTORY_EXPERIMENT]);
  // The fixture's knobs reach the history's jobs through its configuration, as in the tests' homes.
  const configFile = join(site.historyEnv.XDG_CONFIG_HOME ?? '', 'ptb-slurm', 'config.json');
  const config = JSON.parse(readFileSync(configFile, 'utf8')) as Record<string, unknown>;
  write(configFile, `${JSON.stringify({ ...config, passEnvironment: ['PTB_FIXTURE_*'] }, null, 2)}\n`);
  log('demo: a preflight on the compute node for the earlier experiment (probe job)');
  await step('ptb preflight --compute', ['preflight', '--compute', '--max-wait', '2']);
  for (const h of HISTORY_PLANS) {
    const file = join(site.dir, 'state', `${h.name}.yaml`);
    write(file, h.plan);
    await step(`ptb submit (${h.name})`, ['submit', '--plan', file, '--yes'], h.knobs);
  }
  const status = async () => (JSON.parse(await step('ptb status', ['status', '--json'])) as { jobs: StatusJob[] }).jobs;
  const jobs = await status();
  const timeout = jobs.find((j) => j.task?.eval === TIMEOUT_EVAL);
  if (timeout) {
    const cut = await run('scontrol', ['update', `JobId=${timeout.id}`, 'TimeLimit=1'], { timeoutMs: 20_000 });
    if (cut.kind !== 'ok') log(`demo: could not shorten job ${timeout.id}'s time limit (${said(cut)}): it runs until cancelled`);
  }
  const total = jobs.filter((j) => j !== timeout).length;
  for (let waited = 0; waited < 120; waited += 2) {
    const open = (await status()).filter((j) => j.inQueue && j.task?.eval !== TIMEOUT_EVAL);
    log(
      `demo: the earlier experiment's runs: ${total - open.length}/${total} done${timeout ? `, and one that hits its time limit a minute after it starts` : ''}`,
    );
    if (open.length === 0) return;
    await new Promise((r) => setTimeout(r, 2000));
  }
  log('demo: some earlier runs are still queued: ptb shows them as they go');
}

interface StatusJob {
  id: string;
  inQueue: boolean;
  task: { eval?: string } | null;
}

/**
 * Cancels the demo's queued jobs (through ptb: only this setup's, never anyone else's) and removes the
 * site. Both configurations are of one setup (one results folder): either one's `ptb cancel` reaches all.
 * When Slurm cannot say what is queued, nothing is removed: a running job would lose its folder.
 */
export async function resetSite(site: DemoSite, ptb: Ptb, log: (line: string) => void): Promise<void> {
  const env = [site.env, site.historyEnv].find((e) => existsSync(join(e.XDG_CONFIG_HOME ?? '', 'ptb-slurm', 'config.json')));
  if (env) {
    const status = await ptb(['status', '--json'], env);
    if (status.kind !== 'ok') throw new Error(`could not ask Slurm for the demo's jobs, so ${site.dir} was left as it is:\n${said(status)}`);
    const queued = (JSON.parse(status.stdout) as { jobs: StatusJob[] }).jobs.filter((j) => j.inQueue).map((j) => j.id);
    if (queued.length > 0) {
      const cancelled = await ptb(['cancel', ...queued, '--yes'], env);
      if (cancelled.kind !== 'ok')
        throw new Error(`could not cancel the demo's jobs (${queued.join(', ')}), so ${site.dir} was left as it is:\n${said(cancelled)}`);
      log(`demo: cancelled the demo's queued jobs (${queued.join(', ')})`);
    }
  }
  rmSync(site.dir, { recursive: true, force: true });
}
