/**
 * What each PostTrainBench agent needs to authenticate (posttrainbench.md §1.3): an API key in
 * the environment, or an auth file in `agents/<agent>/` for the subscription agents.
 */

/** v1.0's contamination judge runs codex on OpenAI's key: every run needs it there. */
export const JUDGE_KEY = 'OPENAI_API_KEY';

/**
 * Where no checkout says: the evals upstream grades with an OpenAI model (gpt-5-mini), whose
 * runs need OpenAI's key. A checkout's own evaluate.py files say which keys they require.
 */
const TABLE_EVAL_KEYS: Readonly<Record<string, readonly string[]>> = { arenahardwriting: ['OPENAI_API_KEY'], healthbench: ['OPENAI_API_KEY'] };

export const KNOWN_KEYS = ['ANTHROPIC_API_KEY', 'OPENAI_API_KEY', 'GEMINI_API_KEY', 'OPENCODE_API_KEY', 'ZAI_API_KEY', 'DASHSCOPE_API_KEY'] as const;
export type KeyName = (typeof KNOWN_KEYS)[number];

const OPENCODE_PROVIDERS: Record<string, KeyName> = {
  anthropic: 'ANTHROPIC_API_KEY',
  openai: 'OPENAI_API_KEY',
  opencode: 'OPENCODE_API_KEY',
  zai: 'ZAI_API_KEY',
};

export interface AgentNeeds {
  keys: string[];
  /** Relative to the checkout; checked for presence only, never read. */
  authFiles: string[];
}

/**
 * opencode's key for each configuration's provider (`zai/glm-5`: ZAI_API_KEY); its own provider's
 * without a configuration. A provider that neither its opencode.json nor ptb knows asks for every
 * key the script reads: one of them is the one.
 */
function providerKeys(agentConfigs: readonly string[], providers: Readonly<Record<string, string>>, read: readonly string[] = []): string[] {
  const keys = agentConfigs.flatMap((c) => {
    const provider = c.split('/')[0] ?? '';
    const key = providers[provider] ?? OPENCODE_PROVIDERS[provider];
    return key ? [key] : read.length > 0 ? [...read] : ['OPENCODE_API_KEY'];
  });
  return keys.length > 0 ? [...new Set(keys)] : ['OPENCODE_API_KEY'];
}

/** What an agent folder of the checkout says it needs (src/checkout/agent-credentials.ts). */
export interface AgentReading {
  keys: string[];
  authFiles: string[];
  source: 'api_keys.json' | 'solve.sh';
  /** opencode: the key each provider of its opencode.json reads; a run needs its configuration's provider's. */
  providers?: Record<string, string>;
}

/**
 * Needs of one agent, given its agent configs when they matter (opencode's provider prefix): what
 * its folder says (`reading`), else ptb's table of upstream's agents, for a checkout without them.
 */
export function agentNeeds(agent: string, agentConfigs: readonly string[] = [], reading?: AgentReading): AgentNeeds {
  if (reading) {
    if (!reading.providers) return { keys: [...reading.keys], authFiles: [...reading.authFiles] };
    return { keys: providerKeys(agentConfigs, reading.providers, reading.keys), authFiles: [...reading.authFiles] };
  }
  if (agent.startsWith('claude_non_api')) return { keys: [], authFiles: [`agents/${agent}/oauth_token`] };
  if (agent.startsWith('codex_non_api')) return { keys: [], authFiles: [`agents/${agent}/auth.json`] };
  if (agent.startsWith('claude')) return { keys: ['ANTHROPIC_API_KEY'], authFiles: [] };
  if (agent.startsWith('codex')) return { keys: ['OPENAI_API_KEY'], authFiles: [] };
  if (agent === 'gemini') return { keys: ['GEMINI_API_KEY'], authFiles: [] };
  if (agent === 'glm5') return { keys: ['ZAI_API_KEY'], authFiles: [] };
  if (agent === 'qwen3max') return { keys: ['DASHSCOPE_API_KEY'], authFiles: [] };
  if (agent === 'opencode') return { keys: providerKeys(agentConfigs, {}), authFiles: [] };
  return { keys: [], authFiles: [] };
}

/** What every run needs besides its agent's credentials, as the checkout's run_task.sh says (its judges'). */
export interface RunNeeds {
  keys: readonly string[];
  authFiles: readonly string[];
}

/** Where the checkout does not say: v1.0's judge and its OpenAI key. */
export const V10_JUDGE: RunNeeds = { keys: [JUDGE_KEY], authFiles: [] };

/** What a checkout says about credentials: its judges' needs on every run, and each agent folder's reading. */
export interface CheckoutCredentials {
  everyRun: RunNeeds;
  agents: Readonly<Record<string, AgentReading>>;
  /** The keys each eval's evaluate.py requires (its grader's), by eval; absent: ptb's table. */
  evals?: Readonly<Record<string, readonly string[]>>;
}

/** No checkout to read: v1.0's judge, and ptb's table for every agent. */
export const TABLE_CREDENTIALS: CheckoutCredentials = { everyRun: V10_JUDGE, agents: {} };

/** The keys (the judges' included) and auth files a set of agents needs, without repeats. */
export function neededCredentials(agents: readonly string[], checkout: CheckoutCredentials = TABLE_CREDENTIALS): { keys: string[]; authFiles: string[] } {
  return credentialsForRuns(
    agents.map((agent) => ({ agent, config: '' })),
    checkout,
  );
}

/**
 * The same for planned runs: opencode's key depends on its configuration's provider (`zai/glm-5`),
 * and an eval whose grader is an API model needs that API's key (OpenAI's, upstream). Known keys come first, in their
 * order; a key the checkout needs that ptb does not know (a newer judge's) comes after, kept.
 */
export function credentialsForRuns(
  runs: readonly { agent: string; config: string; eval?: string }[],
  checkout: CheckoutCredentials = TABLE_CREDENTIALS,
): { keys: string[]; authFiles: string[] } {
  const { everyRun } = checkout;
  const keys = new Set<string>(everyRun.keys);
  const evalKeys = checkout.evals ?? TABLE_EVAL_KEYS;
  for (const r of runs) for (const k of (r.eval !== undefined ? evalKeys[r.eval] : undefined) ?? []) keys.add(k);
  const authFiles = new Set<string>(everyRun.authFiles);
  const configs = new Map<string, string[]>();
  for (const r of runs) configs.set(r.agent, [...(configs.get(r.agent) ?? []), ...(r.config ? [r.config] : [])]);
  for (const [agent, agentConfigs] of configs) {
    const needs = agentNeeds(agent, agentConfigs, checkout.agents[agent]);
    for (const k of needs.keys) keys.add(k);
    for (const f of needs.authFiles) authFiles.add(f);
  }
  const known = KNOWN_KEYS.filter((k) => keys.has(k));
  return { keys: [...known, ...[...keys].filter((k) => !(KNOWN_KEYS as readonly string[]).includes(k)).sort()], authFiles: [...authFiles] };
}

/**
 * Agents for which neither their folder nor ptb's table names a key or an auth file: maybe they
 * need none (a local model), maybe ptb cannot read how they log in. Said, so that the user checks.
 */
export function silentAgents(agents: readonly string[], checkout: CheckoutCredentials = TABLE_CREDENTIALS): string[] {
  return [...new Set(agents)].filter((agent) => {
    const needs = agentNeeds(agent, [], checkout.agents[agent]);
    return needs.keys.length === 0 && needs.authFiles.length === 0;
  });
}

/** Whether a key name is one the wizard asks for. */
export const isKnownKey = (name: string): name is KeyName => (KNOWN_KEYS as readonly string[]).includes(name);
