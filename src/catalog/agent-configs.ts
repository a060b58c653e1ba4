/**
 * Agent → agent_config pairs, for a checkout without recipes of its own (a commit.sh): upstream's
 * at the time of writing (posttrainbench.md §1.3). A checkout's commit.sh always wins; the
 * configuration can add pairs and give a pair its own image.
 */
export interface AgentConfig {
  agent: string;
  config: string;
}

const pair = (agent: string, config: string): AgentConfig => ({ agent, config });

export const AGENT_CONFIGS: readonly AgentConfig[] = [
  pair('claude', 'claude-sonnet-4-5'),
  pair('claude', 'claude-opus-4-5'),
  pair('claude', 'claude-opus-4-6'),
  pair('codex', 'gpt-5.1-codex-max'),
  pair('codex', 'gpt-5.3-codex'),
  pair('gemini', 'models/gemini-3-pro-preview'),
  pair('gemini', 'models/gemini-3-flash-preview'),
  pair('gemini', 'models/gemini-3.1-pro-preview'),
  pair('claude_non_api', 'claude-opus-4-6'),
  pair('claude_non_api', 'claude-sonnet-4-6'),
  pair('claude_non_api', 'claude-opus-4-6[1m]'),
  pair('codex_non_api', 'gpt-5.3-codex'),
  pair('opencode', 'anthropic/claude-opus-4-5'),
  pair('opencode', 'opencode/gpt-5.1-codex-max'),
  pair('opencode', 'opencode/kimi-k2.5'),
  pair('opencode', 'zai/glm-5'),
  pair('glm5', 'glm-5'),
  pair('qwen3max', 'qwen3-max-2026-01-23'),
];

/** `claude/claude-opus-4-6[1m]`: how a pair is named in plans and on screen. */
export const agentConfigId = (c: Pick<AgentConfig, 'agent' | 'config'>): string => `${c.agent}/${c.config}`;

/** Parses `agent/config` (the config may itself contain `/`: `gemini/models/gemini-3-pro-preview`). */
export function parseAgentConfigId(id: string): { agent: string; config: string } | undefined {
  const slash = id.indexOf('/');
  if (slash <= 0 || slash === id.length - 1) return undefined;
  return { agent: id.slice(0, slash), config: id.slice(slash + 1) };
}

/**
 * The pairs a plan may name: the checkout's (its commit.sh recipes, in their order), else the
 * built-in table for a checkout without recipes; then the configuration's own, without repeats
 * (the configuration's win).
 */
export function knownAgentConfigs(
  extra: readonly { agent: string; config: string; container?: string }[] = [],
  fromCheckout: readonly { agent: string; config: string }[] | null = null,
): AgentConfig[] {
  const own = extra.map((c) => pair(c.agent, c.config));
  const ownIds = new Set(own.map(agentConfigId));
  const base = fromCheckout ? uniquePairs(fromCheckout).map((c) => pair(c.agent, c.config)) : AGENT_CONFIGS;
  return [...base.filter((c) => !ownIds.has(agentConfigId(c))), ...own];
}

function uniquePairs(pairs: readonly { agent: string; config: string }[]): { agent: string; config: string }[] {
  const seen = new Map<string, { agent: string; config: string }>();
  for (const p of pairs) if (!seen.has(agentConfigId(p))) seen.set(agentConfigId(p), p);
  return [...seen.values()];
}

/**
 * The image a pair runs in: the configuration's override (`containers`), else its own pair's
 * image, else the setup's image: upstream runs every agent in one POST_TRAIN_BENCH_CONTAINER_NAME
 * (a site that pins an image per agent says so in the configuration).
 */
export function containerFor(
  settings: {
    containerName: string;
    containers?: Readonly<Record<string, string>>;
    agentConfigs?: readonly { agent: string; config: string; container?: string }[];
  },
  agent: string,
  config: string,
): string {
  const id = agentConfigId({ agent, config });
  const override = settings.containers?.[id];
  if (override) return override;
  return settings.agentConfigs?.find((c) => agentConfigId(c) === id)?.container ?? settings.containerName;
}
