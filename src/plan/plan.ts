import { readFileSync } from 'node:fs';
import { AGENT_CONFIGS, agentConfigId, parseAgentConfigId } from '../catalog/agent-configs.js';
import { BASE_MODELS } from '../catalog/models.js';
import { jsonErrorLine, jsonErrorReason } from '../fs/json-error.js';
import type { Task } from './task.js';

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
}

export type PlanResult = { ok: true; plan: Plan } | { ok: false; problems: string[] };

/** Reads a JSON plan; a syntax error names the file and the line. */
export function readPlanFile(file: string): PlanResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { ok: false, problems: [`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`] };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [`${file}, line ${jsonErrorLine(text, error)}: not valid JSON (${jsonErrorReason(error)})`] };
  }
  return parsePlan(data);
}

const strings = (v: unknown): string[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : undefined);

export function parsePlan(data: unknown): PlanResult {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { ok: false, problems: ['a plan is an object with models, evals, agentConfigs and hours'] };
  const d = data as Record<string, unknown>;
  const problems: string[] = [];
  const known = new Set(['models', 'evals', 'agentConfigs', 'hours', 'gpus', 'baseline']);
  for (const key of Object.keys(d)) if (!known.has(key)) problems.push(`"${key}" is not a plan field (fields: ${[...known].join(', ')})`);
  const models = strings(d.models);
  const evals = strings(d.evals);
  const agentConfigs = d.agentConfigs === undefined ? [] : strings(d.agentConfigs);
  const hours = d.hours === undefined ? [10] : Array.isArray(d.hours) && d.hours.every((h) => Number.isInteger(h) && (h as number) > 0) ? (d.hours as number[]) : undefined;
  const gpus = d.gpus === undefined ? 1 : Number.isInteger(d.gpus) && (d.gpus as number) > 0 ? (d.gpus as number) : undefined;
  const baseline = d.baseline === undefined ? false : typeof d.baseline === 'boolean' ? d.baseline : undefined;
  if (!models) problems.push('models: a list of model ids');
  if (!evals) problems.push('evals: a list of eval ids');
  if (!agentConfigs) problems.push('agentConfigs: a list of "agent/config" ids');
  if (!hours) problems.push('hours: a list of whole numbers of hours, e.g. [10]');
  if (gpus === undefined) problems.push('gpus: a whole number, at least 1');
  if (baseline === undefined) problems.push('baseline: true or false');
  if (problems.length > 0 || !models || !evals || !agentConfigs || !hours || gpus === undefined || baseline === undefined) return { ok: false, problems };
  return { ok: true, plan: { models, evals, agentConfigs, hours, gpus, baseline } };
}

/**
 * The tasks of a plan, checked against what exists: the checkout's evals, the base models
 * (and, for baselines, any model), the known agent configs and the checkout's agents.
 */
export function expandPlan(plan: Plan, known: { evals: readonly string[]; agents: readonly string[] }, experiment: string): { ok: true; tasks: Task[] } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const badEvals = plan.evals.filter((e) => !known.evals.includes(e));
  if (badEvals.length) problems.push(`unknown eval(s): ${badEvals.join(', ')} (valid: ${known.evals.join(', ')})`);
  if (!plan.baseline) {
    const badModels = plan.models.filter((m) => !(BASE_MODELS as readonly string[]).includes(m));
    if (badModels.length) problems.push(`unknown model(s): ${badModels.join(', ')} (valid: ${BASE_MODELS.join(', ')})`);
    const ids = AGENT_CONFIGS.map(agentConfigId);
    for (const id of plan.agentConfigs) {
      const parsed = parseAgentConfigId(id);
      if (!parsed) problems.push(`"${id}" is not of the form agent/config`);
      else if (!known.agents.includes(parsed.agent)) problems.push(`agent ${parsed.agent} is not in the checkout (there: ${known.agents.join(', ')})`);
      else if (!ids.includes(id) && !AGENT_CONFIGS.some((c) => c.agent === parsed.agent)) problems.push(`unknown agent config ${id} (valid: ${ids.join(', ')})`);
    }
    if (plan.agentConfigs.length === 0) problems.push('agentConfigs is empty: name at least one (e.g. claude/claude-opus-4-6)');
  }
  if (problems.length > 0) return { ok: false, problems };
  const tasks: Task[] = [];
  for (const model of plan.models)
    for (const evalId of plan.evals) {
      if (plan.baseline) {
        tasks.push({ kind: 'baseline', eval: evalId, model, agent: '', config: '', hours: 0, gpus: 1, experiment: '' });
        continue;
      }
      for (const id of plan.agentConfigs)
        for (const hours of plan.hours) {
          const { agent, config } = parseAgentConfigId(id) ?? { agent: '', config: '' };
          tasks.push({ kind: 'agent', eval: evalId, model, agent, config, hours, gpus: plan.gpus, experiment });
        }
    }
  if (tasks.length === 0) return { ok: false, problems: ['the plan is empty: it names no model or no eval'] };
  return { ok: true, tasks };
}
