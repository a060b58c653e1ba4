import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BASE_MODELS } from '../../src/catalog/models.js';
import { configLocations, type ConfigLocations } from '../../src/config/locations.js';
import type { Config } from '../../src/config/schema.js';
import { writeSecrets } from '../../src/config/secrets.js';
import { readResources, scanCache } from '../../src/preflight/hf-cache.js';
import { checkCheckout, checkContainers, checkCredentials, checkHfCache, checkResultsDir } from '../../src/preflight/login-checks.js';
import { withTimeout } from '../../src/preflight/check-result.js';
import { addDataset, addModel } from '../helpers/hf-cache-builder.js';
import { FIXTURE_CHECKOUT, FIXTURE_CHECKOUT_V11 } from '../helpers/paths.js';

let root: string;
let config: Config;
let where: ConfigLocations;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'ptb-preflight-'));
  for (const d of ['hf', 'containers', 'results']) mkdirSync(join(root, d));
  where = configLocations({ XDG_CONFIG_HOME: join(root, 'config'), HOME: root });
  config = {
    version: 1,
    checkout: FIXTURE_CHECKOUT,
    hfHome: join(root, 'hf'),
    resultsDir: join(root, 'results'),
    containersDir: join(root, 'containers'),
    containerName: 'standard',
    experimentName: '_t',
    hours: 1,
    agents: ['claude'],
    slurm: {
      partition: 'gpu',
      gres: 'gpu:1',
      constraint: '',
      account: '',
      qos: '',
      cpusPerTask: 16,
      mem: '128G',
      time: '3:00:00',
      tmp: '',
      home: root,
      scratch: 'tmp',
    },
  };
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const resources = () => readResources(join(FIXTURE_CHECKOUT, 'containers/download_hf_cache/resources.json'));

describe('the HF cache check', () => {
  it('fails on missing base models, names them, and gives the download command', () => {
    const result = checkHfCache(config);
    expect(result.status).toBe('fail');
    for (const m of BASE_MODELS) expect(result.finding).toContain(m);
    expect(result.fix).toContain('download_hf_cache.sh');
    expect(result.finding).toMatch(/14\/14 models and 381\/381 datasets missing/);
  });

  it('accepts complete snapshots (single file or every shard), and warns for the rest', () => {
    for (const m of BASE_MODELS) addModel(config.hfHome, m, { weights: m.startsWith('Qwen') ? 'sharded' : 'single' });
    const result = checkHfCache(config);
    expect(result.status).toBe('warn');
    expect(result.finding).toMatch(/^10\/14 models and 381\/381 datasets missing$/);
  });

  it('treats a snapshot without weights or with a missing shard as incomplete', () => {
    addModel(config.hfHome, 'Qwen/Qwen3-4B-Base', { weights: 'missing-shard' });
    addModel(config.hfHome, 'Qwen/Qwen3-1.7B-Base', { weights: 'none' });
    const scan = scanCache(config.hfHome, resources());
    expect(scan.incompleteModels).toEqual(['Qwen/Qwen3-1.7B-Base', 'Qwen/Qwen3-4B-Base']);
  });

  it('passes a full cache, the dataset without an org included', () => {
    const r = resources();
    expect(r.datasets).toContain('head_qa');
    for (const m of r.models) addModel(config.hfHome, m);
    for (const d of r.datasets) addDataset(config.hfHome, d);
    expect(checkHfCache(config)).toMatchObject({ status: 'pass', finding: 'all 14 models and 381 datasets present' });
  });
});

describe('the other login-node checks', () => {
  it('checks the checkout and the agents the config names', () => {
    expect(checkCheckout(config).status).toBe('pass');
    expect(checkCheckout({ ...config, agents: ['claude', 'cursor'] })).toMatchObject({ status: 'fail', finding: 'agents not in the checkout: cursor' });
    expect(checkCheckout({ ...config, checkout: root }).status).toBe('fail');
  });

  it('needs both images, readable, and shows their size', () => {
    expect(checkContainers(config)).toMatchObject({ status: 'fail', finding: expect.stringContaining('standard.sif is missing') });
    writeFileSync(join(config.containersDir, 'standard.sif'), 'x'.repeat(2048));
    writeFileSync(join(config.containersDir, 'vllm_debug.sif'), 'x');
    expect(checkContainers(config)).toMatchObject({ status: 'pass', finding: 'standard.sif 2.0 KB, vllm_debug.sif 1 B' });
    // A v1.1 checkout's run_task.sh names its judges' image too.
    expect(checkContainers({ ...config, checkout: FIXTURE_CHECKOUT_V11 })).toMatchObject({
      status: 'fail',
      finding: `${join(config.containersDir, 'gpt_5_5.sif')} is missing`,
    });
  });

  it('checks that the results folder is writable', () => {
    expect(['pass', 'warn']).toContain(checkResultsDir(config).status);
    chmodSync(config.resultsDir, 0o500);
    const readOnly = checkResultsDir({ ...config, resultsDir: join(config.resultsDir, 'sub') });
    chmodSync(config.resultsDir, 0o700);
    // root ignores permissions; elsewhere the folder cannot be created.
    expect(process.getuid?.() === 0 ? ['pass', 'warn'] : ['fail']).toContain(readOnly.status);
  });

  it("checks that ptb's own folder beside the results one can be written too", () => {
    const results = join(config.resultsDir, 'beside');
    // A file where the folder should be: refused even for root.
    mkdirSync(results, { recursive: true });
    writeFileSync(`${results}.ptb-slurm`, 'not a folder');
    expect(checkResultsDir({ ...config, resultsDir: results })).toMatchObject({
      status: 'fail',
      finding: expect.stringContaining(`${results}.ptb-slurm (ptb's scripts and Slurm logs, beside the results folder) cannot be written`),
      fix: expect.stringContaining(`Make ${config.resultsDir} writable`),
    });
  });

  it('needs the keys of the agents and the judge, and the subscription auth files', () => {
    expect(checkCredentials(config, where)).toMatchObject({ status: 'fail', finding: 'ANTHROPIC_API_KEY not stored, OPENAI_API_KEY not stored' });
    writeSecrets(where.secrets, { ANTHROPIC_API_KEY: 'sk-ant-0123456789abcdef', OPENAI_API_KEY: 'sk-proj-0123456789abcdef' });
    expect(checkCredentials(config, where).status).toBe('pass');
    // An agent neither its folder nor ptb's table says anything about: said, not taken to need nothing.
    expect(checkCredentials({ ...config, agents: ['claude', 'my_local_agent'] }, where)).toMatchObject({
      status: 'warn',
      finding: expect.stringContaining('nothing found that my_local_agent log(s) in with'),
    });
    expect(checkCredentials({ ...config, agents: ['claude_non_api'] }, where)).toMatchObject({
      status: 'fail',
      finding: 'agents/claude_non_api/oauth_token missing',
    });
    chmodSync(where.secrets, 0o640);
    expect(checkCredentials(config, where)).toMatchObject({ status: 'fail', fix: expect.stringContaining('chmod 600') });
  });

  it('turns a hanging check into a failure with the time it was given', async () => {
    const base = { id: 'slow', title: 'slow', where: 'login' as const };
    const result = await withTimeout(base, 100, () => new Promise(() => undefined));
    expect(result).toMatchObject({ status: 'fail', finding: 'timed out after 0.1 s' });
  });
});
