import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { keyAliases, parseAllowedKeys, readAgentScripts } from '../../src/checkout/agent-credentials.js';
import { readCheckout } from '../../src/checkout/detect.js';
import { agentNeeds, credentialsForRuns } from '../../src/config/agent-needs.js';
import { FIXTURE_CHECKOUT, FIXTURE_CHECKOUT_V11 } from '../helpers/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'ptb-agent-credentials-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CODEX_ALIAS = { CODEX_API_KEY: 'OPENAI_API_KEY' };
const script = (body: string) => `#!/bin/bash\n${body}\n`;

describe("what an agent logs in with, read from its folder", () => {
  it.each([FIXTURE_CHECKOUT, FIXTURE_CHECKOUT_V11])("reads every upstream agent of %s as upstream runs it: each needs what it did by name", (root) => {
    const checkout = readCheckout(root);
    expect(checkout.agents).toHaveLength(16);
    expect(checkout.credentialProblems).toEqual([]);
    for (const agent of checkout.agents) {
      const reading = checkout.credentials.agents[agent];
      expect(reading, agent).toBeDefined();
      for (const configs of [[], ['anthropic/claude-sonnet-4-5'], ['zai/glm-5', 'opencode/kimi-k2']]) expect(agentNeeds(agent, configs, reading), `${agent} ${configs.join()}`).toEqual(agentNeeds(agent, configs));
    }
    expect(checkout.credentials.agents.glm5?.keys).toEqual(['ZAI_API_KEY']);
    expect(checkout.credentials.agents.codex_non_api_xhigh).toEqual({ keys: [], authFiles: ['agents/codex_non_api_xhigh/auth.json'], source: 'solve.sh' });
    expect(checkout.credentials.agents.claude_non_api_max?.authFiles).toEqual(['agents/claude_non_api_max/oauth_token']);
  });

  it('reads a new agent folder without ptb knowing its name: its CLI, the key it is pointed at, its auth file', () => {
    // Claude Code pointed at another provider's endpoint with that provider's key.
    expect(readAgentScripts('kimi', script('export ANTHROPIC_API_KEY="${MOONSHOT_API_KEY}"\nexport ANTHROPIC_BASE_URL=https://api.moonshot.ai/anthropic\nclaude --print --model "$AGENT_CONFIG"'), null, {})).toEqual({ keys: ['MOONSHOT_API_KEY'], authFiles: [], source: 'solve.sh' });
    // upstream's qol agent: the key Claude Code reads, though the script never names it.
    expect(readAgentScripts('claude_reprompt', script('claude --print --model "$AGENT_CONFIG"\nwhile bash timer.sh; do claude --continue -p "continue"; done'), null, {})?.keys).toEqual(['ANTHROPIC_API_KEY']);
    // v1.0's older form: apptainer --env hands keys on; passing a key through itself still needs it.
    expect(readAgentScripts('codex', script('apptainer exec --env CODEX_API_KEY="${OPENAI_API_KEY}" x.sif codex exec --yolo "$PROMPT"'), null, CODEX_ALIAS)?.keys).toEqual(['OPENAI_API_KEY']);
    expect(readAgentScripts('claude', script('apptainer exec --env ANTHROPIC_API_KEY="${ANTHROPIC_API_KEY}" x.sif claude --print "$PROMPT"'), null, {})?.keys).toEqual(['ANTHROPIC_API_KEY']);
    // A name in a comment is not a use; a script with nothing ptb can read leaves the agent to ptb's table.
    expect(readAgentScripts('local', script('# claude --print uses ANTHROPIC_API_KEY\npython run_agent.py "$PROMPT"'), null, {})).toBeNull();
  });

  it('takes the keys an api_keys.json allows, the providers of opencode.json, and says which file it could not read', () => {
    const root = join(dir, 'checkout');
    cpSync(FIXTURE_CHECKOUT, root, { recursive: true });
    mkdirSync(join(root, 'agents', 'mcode'));
    writeFileSync(join(root, 'agents', 'mcode', 'solve.sh'), script('claude --print --model "$AGENT_CONFIG"'));
    writeFileSync(join(root, 'agents', 'mcode', 'api_keys.json'), '{"allowed_api_keys": ["MINIMAX_API_KEY"]}\n');
    writeFileSync(join(root, 'agents', 'gemini', 'api_keys.json'), '{"allowed_api_keys": "GEMINI_API_KEY"}');
    const checkout = readCheckout(root);
    expect(checkout.credentials.agents.mcode).toEqual({ keys: ['MINIMAX_API_KEY'], authFiles: [], source: 'api_keys.json' });
    expect(checkout.credentialProblems).toEqual(['agents/gemini/api_keys.json: allowed_api_keys is not a list of variable names']);
    expect(checkout.credentials.agents.gemini).toEqual({ keys: ['GEMINI_API_KEY'], authFiles: [], source: 'solve.sh' });
    expect(credentialsForRuns([{ agent: 'mcode', config: 'MiniMax-M2', eval: 'gsm8k' }], checkout.credentials).keys).toEqual(['OPENAI_API_KEY', 'MINIMAX_API_KEY']);
    expect(parseAllowedKeys('{')).toMatchObject({ kind: 'bad', message: expect.stringContaining('not JSON') });
    // opencode: the configuration's provider picks among the keys its opencode.json reads.
    const opencode = checkout.credentials.agents.opencode;
    expect(opencode?.providers).toEqual({ anthropic: 'ANTHROPIC_API_KEY', openai: 'OPENAI_API_KEY', opencode: 'OPENCODE_API_KEY', zai: 'ZAI_API_KEY' });
    expect(agentNeeds('opencode', ['zai/glm-5'], opencode).keys).toEqual(['ZAI_API_KEY']);
  });

  it("follows run_task.sh handing a key on under the name the CLI reads, outside comments", () => {
    expect(keyAliases('# export GEMINI_API_KEY="${X_API_KEY}"\nexport CODEX_API_KEY="${OPENAI_API_KEY:-}"\nunset OPENAI_API_KEY\n')).toEqual(CODEX_ALIAS);
    expect(keyAliases('CODEX_API_KEY=$OPENAI_API_KEY\n')).toEqual(CODEX_ALIAS);
  });
});
