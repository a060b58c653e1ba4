import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { agentNeeds, neededCredentials } from '../../src/config/agent-needs.js';
import { configLocations, type ConfigLocations } from '../../src/config/locations.js';
import type { Config } from '../../src/config/schema.js';
import { checkSecretValue, maskSecret, readSecrets, writeSecrets } from '../../src/config/secrets.js';
import { describeWriteError } from '../../src/fs/fs-error.js';
import { configFileReader, describeInvalidConfig, loadConfigFile, saveConfig } from '../../src/config/config-file.js';
import { saveSetup } from '../../src/setup/save-setup.js';

let root: string;
let where: ConfigLocations;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'ptb-config-'));
  where = configLocations({ XDG_CONFIG_HOME: root, HOME: '/nonexistent' });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const config: Config = {
  version: 1,
  checkout: '/work/PostTrainBench',
  hfHome: '/shared/hf',
  resultsDir: '/shared/results',
  containersDir: '/shared/containers',
  containerName: 'standard',
  experimentName: '_slurm_run1',
  hours: 10,
  agents: ['claude', 'codex'],
  slurm: {
    partition: 'gpu',
    gres: 'gpu:h100:1',
    constraint: 'h100',
    account: '',
    qos: '',
    cpusPerTask: 16,
    mem: '128G',
    time: '12:00:00',
    tmp: '400G',
    home: '/home/me',
    scratch: 'tmp',
  },
};

describe('where the configuration lives', () => {
  it('follows XDG_CONFIG_HOME, else ~/.config, and ignores a relative XDG_CONFIG_HOME', () => {
    expect(configLocations({ XDG_CONFIG_HOME: '/x', HOME: '/home/me' }).config).toBe('/x/ptb-slurm/config.json');
    expect(configLocations({ HOME: '/home/me' }).secrets).toBe('/home/me/.config/ptb-slurm/secrets.env');
    expect(configLocations({ XDG_CONFIG_HOME: 'rel', HOME: '/home/me' }).dir).toBe('/home/me/.config/ptb-slurm');
  });
});

describe('loading and saving', () => {
  it('round-trips a configuration and keeps the previous one as backup', () => {
    expect(loadConfigFile(where.config)).toEqual({ kind: 'missing', file: where.config });
    saveConfig(where, config);
    expect(loadConfigFile(where.config)).toEqual({ kind: 'ok', file: where.config, config });
    saveConfig(where, { ...config, hours: 5 });
    expect(loadConfigFile(where.backup)).toMatchObject({ kind: 'ok', config: { hours: 10 } });
    expect(loadConfigFile(where.config)).toMatchObject({ kind: 'ok', config: { hours: 5 } });
  });

  it('reads the file again only when it changed, for the TUI that asks at every look', () => {
    const read = configFileReader(where.config);
    saveConfig(where, config);
    const first = read();
    // The same file: the same answer, not read and validated again.
    expect(read()).toBe(first);
    saveConfig(where, { ...config, hours: 7 });
    expect(read()).toMatchObject({ kind: 'ok', config: { hours: 7 } });
    rmSync(where.config);
    expect(read()).toEqual({ kind: 'missing', file: where.config });
  });

  it('names the line of a truncated file, and leaves the file as it is', () => {
    saveConfig(where, config);
    const text = readFileSync(where.config, 'utf8');
    const truncated = text.slice(0, text.indexOf('"slurm"') + 12);
    writeFileSync(where.config, truncated);
    const loaded = loadConfigFile(where.config);
    expect(loaded.kind).toBe('invalid');
    if (loaded.kind !== 'invalid') return;
    expect(loaded.problems[0]?.where).toMatch(/^line \d+/);
    expect(describeInvalidConfig(loaded)).toContain(where.config);
    expect(readFileSync(where.config, 'utf8')).toBe(truncated);
  });

  it('names the field of a wrong type, a bad value, an unknown key and a missing one', () => {
    const broken = { ...config, hours: '10', experimentName: 'run 1', extra: true, slurm: { ...config.slurm, time: '-5', partition: undefined } };
    mkdirSync(where.dir, { recursive: true });
    writeFileSync(where.config, JSON.stringify(broken));
    const loaded = loadConfigFile(where.config);
    expect(loaded.kind).toBe('invalid');
    const problems = loaded.kind === 'invalid' ? Object.fromEntries(loaded.problems.map((p) => [p.where, p.message])) : {};
    expect(problems.hours).toMatch(/expected number/);
    expect(problems.experimentName).toMatch(/whitespace/);
    expect(problems.extra).toMatch(/not a known setting/);
    expect(problems['slurm.time']).toMatch(/not a Slurm time limit/);
    expect(problems['slurm.partition']).toMatch(/missing/);
  });

  it('keeps the hand-edited images, agent configurations and throttles when the wizard saves, and checks them', () => {
    const extended: Config = {
      ...config,
      containers: { 'claude/claude-opus-4-6': 'standard' },
      agentConfigs: [{ agent: 'claude', config: 'claude-opus-9[1m]' }],
      throttle: { gemini: 4 },
    };
    saveConfig(where, extended);
    expect(saveSetup(where, { ...config, hours: 5 }, {})).toEqual({ ok: true, keysStored: [], dotEnvWritten: null });
    expect(loadConfigFile(where.config)).toEqual({ kind: 'ok', file: where.config, config: { ...extended, hours: 5 } });
    mkdirSync(where.dir, { recursive: true });
    writeFileSync(where.config, JSON.stringify({ ...extended, agentConfigs: [{ agent: 'claude', config: 'a|b' }], throttle: { gemini: -1 } }));
    const loaded = loadConfigFile(where.config);
    const problems = loaded.kind === 'invalid' ? Object.fromEntries(loaded.problems.map((p) => [p.where, p.message])) : {};
    expect(problems['agentConfigs.0.config']).toMatch(/must not contain spaces or \|/);
    expect(problems['throttle.gemini']).toMatch(/at least 0/);
  });

  it('refuses to save an invalid configuration, leaving the old file', () => {
    saveConfig(where, config);
    expect(() => saveConfig(where, { ...config, resultsDir: 'results' })).toThrow(/resultsDir: must be an absolute path/);
    expect(loadConfigFile(where.config)).toMatchObject({ kind: 'ok', config: { resultsDir: '/shared/results' } });
  });
});

describe('the secrets file', () => {
  it('is written 0600 in a 0700 folder and read back', () => {
    writeSecrets(where.secrets, { ANTHROPIC_API_KEY: 'sk-ant-api03-0123456789abcdef', OPENAI_API_KEY: '' });
    expect(statSync(where.secrets).mode & 0o777).toBe(0o600);
    expect(statSync(where.dir).mode & 0o777).toBe(0o700);
    expect(readSecrets(where.secrets)).toEqual({ kind: 'ok', file: where.secrets, values: { ANTHROPIC_API_KEY: 'sk-ant-api03-0123456789abcdef' } });
  });

  it('is refused when others can read it, with the chmod fix', () => {
    writeSecrets(where.secrets, { OPENAI_API_KEY: 'sk-proj-0123456789abcdef' });
    chmodSync(where.secrets, 0o644);
    const read = readSecrets(where.secrets);
    expect(read).toMatchObject({ kind: 'insecure', mode: 0o644 });
    expect(read.kind === 'insecure' && read.message).toContain(`chmod 600 ${where.secrets}`);
    expect(JSON.stringify(read)).not.toContain('sk-proj-0123456789abcdef');
  });

  it('says which folder could not be written and why, never a temporary file name', () => {
    // Where the config folder should be, a file: a real failure, even for root.
    writeFileSync(join(root, 'ptb-slurm'), '');
    const saved = saveSetup(where, config, { ANTHROPIC_API_KEY: 'sk-ant-api03-0123456789abcdef' });
    expect(saved).toEqual({
      ok: false,
      message: expect.stringMatching(
        /^could not save: cannot create the folder .*\/ptb-slurm: a file is in the way\. Fix its permissions, or set XDG_CONFIG_HOME to a folder you can write\.$/,
      ),
    });
    // A read-only folder, as Node reports it to a user who may not write there (root always may).
    const denied = Object.assign(new Error("EACCES: permission denied, open '/home/me/.config/ptb-slurm/.secrets.env.4242.ab12cd34.tmp'"), {
      code: 'EACCES',
      syscall: 'open',
      path: '/home/me/.config/ptb-slurm/.secrets.env.4242.ab12cd34.tmp',
    });
    expect(describeWriteError(denied)).toBe('cannot write in /home/me/.config/ptb-slurm: permission denied');
    expect(checkSecretValue("it's")).toContain('no spaces, quotes');
  });

  it('shows at most the last 4 characters of a key', () => {
    expect(maskSecret('sk-ant-api03-0123456789abcdef')).toBe('****cdef');
    expect(maskSecret('short-key')).toBe('****');
  });
});

describe('what agents need', () => {
  it('maps agents to their keys, the judge key always included', () => {
    expect(neededCredentials(['claude'])).toEqual({ keys: ['ANTHROPIC_API_KEY', 'OPENAI_API_KEY'], authFiles: [] });
    expect(neededCredentials(['gemini', 'glm5', 'qwen3max']).keys).toEqual(['OPENAI_API_KEY', 'GEMINI_API_KEY', 'ZAI_API_KEY', 'DASHSCOPE_API_KEY']);
    expect(agentNeeds('opencode', ['zai/glm-5', 'opencode/kimi-k2.5']).keys).toEqual(['ZAI_API_KEY', 'OPENCODE_API_KEY']);
    expect(neededCredentials(['codex_non_api_high', 'claude_non_api'])).toEqual({
      keys: ['OPENAI_API_KEY'],
      authFiles: ['agents/codex_non_api_high/auth.json', 'agents/claude_non_api/oauth_token'],
    });
  });
});
