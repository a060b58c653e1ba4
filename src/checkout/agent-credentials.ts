import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentReading } from '../config/agent-needs.js';
import { withoutComments } from './generation.js';

/**
 * What each agent folder of a checkout needs to log in, read from its files rather than from a
 * table of agent names: a folder added upstream next month (or by the user) is read the same way.
 *
 * - `agents/<agent>/api_keys.json` (`allowed_api_keys`, later upstream): the keys the agent is given.
 * - Else `solve.sh`: the key its CLI reads from the environment (Claude Code `ANTHROPIC_API_KEY`,
 *   Codex `CODEX_API_KEY`, Gemini CLI `GEMINI_API_KEY`), unless the script sets that variable
 *   itself (glm5 from `ZAI_API_KEY`, a subscription agent to ""), and every other key it reads.
 * - Either way, the auth files `solve.sh` logs in with: `oauth_token`, or Codex's ChatGPT login
 *   (`forced_login_method`) from `auth.json`, which run_task.sh takes from the agent's folder.
 */

/** The key each agent CLI reads from its environment, which the scripts do not name. Knowledge of the CLIs, not of PostTrainBench. */
const CLI_KEYS: Record<string, string> = { claude: 'ANTHROPIC_API_KEY', codex: 'CODEX_API_KEY', gemini: 'GEMINI_API_KEY' };

const KEY = '[A-Z][A-Z0-9_]*_API_KEY';

/** The CLI a solve.sh runs: the first of the known ones in a command's place with its arguments (`claude --print`, `codex exec`, `opencode run`). */
export function agentCli(code: string): string | null {
  const m = /(?:^|[\s|;&(])(claude|codex|gemini|opencode)\s+(?:--|-p\b|exec\b|run\b)/m.exec(code);
  return m?.[1] ?? null;
}

/**
 * The keys a script takes from its environment: those it reads (`$X`, `${X}`, `${#X}`, opencode's
 * `{env:X}`) and does not set itself first. An assignment from the same variable
 * (`--env X="${X}"`) passes it through, so X is still needed.
 */
function environmentKeys(code: string, cli: string | null): { needed: string[]; produced: Set<string> } {
  const produced = new Set<string>();
  for (const m of code.matchAll(new RegExp(`(?:^|[\\s;&|])(?:export\\s+)?(${KEY})=("[^"\\n]*"|'[^'\\n]*'|[^\\s;&|]*)`, 'gm'))) {
    const [, name = '', value = ''] = m;
    if (!new RegExp(`\\$\\{?${name}\\b`).test(value)) produced.add(name);
  }
  for (const m of code.matchAll(new RegExp(`\\bunset\\s+((?:${KEY}\\s*)+)`, 'g'))) for (const name of (m[1] ?? '').trim().split(/\s+/)) produced.add(name);
  const read = new Set<string>();
  for (const m of code.matchAll(new RegExp(`\\$\\{?#?(${KEY})\\b|\\{env:(${KEY})\\}`, 'g'))) read.add(m[1] ?? m[2] ?? '');
  const cliKey = cli ? CLI_KEYS[cli] : undefined;
  if (cliKey) read.add(cliKey);
  return { needed: [...read].filter((k) => k && !produced.has(k)), produced };
}

/** opencode.json's providers as solve.sh writes them: `"anthropic": {"options": {"apiKey": "{env:ANTHROPIC_API_KEY}"}}`. */
function providerKeys(code: string): Record<string, string> {
  const providers: Record<string, string> = {};
  for (const m of code.matchAll(new RegExp(`"([A-Za-z0-9_-]+)"\\s*:\\s*\\{\\s*"options"\\s*:\\s*\\{[^{}]*?"apiKey"\\s*:\\s*"\\{env:(${KEY})\\}"`, 'g'))) {
    if (m[1] && m[2]) providers[m[1]] = m[2];
  }
  return providers;
}

/** The auth files a solve.sh logs in with, in the agent's folder (run_task.sh takes them from there). */
function authFilesOf(code: string, agent: string): string[] {
  const files: string[] = [];
  if (/\boauth_token\b/.test(code)) files.push(`agents/${agent}/oauth_token`);
  if (/\bauth\.json\b|forced_login_method/.test(code)) files.push(`agents/${agent}/auth.json`);
  return files;
}

/**
 * Keys run_task.sh hands on under another name (`export CODEX_API_KEY="${OPENAI_API_KEY}"`): the
 * agent reads the first, the user stores the second.
 */
export function keyAliases(runTask: string): Record<string, string> {
  const aliases: Record<string, string> = {};
  for (const m of withoutComments(runTask).matchAll(new RegExp(`(?:^|[\\s;&|])(?:export\\s+)?(${KEY})=["']?\\$\\{?(${KEY})\\b`, 'gm'))) {
    if (m[1] && m[2] && m[1] !== m[2]) aliases[m[1]] = m[2];
  }
  return aliases;
}

/** `allowed_api_keys` of an api_keys.json, or why it cannot be read. */
export function parseAllowedKeys(text: string): { kind: 'ok'; keys: string[] } | { kind: 'bad'; message: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { kind: 'bad', message: `not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  const keys = data && typeof data === 'object' ? (data as { allowed_api_keys?: unknown }).allowed_api_keys : undefined;
  if (!Array.isArray(keys) || !keys.every((k): k is string => typeof k === 'string' && /^[A-Z][A-Z0-9_]*$/.test(k))) return { kind: 'bad', message: 'allowed_api_keys is not a list of variable names' };
  return { kind: 'ok', keys };
}

/**
 * One agent's reading from its solve.sh (and api_keys.json when there is one); null when the
 * script says nothing ptb can read (no known CLI, key or auth file): ptb's table stands in then.
 */
export function readAgentScripts(agent: string, solve: string, allowed: { kind: 'ok'; keys: string[] } | null, aliases: Record<string, string>): AgentReading | null {
  const code = withoutComments(solve);
  const cli = agentCli(code);
  const authFiles = authFilesOf(code, agent);
  const providers = cli === 'opencode' ? providerKeys(code) : {};
  const alias = (keys: readonly string[]) => [...new Set(keys.map((k) => aliases[k] ?? k))];
  if (allowed) return { keys: alias(allowed.keys), authFiles, source: 'api_keys.json', ...(cli === 'opencode' ? { providers } : {}) };
  const { needed } = environmentKeys(code, cli);
  if (!cli && needed.length === 0 && authFiles.length === 0) return null;
  return { keys: alias(needed), authFiles, source: 'solve.sh', ...(cli === 'opencode' ? { providers } : {}) };
}

const read = (file: string): string | null => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
};

/** Every agent folder's reading, and the api_keys.json files that could not be read (their agents fall back on solve.sh). */
export function readAgentCredentials(root: string, agents: readonly string[]): { agents: Record<string, AgentReading>; problems: string[] } {
  const aliases = keyAliases(read(join(root, 'src', 'run_task.sh')) ?? '');
  const readings: Record<string, AgentReading> = {};
  const problems: string[] = [];
  for (const agent of agents) {
    const allowedText = read(join(root, 'agents', agent, 'api_keys.json'));
    const allowed = allowedText === null ? null : parseAllowedKeys(allowedText);
    if (allowed?.kind === 'bad') problems.push(`agents/${agent}/api_keys.json: ${allowed.message}`);
    const reading = readAgentScripts(agent, read(join(root, 'agents', agent, 'solve.sh')) ?? '', allowed?.kind === 'ok' ? allowed : null, aliases);
    if (reading) readings[agent] = reading;
  }
  return { agents: readings, problems };
}
