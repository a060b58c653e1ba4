import { readFileSync } from 'node:fs';
import { agentConfigId, knownAgentConfigs, parseAgentConfigId, type AgentConfig } from '../catalog/agent-configs.js';
import type { Checkout } from '../checkout/detect.js';
import { DEFAULT_RECIPE_HOURS, type Recipe } from '../checkout/recipes.js';
import type { Config } from '../config/schema.js';
import { BASE_MODELS } from '../catalog/models.js';
import { jsonErrorLine, jsonErrorReason } from '../fs/json-error.js';
import { checkAgentConfigName, checkHours, checkName } from '../config/field-checks.js';
import type * as YamlModule from 'yaml';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { containerTest, taskKey, type Task } from './task.js';

/** A plan as a user writes it: the matrix to run. */
export interface Plan {
  models: string[];
  evals: string[];
  /** `agent/config` ids; empty for a baseline plan. */
  agentConfigs: string[];
  hours: number[];
  gpus: number;
  /** Baselines (run_baseline.sh) instead of agent runs. */
  baseline: boolean;
  /** Images to check with the guide's container test (`apptainer exec --nv IMAGE.sif nvidia-smi`). */
  containerTests: string[];
  /**
   * Every recipe of the checkout's commit.sh instead of `agentConfigs` x `hours`: each with its
   * own hours, GPUs and resources, as upstream submits them.
   */
  recipes?: boolean;
}

export type PlanResult = { ok: true; plan: Plan } | { ok: false; problems: string[] };

// The YAML library is a seventh of ptb's engine: loaded when a plan file is read or written, not at
// every start. It is CommonJS: its exports are the default export of the bundle's chunk.
const loadYaml = async (): Promise<typeof YamlModule> => ((await import('yaml')) as unknown as { default: typeof YamlModule }).default;

/** Reads a plan file: JSON when it ends in `.json`, YAML otherwise; a syntax error names the file and the line. */
export async function readPlanFile(file: string): Promise<PlanResult> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { ok: false, problems: [`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`] };
  }
  if (file.endsWith('.json')) {
    try {
      return parsePlan(JSON.parse(text));
    } catch (error) {
      return { ok: false, problems: [`${file}, line ${jsonErrorLine(text, error)}: not valid JSON (${jsonErrorReason(error)})`] };
    }
  }
  const { parse: parseYaml, YAMLError } = await loadYaml();
  let data: unknown;
  try {
    data = parseYaml(text, { logLevel: 'error' });
  } catch (error) {
    // Syntax errors carry their line; others (an alias bomb, a wrong tag) are said as they are.
    const line = error instanceof YAMLError ? error.linePos?.[0]?.line : undefined;
    const reason = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    return { ok: false, problems: [`${file}${line ? `, line ${line}` : ''}: not valid YAML (${reason})`] };
  }
  return parsePlan(data);
}

/** The plan as a file `ptb submit --plan` reads back: YAML (JSON when the name ends in `.json`), written atomically. */
export async function writePlanFile(file: string, plan: Plan): Promise<void> {
  const data = {
    ...plan,
    containerTests: plan.containerTests.length > 0 ? plan.containerTests : undefined,
    recipes: plan.recipes ? true : undefined,
    ...(plan.recipes ? { agentConfigs: undefined, hours: undefined } : {}),
  };
  const text = file.endsWith('.json')
    ? `${JSON.stringify(data, null, 2)}\n`
    : `# A ptb plan: ptb submit --plan ${file} [--dry-run]\n${(await loadYaml()).stringify(data)}`;
  writeFileAtomic(file, text, { mode: 0o644, dirMode: 0o755 });
}

const strings = (v: unknown): string[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : undefined);

export function parsePlan(data: unknown): PlanResult {
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    return { ok: false, problems: ['a plan is an object with models, evals, agentConfigs and hours'] };
  const d = data as Record<string, unknown>;
  const problems: string[] = [];
  const known = new Set(['models', 'evals', 'agentConfigs', 'hours', 'gpus', 'baseline', 'containerTests', 'recipes']);
  for (const key of Object.keys(d)) if (!known.has(key)) problems.push(`"${key}" is not a plan field (fields: ${[...known].join(', ')})`);
  const models = d.models === undefined ? [] : strings(d.models);
  const evals = d.evals === undefined ? [] : strings(d.evals);
  const containerTests = d.containerTests === undefined ? [] : strings(d.containerTests);
  const agentConfigs = d.agentConfigs === undefined ? [] : strings(d.agentConfigs);
  const hours = d.hours === undefined ? [10] : Array.isArray(d.hours) && d.hours.every((h) => typeof h === 'number') ? d.hours : undefined;
  // The setup's check, value by value: a budget of 1e9 hours would otherwise reach sbatch as a time limit.
  for (const h of hours ?? []) {
    const problem = checkHours(h);
    if (problem) problems.push(`hours: ${h}: ${problem}`);
  }
  const gpus = d.gpus === undefined ? 1 : Number.isInteger(d.gpus) && (d.gpus as number) > 0 ? (d.gpus as number) : undefined;
  const baseline = d.baseline === undefined ? false : typeof d.baseline === 'boolean' ? d.baseline : undefined;
  const recipes = d.recipes === undefined ? false : typeof d.recipes === 'boolean' ? d.recipes : undefined;
  if (recipes === undefined) problems.push("recipes: true (every recipe of the checkout's commit.sh) or false");
  if (recipes && (d.agentConfigs !== undefined || d.hours !== undefined))
    problems.push('recipes: true runs the recipes of commit.sh, each with its own agent configuration and hours: leave agentConfigs and hours out');
  if (!models) problems.push('models: a list of model ids');
  if (!evals) problems.push('evals: a list of eval ids');
  if (!agentConfigs) problems.push('agentConfigs: a list of "agent/config" ids');
  if (!hours) problems.push('hours: a list of whole numbers of hours, e.g. [10]');
  if (gpus === undefined) problems.push('gpus: a whole number, at least 1');
  if (baseline === undefined) problems.push('baseline: true or false');
  if (!containerTests) problems.push('containerTests: a list of image names, e.g. [standard]');
  if (problems.length > 0 || !models || !evals || !agentConfigs || !hours || gpus === undefined || baseline === undefined || !containerTests)
    return { ok: false, problems };
  return { ok: true, plan: { models, evals, agentConfigs, hours, gpus, baseline, containerTests, ...(recipes ? { recipes: true } : {}) } };
}

/** Why a value cannot be part of a task key, if it cannot. */
function keyPartProblem(value: string): string | undefined {
  if (value.trim() === '') return 'empty';
  if (/[|\x00-\x1f\x7f]/.test(value)) return 'must not contain | or control characters (line breaks, tabs)';
  return undefined;
}

/** What a plan may name: the checkout's evals and agents, the known agent configurations. */
export interface PlanVocabulary {
  evals: readonly string[];
  /** The base models an agent run may train: the leaderboard's four, and any other commit.sh's matrix names. */
  models?: readonly string[];
  agents: readonly string[];
  agentConfigs: readonly AgentConfig[];
  /**
   * Where the agent configurations come from: the checkout's commit.sh, or ptb's built-in table
   * for a checkout without one (then said wherever the list is shown).
   */
  agentConfigSource?: 'commit.sh' | 'built-in';
  /** The pair of commit.sh's shortest recipe (upstream's own 1-hour smoke run): the smoke preset's. */
  smokePair?: string;
  /** The agents the setup names: the composer's full and smoke presets run their configurations. */
  setupAgents?: readonly string[];
  /** commit.sh's recipes for the checkout's agents, and its matrix: what `recipes: true` runs. */
  recipes?: readonly Recipe[];
  recipeMatrix?: { models: readonly string[]; evals: readonly string[] };
}

export function knownTo(config: Config, checkout: Checkout): PlanVocabulary {
  const recipes = checkout.recipes && checkout.recipes.recipes.length > 0 ? checkout.recipes.recipes : null;
  const timed = (recipes ?? []).filter((r) => r.hours !== null && checkout.agents.includes(r.agent));
  const shortest = timed.reduce<(typeof timed)[number] | undefined>((best, r) => (!best || (r.hours ?? 0) < (best.hours ?? 0) ? r : best), undefined);
  return {
    evals: checkout.tasks.map((t) => t.id),
    models: [...new Set([...BASE_MODELS, ...(checkout.recipes?.models ?? [])])],
    agents: checkout.agents,
    setupAgents: config.agents,
    agentConfigs: knownAgentConfigs(config.agentConfigs, recipes),
    agentConfigSource: recipes ? 'commit.sh' : 'built-in',
    ...(shortest ? { smokePair: agentConfigId(shortest) } : {}),
    ...(recipes && checkout.recipes
      ? { recipes: recipes.filter((r) => checkout.agents.includes(r.agent)), recipeMatrix: { models: checkout.recipes.models, evals: checkout.recipes.evals } }
      : {}),
  };
}

/**
 * The tasks of a plan, checked against what exists: the checkout's evals, the base models
 * (and, for baselines, any model), the known agent configs and the checkout's agents.
 */
export function expandPlan(
  plan: Plan,
  known: PlanVocabulary,
  experiment: string,
): { ok: true; tasks: Task[]; warnings: string[] } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const warnings: string[] = [];
  const badEvals = plan.evals.filter((e) => !known.evals.includes(e));
  if (badEvals.length) problems.push(`unknown eval(s): ${badEvals.join(', ')} (valid: ${known.evals.join(', ')})`);
  if (!plan.baseline) {
    const models: readonly string[] = known.models ?? BASE_MODELS;
    const badModels = plan.models.filter((m) => !models.includes(m));
    if (badModels.length) problems.push(`unknown model(s): ${badModels.join(', ')} (valid: ${models.join(', ')})`);
    const ids = known.agentConfigs.map(agentConfigId);
    for (const id of plan.agentConfigs) {
      const parsed = parseAgentConfigId(id);
      // Whitespace (`claude/ `) would reach run_task.sh as a config; a | or a line break is refused below, with the other key parts.
      const configProblem = parsed && !keyPartProblem(id) ? checkAgentConfigName(parsed.config) : undefined;
      if (!parsed) problems.push(`"${id}" is not of the form agent/config`);
      else if (!known.agents.includes(parsed.agent)) problems.push(`agent ${parsed.agent} is not in the checkout (there: ${known.agents.join(', ')})`);
      else if (configProblem) problems.push(`"${id}": ${configProblem}`);
      // Any agent folder of the checkout may run any configuration typed for it: upstream's list moves monthly.
      else if (!ids.includes(id))
        warnings.push(
          `${id} is not one of ${known.agentConfigSource === 'commit.sh' ? "the checkout's commit.sh recipes" : "ptb's known agent configurations"}: check its spelling (agent ${parsed.agent} gets it as AGENT_CONFIG verbatim)`,
        );
    }
    if (plan.agentConfigs.length === 0 && !plan.recipes && plan.models.length * plan.evals.length > 0)
      problems.push('agentConfigs is empty: name at least one (e.g. claude/claude-opus-4-6), or set baseline: true');
  }
  const recipes = plan.recipes && !plan.baseline ? (known.recipes ?? []) : [];
  if (plan.recipes && !plan.baseline && recipes.length === 0)
    problems.push(
      "recipes: true runs the recipes of the checkout's src/commit_utils/commit.sh, and this checkout has none for its agents: name agentConfigs and hours instead",
    );
  for (const r of recipes) {
    const problem = keyPartProblem(r.agent) ?? keyPartProblem(r.config) ?? checkAgentConfigName(r.config);
    if (problem) problems.push(`commit.sh, line ${r.line}: ${r.agent}/${r.config}: ${problem}`);
  }
  for (const image of plan.containerTests) {
    const problem = checkName(image, 'an image name') ?? keyPartProblem(image);
    if (problem) problems.push(`containerTests: "${image}": ${problem}`);
  }
  // Every value goes into the task key: the job's comment, split on |, read back from one squeue line.
  for (const [field, values] of [
    ['models', plan.models],
    ['evals', plan.evals],
    ['agentConfigs', plan.agentConfigs],
  ] as const) {
    for (const value of values) {
      const problem = keyPartProblem(value);
      if (problem) problems.push(`${field}: "${value}": ${problem}`);
    }
  }
  if (!plan.baseline && plan.agentConfigs.length > 0 && plan.hours.length === 0) problems.push('hours is empty: name at least one budget in hours (e.g. [10])');
  if (problems.length > 0) return { ok: false, problems };
  const tasks: Task[] = plan.containerTests.map(containerTest);
  for (const model of plan.models)
    for (const evalId of plan.evals) {
      if (plan.baseline) {
        tasks.push({ kind: 'baseline', eval: evalId, model, agent: '', config: '', hours: 0, gpus: 1, experiment: '' });
        continue;
      }
      for (const r of recipes) {
        const resources = {
          ...(r.memoryMb !== null ? { memoryMb: r.memoryMb } : {}),
          ...(r.cpus !== null ? { cpus: r.cpus } : {}),
          ...(r.disk !== null ? { disk: r.disk } : {}),
        };
        tasks.push({
          kind: 'agent',
          eval: evalId,
          model,
          agent: r.agent,
          config: r.config,
          hours: r.hours ?? DEFAULT_RECIPE_HOURS,
          gpus: r.gpus,
          experiment,
          ...(Object.keys(resources).length > 0 ? { resources } : {}),
        });
      }
      for (const id of plan.agentConfigs)
        for (const hours of plan.hours) {
          const { agent, config } = parseAgentConfigId(id) ?? { agent: '', config: '' };
          tasks.push({ kind: 'agent', eval: evalId, model, agent, config, hours, gpus: plan.gpus, experiment });
        }
    }
  if (tasks.length === 0) return { ok: false, problems: ['the plan is empty: it names no model or no eval (and no container test)'] };
  // A value listed twice would make the same task twice: one job per task, always. Two recipes of one
  // task that differ only in their resources (upstream bids twice for a cell) run once, the first's.
  const unique = new Map<string, Task>();
  for (const t of tasks) if (!unique.has(taskKey(t))) unique.set(taskKey(t), t);
  return { ok: true, tasks: [...unique.values()], warnings };
}
