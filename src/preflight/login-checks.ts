import { accessSync, constants, existsSync, mkdirSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { BASE_MODELS } from '../catalog/models.js';
import { isCheckout, readCheckout } from '../checkout/detect.js';
import { dotEnvFile, keysInDotEnv, readableByOthers } from '../checkout/dot-env.js';
import { GENERATION_TITLES } from '../checkout/generation.js';
import { neededCredentials, silentAgents } from '../config/agent-needs.js';
import { keyFix } from '../plan/plan-checks.js';
import type { ConfigLocations } from '../config/locations.js';
import type { Config } from '../config/schema.js';
import { readSecrets } from '../config/secrets.js';
import { onPath } from '../process/which.js';
import type { Slurm } from '../slurm/adapter.js';
import { fail, humanBytes, pass, skip, warn, withTimeout, type CheckResult } from './check-result.js';
import { readResources, scanCache } from './hf-cache.js';
import { ptbWorkDir } from '../submit/experiment-dir.js';

const login = (id: string, title: string) => ({ id, title, where: 'login' as const });

export async function checkSlurm(slurm: Slurm): Promise<CheckResult> {
  const base = login('slurm', 'Slurm client and controller');
  const missing = ['sinfo', 'squeue', 'sbatch', 'scontrol', 'scancel'].filter((c) => !onPath(c));
  if (missing.length > 0)
    return fail(base, `not on PATH: ${missing.join(', ')}`, "Run ptb on the cluster's login node (on sites with modules: `module load slurm`).");
  const status = await slurm.controller();
  if (!status.ok) return fail(base, status.error.message, 'Check that this machine is a Slurm login node.');
  if (!status.value.reachable)
    return fail(base, 'the controller does not answer (scontrol ping)', 'Wait and retry; if it persists, ask the cluster admins whether slurmctld is up.');
  return pass(base, `Slurm ${status.value.version ?? '(unknown version)'}, controller up`);
}

export function checkCheckout(config: Config): CheckResult {
  const base = login('checkout', 'PostTrainBench checkout');
  if (!isCheckout(config.checkout))
    return fail(base, `${config.checkout} has no src/run_task.sh and src/eval/tasks/`, 'Point the setup at your PostTrainBench clone: `ptb setup`.');
  const checkout = readCheckout(config.checkout);
  const missing = config.agents.filter((a) => !checkout.agents.includes(a));
  const generation = `${GENERATION_TITLES[checkout.generation.id]}${checkout.generation.signals.length ? ` (${checkout.generation.signals.join(', ')})` : ''}`;
  const recipes = checkout.recipes;
  const recipeLine = recipes
    ? `commit.sh: ${recipes.recipes.length} recipe(s)${recipes.problems.length ? `; lines not read as recipes: ${recipes.problems.join('; ')}` : ''}`
    : "commit.sh: none (ptb's built-in agent configurations stand in)";
  const details = `generation: ${generation}\n${recipeLine}\ntasks: ${checkout.tasks.map((t) => t.id).join(', ')}\nagents: ${checkout.agents.join(', ')}`;
  if (missing.length > 0)
    return fail(
      base,
      `agents not in the checkout: ${missing.join(', ')}`,
      `Fix the agent names in \`ptb setup\`, or update the checkout (git pull) if they are newer than it.`,
      details,
    );
  if (checkout.tasks.length === 0)
    return fail(base, 'no evaluation tasks in src/eval/tasks/', 'The checkout looks incomplete: clone PostTrainBench again.', details);
  const finding = `${GENERATION_TITLES[checkout.generation.id]}: ${checkout.tasks.length} evals, agents ${config.agents.join(', ')} present`;
  if (recipes && recipes.problems.length > 0)
    return warn(
      base,
      `${finding}; ${recipes.problems.length} line(s) of commit.sh not read as recipes`,
      'Those recipes are not offered: check the lines named in the details (a value ptb cannot read, such as a variable or a unit).',
      details,
    );
  return pass(base, finding, details);
}

/**
 * The `.env` a v1.1 checkout reads (and stops without): there, or how to get one; and a warning
 * when it holds keys others can read (ptb's own secrets file is 0600; set_env_vars.sh lets the job's
 * environment win, so the keys need not be in .env at all).
 */
export function checkDotEnv(config: Config): CheckResult {
  const base = login('dot-env', 'Checkout .env');
  if (!isCheckout(config.checkout)) return skip(base, 'no checkout to look in');
  const { generation } = readCheckout(config.checkout);
  const file = dotEnvFile(config.checkout);
  if (!generation.readsDotEnv) return skip(base, `this checkout (${GENERATION_TITLES[generation.id]}) reads no .env`);
  if (!existsSync(file))
    return fail(
      base,
      `${file} is missing: this checkout stops every job without it`,
      "Run `ptb setup` (the wizard, or `--non-interactive`): it writes one with the setup's paths and no key; jobs get the keys from ptb's secrets file, which win over .env.",
    );
  const keys = keysInDotEnv(file);
  const open = readableByOthers(file);
  if (keys.length > 0 && open !== null)
    return warn(
      base,
      `${file} holds API keys (${keys.join(', ')}) and others can read it (mode ${open.toString(8).padStart(4, '0')})`,
      `Run \`chmod 600 ${file}\`, or take the keys out of it: ptb's jobs get them from its secrets file.`,
    );
  return pass(base, `${file} present${keys.length ? `, with ${keys.length} key(s), private` : ', no key in it'}`);
}

export function checkContainers(config: Config): CheckResult {
  const base = login('containers', 'Container images');
  // The agents' image, and those the checkout's scripts name (vllm_debug for every evaluation, a judge's).
  const checkout = isCheckout(config.checkout) ? readCheckout(config.checkout) : null;
  const names = [...new Set([config.containerName, ...(checkout ? [...checkout.images.run, ...checkout.images.baseline] : ['vllm_debug'])])];
  const problems: string[] = [];
  const found: string[] = [];
  for (const name of names) {
    const file = join(config.containersDir, `${name}.sif`);
    if (!existsSync(file)) {
      problems.push(`${file} is missing`);
      continue;
    }
    try {
      accessSync(file, constants.R_OK);
      found.push(`${name}.sif ${humanBytes(statSync(file).size)}`);
    } catch {
      problems.push(`${file} is not readable`);
    }
  }
  const build = names.map((n) => `bash containers/build_container.sh ${n}`).join(' && ');
  if (problems.length > 0)
    return fail(
      base,
      problems.join('; '),
      `Build them (root or fakeroot, with internet), or copy them from where they were built: ${build}. The checkout's run_task.sh runs every task in ${
        names
          .slice(1)
          .map((n) => `${n}.sif`)
          .join(' and ') || 'them'
      } too.`,
      found.join('\n'),
    );
  return pass(base, found.join(', '));
}

export function checkHfCache(config: Config): CheckResult {
  const base = login('hf-cache', 'Hugging Face cache');
  const resourcesFile = join(config.checkout, 'containers', 'download_hf_cache', 'resources.json');
  if (!existsSync(config.hfHome))
    return fail(base, `HF_HOME ${config.hfHome} does not exist`, 'Create it on shared storage and download the cache (see the command in the details).');
  if (!existsSync(resourcesFile)) return skip(base, `no ${resourcesFile} in the checkout: nothing to compare with`);
  const resources = readResources(resourcesFile);
  const scan = scanCache(config.hfHome, resources);
  const download = `HF_HOME=${config.hfHome} POST_TRAIN_BENCH_CONTAINERS_DIR=${config.containersDir} POST_TRAIN_BENCH_CONTAINER_NAME=${config.containerName} bash containers/download_hf_cache/download_hf_cache.sh`;
  const baseMissing = BASE_MODELS.filter((m) => scan.missingModels.includes(m) || scan.incompleteModels.includes(m));
  const otherModels = [...scan.missingModels, ...scan.incompleteModels].filter((m) => !(BASE_MODELS as readonly string[]).includes(m));
  const details = [
    `${resources.models.length} models, ${resources.datasets.length} datasets listed in ${resourcesFile}`,
    scan.missingModels.length ? `missing models: ${scan.missingModels.join(', ')}` : '',
    scan.incompleteModels.length ? `incomplete models (no config.json or weights in any snapshot): ${scan.incompleteModels.join(', ')}` : '',
    scan.missingDatasets.length
      ? `missing datasets (${scan.missingDatasets.length}): ${scan.missingDatasets.slice(0, 40).join(', ')}${scan.missingDatasets.length > 40 ? ', ...' : ''}`
      : '',
    `download: ${download}`,
  ]
    .filter(Boolean)
    .join('\n');
  const counts = `${scan.missingModels.length + scan.incompleteModels.length}/${resources.models.length} models and ${scan.missingDatasets.length}/${resources.datasets.length} datasets missing`;
  if (baseMissing.length > 0)
    return fail(
      base,
      `base models missing or incomplete: ${baseMissing.join(', ')} (${counts})`,
      `Download the cache from the login node: ${download}`,
      details,
    );
  if (otherModels.length > 0 || scan.missingDatasets.length > 0) return warn(base, counts, `Agents may want them: ${download}`, details);
  return pass(base, `all ${resources.models.length} models and ${resources.datasets.length} datasets present`, details);
}

const MIN_RESULTS_FREE = 100 * 1024 ** 3;

export function checkResultsDir(config: Config): CheckResult {
  const base = login('results-dir', 'Results folder');
  const dir = config.resultsDir;
  if (!isAbsolute(dir)) return fail(base, `${dir} is relative`, 'Use an absolute path (`ptb setup`): upstream evaluates from inside src/eval/tasks/<eval>.');
  // ptb's own folder (scripts, Slurm logs, plans) sits beside the results one: its parent must be writable too.
  for (const folder of [dir, ptbWorkDir(config)]) {
    try {
      if (!existsSync(folder)) mkdirSync(folder, { recursive: true });
      const probe = join(folder, `.ptb-write-test-${process.pid}`);
      writeFileSync(probe, 'ok');
      rmSync(probe);
    } catch (error) {
      const why = (error as NodeJS.ErrnoException).code ?? String(error);
      return folder === dir
        ? fail(
            base,
            `${dir} is not writable: ${why}`,
            `Choose a folder you can write to, on storage the compute nodes see (\`ptb setup\`), or fix its permissions.`,
          )
        : fail(
            base,
            `${folder} (ptb's scripts and Slurm logs, beside the results folder) cannot be written: ${why}`,
            `Make ${dirname(folder)} writable for you, or choose a results folder whose parent you can write to (\`ptb setup\`).`,
          );
    }
  }
  const fs = statfsSync(dir);
  const free = fs.bavail * fs.bsize;
  const finding = `${dir}: writable, ${humanBytes(free)} free`;
  if (free < MIN_RESULTS_FREE)
    return warn(base, finding, 'Each run keeps its final model (4-8 GB) and workspace: free some space or choose a larger file system.');
  return pass(base, finding);
}

export function checkCredentials(config: Config, locations: ConfigLocations): CheckResult {
  const base = login('credentials', 'API keys and auth files');
  const checkout = isCheckout(config.checkout) ? readCheckout(config.checkout) : null;
  const needs = neededCredentials(config.agents, checkout?.credentials);
  const secrets = readSecrets(locations.secrets);
  if (secrets.kind === 'insecure') return fail(base, 'the secrets file is readable by others', secrets.message);
  if (secrets.kind === 'invalid') return fail(base, 'the secrets file cannot be read', `${secrets.message}: fix the line, or run \`ptb setup\` to rewrite it.`);
  const stored = secrets.kind === 'ok' ? secrets.values : {};
  const missingKeys = needs.keys.filter((k) => !stored[k]);
  const missingFiles = needs.authFiles.filter((f) => !existsSync(join(config.checkout, f)));
  // Where each agent's needs were read: a folder whose scripts say nothing ptb can read falls back on its table.
  const sources = config.agents.map((agent) => {
    const reading = checkout?.credentials.agents[agent];
    return `${agent}: ${reading ? `agents/${agent}/${reading.source}` : "ptb's table (its solve.sh names no agent CLI, key or auth file)"}`;
  });
  const details = [
    `secrets file: ${locations.secrets} (${secrets.kind})`,
    `needed keys: ${needs.keys.join(', ')}`,
    needs.authFiles.length ? `auth files: ${needs.authFiles.join(', ')}` : '',
    'read from:',
    ...sources.map((s) => `  ${s}`),
    ...(checkout?.credentialProblems ?? []).map((p) => `not read: ${p}`),
  ]
    .filter(Boolean)
    .join('\n');
  const problems = [...missingKeys.map((k) => `${k} not stored`), ...missingFiles.map((f) => `${f} missing`)];
  if (problems.length > 0) {
    const fixes = [
      missingKeys.length ? keyFix(missingKeys, locations.secrets) : '',
      missingFiles.length ? 'log in with the agent CLI (`claude setup-token`, `codex login --device-auth`) and copy the file there' : '',
    ].filter(Boolean);
    return fail(base, problems.join(', '), `${fixes.join('; ')}.`, details);
  }
  const finding = `${needs.keys.join(', ')} stored${needs.authFiles.length ? `; ${needs.authFiles.length} auth file(s) present` : ''}`;
  const silent = silentAgents(config.agents, checkout?.credentials);
  if (silent.length > 0)
    return warn(
      base,
      `${finding}; nothing found that ${silent.join(', ')} log(s) in with`,
      `Check agents/${silent[0] ?? ''}/solve.sh: if it needs a key, add NAME=value to ${locations.secrets} (or an allowed_api_keys list to its api_keys.json, as later upstream does).`,
      details,
    );
  if (checkout && checkout.credentialProblems.length > 0)
    return warn(
      base,
      `${finding}; ${checkout.credentialProblems.length} agent file(s) not read`,
      'Those agents\' needs come from their solve.sh instead: fix the file named in the details (upstream\'s form is {"allowed_api_keys": ["NAME_API_KEY"]}).',
      details,
    );
  return pass(base, finding, details);
}

/** What the login-node checks read. */
export interface LoginCheckContext {
  config: Config;
  locations: ConfigLocations;
  slurm: Slurm;
}

/** Every login-node check, by id: the screen re-runs one of them, the command runs them all. */
export const LOGIN_CHECKS: readonly { id: string; title: string; run: (ctx: LoginCheckContext) => Promise<CheckResult> | CheckResult }[] = [
  { id: 'slurm', title: 'Slurm client and controller', run: (ctx) => checkSlurm(ctx.slurm) },
  { id: 'checkout', title: 'PostTrainBench checkout', run: (ctx) => checkCheckout(ctx.config) },
  { id: 'dot-env', title: 'Checkout .env', run: (ctx) => checkDotEnv(ctx.config) },
  { id: 'containers', title: 'Container images', run: (ctx) => checkContainers(ctx.config) },
  { id: 'hf-cache', title: 'Hugging Face cache', run: (ctx) => checkHfCache(ctx.config) },
  { id: 'results-dir', title: 'Results folder', run: (ctx) => checkResultsDir(ctx.config) },
  { id: 'credentials', title: 'API keys and auth files', run: (ctx) => checkCredentials(ctx.config, ctx.locations) },
];

/** One login-node check, bounded in time. */
export function runLoginCheck(check: (typeof LOGIN_CHECKS)[number], ctx: LoginCheckContext, timeoutMs = 10_000): Promise<CheckResult> {
  return withTimeout(login(check.id, check.title), timeoutMs, () => check.run(ctx));
}

/** All login-node checks, in parallel, each bounded in time. */
export async function runLoginChecks(config: Config, locations: ConfigLocations, slurm: Slurm, timeoutMs = 10_000): Promise<CheckResult[]> {
  return Promise.all(LOGIN_CHECKS.map((check) => runLoginCheck(check, { config, locations, slurm }, timeoutMs)));
}
