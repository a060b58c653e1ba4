import { readTextIfAny } from '../fs/read-text.js';
import { join } from 'node:path';
import type { AgentReading } from '../config/agent-needs.js';
import { scriptCode, withoutComments } from './shell-text.js';
import { errorMessage } from '../text/error-message.js';

/**
 * What each agent folder of a checkout needs to log in, read from its files rather than from a
 * table of agent names: a folder added upstream next month (or by the user) is read the same way.
 *
 * - `agents/<agent>/api_keys.json` (`allowed_api_keys`, later upstream): the keys the agent is given.
 * - Else `solve.sh`: the key its CLI reads from the environment (Claude Code `ANTHROPIC_API_KEY`,
 *   Codex `CODEX_API_KEY`, Gemini CLI `GEMINI_API_KEY`) unless the script sets that variable
 *   before the call (glm5 from `ZAI_API_KEY`, a subscription agent to ""), and every other key it
 *   reads before setting it. A key read only with a default (`${X:-}`) is optional.
 * - Either way, the auth files it logs in with: `oauth_token`, Codex's ChatGPT login
 *   (`forced_login_method`) from `auth.json`, or another file run_task.sh takes from the agent's
 *   folder that solve.sh names.
 * When in doubt the reading asks for more, never less: a missing key costs a minute at the
 * review; a run without it costs its GPU slot.
 */

/** The key each agent CLI reads from its environment, which the scripts do not name. Knowledge of the CLIs, not of PostTrainBench. */
const CLI_KEYS: Record<string, string> = { claude: 'ANTHROPIC_API_KEY', codex: 'CODEX_API_KEY', gemini: 'GEMINI_API_KEY' };

const KEY = '[A-Z][A-Z0-9_]*_API_KEY';

/** Each agent CLI a script names as a word, at its last mention (the call; `update_agent_cli.sh claude` comes before it). */
export function agentClis(commands: string): Map<string, number> {
  const clis = new Map<string, number>();
  for (const m of commands.matchAll(/(?:^|[\s|;&(/"'])(claude|codex|gemini|opencode)(?=[\s"';|&)]|$)/gm))
    if (m[1]) clis.set(m[1], (m.index ?? 0) + m[0].length - m[1].length);
  return clis;
}

/** Where a script sets or clears each key first (`export X=…`, `X=… cmd`, `--env X=…`, `unset X Y`); `X="${X}"` passes X through and sets nothing. */
function firstSets(commands: string): Map<string, number> {
  const sets = new Map<string, number>();
  const add = (name: string, at: number) => {
    if (!sets.has(name) || (sets.get(name) ?? 0) > at) sets.set(name, at);
  };
  for (const m of commands.matchAll(new RegExp(`(?:^|[\\s;&|])(?:export[ \\t]+)?(${KEY})=("[^"\\n]*"|'[^'\\n]*'|[^\\s;&|]*)`, 'gm'))) {
    const [, name = '', value = ''] = m;
    if (!new RegExp(`\\$\\{?${name}\\b`).test(value)) add(name, m.index ?? 0);
  }
  for (const m of commands.matchAll(/\bunset[ \t]+([^;&|\n]*)/g)) {
    for (const word of (m[1] ?? '').split(/[ \t]+/)) {
      const name = word.replace(/^["']|["']$/g, '');
      if (new RegExp(`^${KEY}$`).test(name)) add(name, m.index ?? 0);
    }
  }
  return sets;
}

/**
 * The keys a script needs from its environment: each read (`$X`, `${X}`, `${#X}`, `{env:X}`,
 * in a heredoc too) or CLI call that comes before the script sets the key itself. A key only
 * ever read with a default or an alternative (`${X:-}`, `${X:+…}`) is optional, not needed.
 */
function environmentKeys(solve: string): string[] {
  const { commands, withBodies } = scriptCode(solve);
  const sets = firstSets(commands);
  const needed = new Set<string>();
  const readAt = (name: string, at: number) => {
    if ((sets.get(name) ?? Infinity) > at) needed.add(name);
  };
  for (const m of withBodies.matchAll(new RegExp(`\\$\\{#?(${KEY})(:?[-+=])?|\\$(${KEY})\\b|\\{env:(${KEY})\\}`, 'g'))) {
    if (!m[2]) readAt(m[1] ?? m[3] ?? m[4] ?? '', m.index ?? 0);
  }
  for (const [cli, at] of agentClis(commands)) {
    const key = CLI_KEYS[cli];
    if (key) readAt(key, at);
  }
  return [...needed];
}

/** opencode.json's providers as solve.sh writes them: `"anthropic": {…, "options": {"apiKey": "{env:ANTHROPIC_API_KEY}"}}`. */
function providerKeys(code: string): Record<string, string> {
  const providers: Record<string, string> = {};
  for (const m of code.matchAll(new RegExp(`"([A-Za-z0-9_-]+)"\\s*:\\s*\\{[^{}]*?"options"\\s*:\\s*\\{[^{}]*?"apiKey"\\s*:\\s*"\\{env:(${KEY})\\}"`, 'g'))) {
    if (m[1] && m[2]) providers[m[1]] = m[2];
  }
  return providers;
}

/** The auth files `run_task.sh` takes from the agent's folder (`agents/${AGENT}/cursor_auth.json`), besides upstream's two. */
export function agentFolderFiles(runTask: string): string[] {
  const names = new Set(['oauth_token', 'auth.json']);
  for (const m of withoutComments(runTask).matchAll(/agents\/(?:\$\{?AGENT\}?|"\$\{?AGENT\}?")\/([A-Za-z0-9_.-]+)/g))
    if (m[1] && m[1] !== 'solve.sh') names.add(m[1]);
  return [...names];
}

/**
 * The auth files a solve.sh logs in with, in the agent's folder: those its code names, Codex's
 * ChatGPT login (`auth.json`), and a file only run_task.sh copies that the script names even in
 * a comment (upstream's newer agents say there which file they log in with).
 */
function authFilesOf(solve: string, agent: string, folderFiles: readonly string[]): string[] {
  const code = withoutComments(solve);
  const named = (text: string, file: string) => new RegExp(`(?:^|[^A-Za-z0-9_.-])${file.replace(/\./g, '\\.')}(?![A-Za-z0-9_-])`, 'm').test(text);
  return folderFiles
    .filter(
      (file) =>
        named(code, file) || (file === 'auth.json' && /forced_login_method/.test(code)) || (!['oauth_token', 'auth.json'].includes(file) && named(solve, file)),
    )
    .map((file) => `agents/${agent}/${file}`);
}

/**
 * Keys run_task.sh hands on under another name (`export CODEX_API_KEY="${OPENAI_API_KEY}"`): the
 * agent reads the first, the user stores the second. Only the first of a pair counts: upstream
 * later gives OpenAI's key back from CODEX_API_KEY for the evals OpenAI grades.
 */
export function keyAliases(runTask: string): Record<string, string> {
  const aliases: Record<string, string> = {};
  for (const m of withoutComments(runTask).matchAll(new RegExp(`(?:^|[\\s;&|])(?:export[ \\t]+)?(${KEY})=["']?\\$\\{?(${KEY})\\b`, 'gm'))) {
    const [, to, from] = m;
    if (to && from && to !== from && !(to in aliases) && aliases[from] !== to) aliases[to] = from;
  }
  return aliases;
}

/** `allowed_api_keys` of an api_keys.json, or why it cannot be read. */
export function parseAllowedKeys(text: string): { kind: 'ok'; keys: string[] } | { kind: 'bad'; message: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { kind: 'bad', message: `not JSON (${errorMessage(error)})` };
  }
  const keys = data && typeof data === 'object' ? (data as { allowed_api_keys?: unknown }).allowed_api_keys : undefined;
  if (!Array.isArray(keys) || !keys.every((k): k is string => typeof k === 'string' && /^[A-Z][A-Z0-9_]*$/.test(k)))
    return { kind: 'bad', message: 'allowed_api_keys is not a list of variable names' };
  return { kind: 'ok', keys };
}

/** What the checkout's run_task.sh says about every agent: the names it hands keys on under, the files it takes from agent folders. */
export interface RunTaskHandOn {
  aliases: Record<string, string>;
  folderFiles: string[];
}

/**
 * One agent's reading from its solve.sh (and api_keys.json when there is one); null when the
 * script says nothing ptb can read (no known CLI, key or auth file): ptb's table stands in then.
 */
export function readAgentScripts(
  agent: string,
  solve: string,
  allowed: { kind: 'ok'; keys: string[] } | null,
  handOn: RunTaskHandOn = { aliases: {}, folderFiles: ['oauth_token', 'auth.json'] },
): AgentReading | null {
  const { commands, withBodies } = scriptCode(solve);
  const opencode = agentClis(commands).has('opencode');
  const authFiles = authFilesOf(solve, agent, handOn.folderFiles);
  const providers = opencode ? { providers: providerKeys(withBodies) } : {};
  const alias = (keys: readonly string[]) => [...new Set(keys.map((k) => handOn.aliases[k] ?? k))];
  if (allowed) return { keys: alias(allowed.keys), authFiles, source: 'api_keys.json', ...providers };
  const needed = environmentKeys(solve);
  if (agentClis(commands).size === 0 && needed.length === 0 && authFiles.length === 0) return null;
  return { keys: alias(needed), authFiles, source: 'solve.sh', ...providers };
}

const read = readTextIfAny;

/** Every agent folder's reading, and the api_keys.json files that could not be read (their agents fall back on solve.sh). */
export function readAgentCredentials(root: string, agents: readonly string[]): { agents: Record<string, AgentReading>; problems: string[] } {
  const runTask = read(join(root, 'src', 'run_task.sh')) ?? '';
  const handOn = { aliases: keyAliases(runTask), folderFiles: agentFolderFiles(runTask) };
  const readings: Record<string, AgentReading> = {};
  const problems: string[] = [];
  for (const agent of agents) {
    const allowedText = read(join(root, 'agents', agent, 'api_keys.json'));
    const allowed = allowedText === null ? null : parseAllowedKeys(allowedText);
    if (allowed?.kind === 'bad') problems.push(`agents/${agent}/api_keys.json: ${allowed.message}`);
    const reading = readAgentScripts(agent, read(join(root, 'agents', agent, 'solve.sh')) ?? '', allowed?.kind === 'ok' ? allowed : null, handOn);
    if (reading) readings[agent] = reading;
  }
  return { agents: readings, problems };
}
