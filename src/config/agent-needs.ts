/**
 * What each PostTrainBench agent needs to authenticate (posttrainbench.md §1.3): an API key in
 * the environment, or an auth file in `agents/<agent>/` for the subscription agents.
 */

/** Every run also needs OpenAI's key: the contamination judge runs codex with it. */
export const JUDGE_KEY = 'OPENAI_API_KEY';

export const KNOWN_KEYS = ['ANTHROPIC_API_KEY', 'OPENAI_API_KEY', 'GEMINI_API_KEY', 'OPENCODE_API_KEY', 'ZAI_API_KEY', 'DASHSCOPE_API_KEY'] as const;
export type KeyName = (typeof KNOWN_KEYS)[number];

const OPENCODE_PROVIDERS: Record<string, KeyName> = { anthropic: 'ANTHROPIC_API_KEY', openai: 'OPENAI_API_KEY', opencode: 'OPENCODE_API_KEY', zai: 'ZAI_API_KEY' };

export interface AgentNeeds {
  keys: KeyName[];
  /** Relative to the checkout; checked for presence only, never read. */
  authFiles: string[];
}

/** Needs of one agent, given its agent configs when they matter (opencode's provider prefix). */
export function agentNeeds(agent: string, agentConfigs: readonly string[] = []): AgentNeeds {
  if (agent.startsWith('claude_non_api')) return { keys: [], authFiles: [`agents/${agent}/oauth_token`] };
  if (agent.startsWith('codex_non_api')) return { keys: [], authFiles: [`agents/${agent}/auth.json`] };
  if (agent.startsWith('claude')) return { keys: ['ANTHROPIC_API_KEY'], authFiles: [] };
  if (agent.startsWith('codex')) return { keys: ['OPENAI_API_KEY'], authFiles: [] };
  if (agent === 'gemini') return { keys: ['GEMINI_API_KEY'], authFiles: [] };
  if (agent === 'glm5') return { keys: ['ZAI_API_KEY'], authFiles: [] };
  if (agent === 'qwen3max') return { keys: ['DASHSCOPE_API_KEY'], authFiles: [] };
  if (agent === 'opencode') {
    const keys = agentConfigs.map((c) => OPENCODE_PROVIDERS[c.split('/')[0] ?? '']).filter((k): k is KeyName => k !== undefined);
    return { keys: keys.length > 0 ? [...new Set(keys)] : ['OPENCODE_API_KEY'], authFiles: [] };
  }
  return { keys: [], authFiles: [] };
}

/** What every run needs besides its agent's credentials, as the checkout's run_task.sh says (its judges'). */
export interface RunNeeds {
  keys: readonly string[];
  authFiles: readonly string[];
}

const NO_MORE: RunNeeds = { keys: [], authFiles: [] };

/** The keys (the judges' included) and auth files a set of agents needs, without repeats. */
export function neededCredentials(agents: readonly string[], everyRun: RunNeeds = NO_MORE): { keys: KeyName[]; authFiles: string[] } {
  return credentialsForRuns(agents.map((agent) => ({ agent, config: '' })), everyRun);
}

/** The same for planned runs: opencode's key depends on its configuration's provider (`zai/glm-5`). */
export function credentialsForRuns(runs: readonly { agent: string; config: string }[], everyRun: RunNeeds = NO_MORE): { keys: KeyName[]; authFiles: string[] } {
  const keys = new Set<KeyName>([JUDGE_KEY, ...everyRun.keys.filter((k): k is KeyName => (KNOWN_KEYS as readonly string[]).includes(k))]);
  const authFiles = new Set<string>(everyRun.authFiles);
  const configs = new Map<string, string[]>();
  for (const r of runs) configs.set(r.agent, [...(configs.get(r.agent) ?? []), ...(r.config ? [r.config] : [])]);
  for (const [agent, agentConfigs] of configs) {
    const needs = agentNeeds(agent, agentConfigs);
    for (const k of needs.keys) keys.add(k);
    for (const f of needs.authFiles) authFiles.add(f);
  }
  return { keys: KNOWN_KEYS.filter((k) => keys.has(k)), authFiles: [...authFiles] };
}
