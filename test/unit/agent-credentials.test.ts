import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { agentFolderFiles, keyAliases, parseAllowedKeys, readAgentScripts } from '../../src/checkout/agent-credentials.js';
import { readCheckout } from '../../src/checkout/detect.js';
import { withoutComments } from '../../src/checkout/shell-text.js';
import { keyFix } from '../../src/plan/plan-checks.js';
import { agentNeeds, credentialsForRuns, silentAgents } from '../../src/config/agent-needs.js';
import { FIXTURE_CHECKOUT, FIXTURE_CHECKOUT_V11 } from '../helpers/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'ptb-agent-credentials-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CODEX = { aliases: { CODEX_API_KEY: 'OPENAI_API_KEY' }, folderFiles: ['oauth_token', 'auth.json'] };
const keysOf = (solve: string, agent = 'new_agent') => readAgentScripts(agent, `#!/bin/bash\n${solve}\n`, null, CODEX)?.keys ?? null;

describe('what an agent logs in with, read from its folder', () => {
  it.each([FIXTURE_CHECKOUT, FIXTURE_CHECKOUT_V11])('reads every upstream agent of %s as upstream runs it: each needs what it did by name', (root) => {
    const checkout = readCheckout(root);
    expect(checkout.agents).toHaveLength(16);
    expect(checkout.credentialProblems).toEqual([]);
    for (const agent of checkout.agents) {
      const reading = checkout.credentials.agents[agent];
      expect(reading, agent).toBeDefined();
      for (const configs of [[], ['anthropic/claude-sonnet-4-5'], ['zai/glm-5', 'opencode/kimi-k2']])
        expect(agentNeeds(agent, configs, reading), `${agent} ${configs.join()}`).toEqual(agentNeeds(agent, configs));
    }
    expect(checkout.credentials.agents.glm5?.keys).toEqual(['ZAI_API_KEY']);
    expect(checkout.credentials.agents.codex_non_api_xhigh).toEqual({ keys: [], authFiles: ['agents/codex_non_api_xhigh/auth.json'], source: 'solve.sh' });
    expect(checkout.credentials.agents.claude_non_api_max?.authFiles).toEqual(['agents/claude_non_api_max/oauth_token']);
  });

  it('reads a new agent folder without ptb knowing its name: its CLI, the key it is pointed at', () => {
    // Claude Code pointed at another provider's endpoint with that provider's key.
    expect(
      keysOf(
        'export ANTHROPIC_API_KEY="${MOONSHOT_API_KEY}"\nexport ANTHROPIC_BASE_URL=https://api.moonshot.ai/anthropic\nclaude --print --model "$AGENT_CONFIG"',
      ),
    ).toEqual(['MOONSHOT_API_KEY']);
    // upstream's qol agent: the key Claude Code reads, though the script never names it; a path or a continued line is still the call.
    expect(keysOf('claude --print --model "$AGENT_CONFIG"\nwhile bash timer.sh; do claude --continue -p "continue"; done')).toEqual(['ANTHROPIC_API_KEY']);
    expect(keysOf('"$HOME/.local/bin/claude" --print "$PROMPT"')).toEqual(['ANTHROPIC_API_KEY']);
    expect(keysOf('timeout 10h \\\n  gemini -y -p "$PROMPT"')).toEqual(['GEMINI_API_KEY']);
    // v1.0's older form: apptainer --env hands keys on; passing a key through itself still needs it.
    expect(keysOf('apptainer exec --env CODEX_API_KEY="${OPENAI_API_KEY}" x.sif codex exec --yolo "$PROMPT"')).toEqual(['OPENAI_API_KEY']);
    expect(keysOf('apptainer exec --env ANTHROPIC_API_KEY="${ANTHROPIC_API_KEY}" x.sif claude --print "$PROMPT"')).toEqual(['ANTHROPIC_API_KEY']);
    // Nothing ptb can read leaves the agent to ptb's table; a name in a comment is not a use.
    expect(keysOf('# claude --print uses ANTHROPIC_API_KEY\npython run_agent.py "$PROMPT"')).toBeNull();
  });

  it('asks for more, never less, where the order or a comment could mislead', () => {
    // Read, then cleared: it was needed when read.
    expect(keysOf('echo "$OPENAI_API_KEY" | codex login --with-api-key\nunset OPENAI_API_KEY CODEX_API_KEY\ncodex exec "$PROMPT"')).toEqual(['OPENAI_API_KEY']);
    expect(keysOf('claude --print "$PROMPT"\nexport ANTHROPIC_API_KEY=""')).toEqual(['ANTHROPIC_API_KEY']);
    // unset ends with its line, and clears only key names.
    expect(keysOf('unset GEMINI_API_KEY\nMOONSHOT_API_KEY="$MOONSHOT_API_KEY" claude --print')).toEqual(['MOONSHOT_API_KEY', 'ANTHROPIC_API_KEY']);
    expect(keysOf('unset A_API_KEY OTHER_VAR ANTHROPIC_API_KEY\nclaude --print')).toEqual([]);
    // A comment at the end of a line, or an assignment inside a heredoc, is not code.
    expect(keysOf('claude --print "$PROMPT"  # subscriptions set ANTHROPIC_API_KEY= instead')).toEqual(['ANTHROPIC_API_KEY']);
    expect(keysOf('claude --print "$PROMPT" # glm5 would use $ZAI_API_KEY')).toEqual(['ANTHROPIC_API_KEY']);
    expect(keysOf('cat > notes.md <<EOF\nnever print ANTHROPIC_API_KEY=... in logs\nEOF\nclaude --print')).toEqual(['ANTHROPIC_API_KEY']);
    expect(keysOf('echo "key has ${#ZAI_API_KEY} chars # not a comment"\nexport ANTHROPIC_API_KEY="$ZAI_API_KEY"\nclaude --print')).toEqual(['ZAI_API_KEY']);
    // A key read with a default is optional (upstream's ra agent searches the web only with one).
    expect(keysOf('if [ -n "${TAVILY_API_KEY:-}" ]; then echo web; fi\nclaude --print')).toEqual(['ANTHROPIC_API_KEY']);
    // A heredoc that expands reads its variables.
    expect(keysOf('cat > config.toml <<EOF\napi_key = "$KIMI_API_KEY"\nEOF\nkimi-cli run')).toEqual(['KIMI_API_KEY']);
  });

  it("reads upstream's later forms: api_keys.json, auth files named by run_task.sh, opencode's providers wherever they sit", () => {
    const root = join(dir, 'checkout');
    cpSync(FIXTURE_CHECKOUT, root, { recursive: true });
    const agent = (name: string, files: Record<string, string>) => {
      mkdirSync(join(root, 'agents', name), { recursive: true });
      for (const [file, text] of Object.entries(files)) writeFileSync(join(root, 'agents', name, file), text);
    };
    agent('mcode', { 'solve.sh': 'claude --print --model "$AGENT_CONFIG"\n', 'api_keys.json': '{"allowed_api_keys": ["MINIMAX_API_KEY"]}\n' });
    // A subscription agent that only says so: an empty allowlist, the ChatGPT login.
    agent('codex_non_api', {
      'solve.sh': 'printf \'\\nforced_login_method = "chatgpt"\\n\' >> ~/.codex/config.toml\ncodex --search exec --json "$PROMPT"\n',
      'api_keys.json': '{"allowed_api_keys": []}\n',
    });
    agent('cursor_cli', {
      'solve.sh': '# Logs in with cursor_auth.json, which run_task.sh copies in.\ncursor-agent -p "$PROMPT"\n',
      'api_keys.json': '{"allowed_api_keys": []}',
    });
    agent('gemini', { 'api_keys.json': '{"allowed_api_keys": "GEMINI_API_KEY"}' });
    agent('opencode', {
      'solve.sh':
        'cat > opencode.json <<\'EOF\'\n{"provider": {"moonshot": {"npm": "@ai-sdk/openai-compatible", "options": {"baseURL": "https://api.moonshot.ai/v1", "apiKey": "{env:MOONSHOT_API_KEY}"}}}}\nEOF\nopencode run --model "$AGENT_CONFIG"\n',
    });
    const runTask = join(root, 'src', 'run_task.sh');
    writeFileSync(
      runTask,
      `${readFileSync(runTask, 'utf8')}\n[ -f "agents/\${AGENT}/cursor_auth.json" ] && cp "agents/\${AGENT}/cursor_auth.json" "$JOB_DIR/"\n`,
    );
    const checkout = readCheckout(root);
    expect(checkout.credentials.agents.mcode).toEqual({ keys: ['MINIMAX_API_KEY'], authFiles: [], source: 'api_keys.json' });
    expect(checkout.credentials.agents.codex_non_api).toEqual({ keys: [], authFiles: ['agents/codex_non_api/auth.json'], source: 'api_keys.json' });
    expect(checkout.credentials.agents.cursor_cli).toEqual({ keys: [], authFiles: ['agents/cursor_cli/cursor_auth.json'], source: 'api_keys.json' });
    expect(checkout.credentialProblems).toEqual(['agents/gemini/api_keys.json: allowed_api_keys is not a list of variable names']);
    expect(checkout.credentials.agents.gemini).toEqual({ keys: ['GEMINI_API_KEY'], authFiles: [], source: 'solve.sh' });
    expect(credentialsForRuns([{ agent: 'mcode', config: 'MiniMax-M2', eval: 'gsm8k' }], checkout.credentials).keys).toEqual([
      'OPENAI_API_KEY',
      'MINIMAX_API_KEY',
    ]);
    expect(parseAllowedKeys('{')).toMatchObject({ kind: 'bad', message: expect.stringContaining('not JSON') });
    // opencode: the configuration's provider picks among the keys its opencode.json reads; one it does not name asks for them all.
    const opencode = checkout.credentials.agents.opencode;
    expect(agentNeeds('opencode', ['moonshot/kimi-k2'], opencode).keys).toEqual(['MOONSHOT_API_KEY']);
    expect(agentNeeds('opencode', ['zai/glm-5'], opencode).keys).toEqual(['ZAI_API_KEY']);
    expect(agentNeeds('opencode', ['somewhere/model'], opencode).keys).toEqual(['MOONSHOT_API_KEY']);
  });

  it('follows run_task.sh handing a key on under the name the CLI reads, the first way only, outside comments', () => {
    expect(keyAliases(readFileSync(join(FIXTURE_CHECKOUT_V11, 'src', 'run_task.sh'), 'utf8'))).toEqual(CODEX.aliases);
    expect(
      keyAliases(
        'export CODEX_API_KEY="${OPENAI_API_KEY}"\nunset OPENAI_API_KEY\nif [ "$EVAL" = healthbench ]; then export OPENAI_API_KEY="${CODEX_API_KEY}"; fi\n',
      ),
    ).toEqual(CODEX.aliases);
    expect(keyAliases('export FOO=1 # was: CODEX_API_KEY=$OPENAI_API_KEY\n# export GEMINI_API_KEY="${X_API_KEY}"\n')).toEqual({});
    expect(agentFolderFiles('cp "agents/${AGENT}/grok_auth.json" "$JOB_DIR"\n# agents/$AGENT/old_token\n')).toEqual([
      'oauth_token',
      'auth.json',
      'grok_auth.json',
    ]);
    expect(withoutComments('echo \'a # b\' "c # d" e#f $# ${#X} # gone\n')).toBe(`echo 'a # b' "c # d" e#f $# \${#X} ${' '.repeat(6)}\n`);
  });

  it('tells where a key goes: the wizard for those it asks, the secrets file by hand for a newer name', () => {
    expect(keyFix(['ANTHROPIC_API_KEY', 'MINIMAX_API_KEY'], '/home/me/.config/ptb-slurm/secrets.env')).toBe(
      'Type them in `ptb setup` (step 5); add MINIMAX_API_KEY=... to /home/me/.config/ptb-slurm/secrets.env by hand (a line each; ptb setup asks only for the keys it knows, and keeps these)',
    );
    expect(keyFix(['GEMINI_API_KEY'], '/s')).toBe('Type them in `ptb setup` (step 5)');
  });

  it('names the agents ptb cannot tell anything about, so that they are not submitted as if they needed nothing', () => {
    const credentials = { everyRun: { keys: [], authFiles: [] }, agents: { local_model: { keys: [], authFiles: [], source: 'api_keys.json' as const } } };
    expect(silentAgents(['claude', 'my_agent', 'local_model'], credentials)).toEqual(['my_agent', 'local_model']);
  });
});
