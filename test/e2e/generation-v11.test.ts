import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testSlurm } from '../helpers/cluster.js';
import { FIXTURE_CHECKOUT_V11 } from '../helpers/paths.js';
import { ptbHome } from '../helpers/ptb-home.js';
import { waitFor } from '../helpers/wait.js';

/**
 * A checkout of upstream's current generation (v1.1): it stops every job without a `.env`, and
 * its judges need codex_non_api's auth file and an opencode key on every run, after the agent has
 * spent its budget. ptb blocks such a plan with the fixes, writes the `.env` (no key), and then a
 * run goes through the fixture's set_env_vars step and its judges.
 */

const slurm = testSlurm();
const home = ptbHome();
const checkout = join(home.root, 'PostTrainBench-v1.1');
const EXPERIMENT = `_v11${process.pid}`;
const KEYS = { ANTHROPIC_API_KEY: 'sk-ant-e2e-v11-key-0001', OPENAI_API_KEY: 'sk-proj-e2e-v11-key-0002' };
const plan = join(home.root, 'plan.yaml');
const dotEnv = join(checkout, '.env');

const setup = (env: Record<string, string>) =>
  home.ptb(
    [
      '--checkout',
      checkout,
      'setup',
      '--non-interactive',
      '--hf-home',
      home.hfHome,
      '--containers-dir',
      home.containersDir,
      '--results-dir',
      home.resultsDir,
      '--experiment',
      EXPERIMENT,
      '--cpus',
      '1',
      '--mem',
      '1G',
      '--time',
      '0:10:00',
      '--tmp',
      '',
      '--hours',
      '1',
    ],
    env,
  );

beforeAll(() => {
  cpSync(FIXTURE_CHECKOUT_V11, checkout, { recursive: true });
  for (const image of ['standard', 'vllm_debug', 'gpt_5_5']) writeFileSync(join(home.containersDir, `${image}.sif`), '');
  writeFileSync(plan, 'models: [Qwen/Qwen3-1.7B-Base]\nevals: [gsm8k]\nagentConfigs: [claude/claude-sonnet-4-5]\nhours: [1]\n');
});
afterAll(async () => {
  await slurm.cleanup();
  home.remove();
});

describe('a v1.1 checkout', () => {
  it("asks for the judges' key at setup, and writes a .env with the setup's paths and no key", async () => {
    // Without OPENCODE_API_KEY the configuration is saved, and ptb says the judges need it.
    const first = await setup(KEYS);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('no value for OPENCODE_API_KEY');
    expect(first.stdout).toContain(`wrote ${dotEnv} (the checkout reads it; no key in it)`);
    const text = readFileSync(dotEnv, 'utf8');
    expect(text).toContain(`POST_TRAIN_BENCH_RESULTS_DIR='${home.resultsDir}'\n`);
    // Built from the checkout's example.env: its keys are named as left out, never set.
    expect(text).not.toMatch(/^\s*(export\s+)?[A-Z_]*API_KEY=/m);
    expect(text).toContain("# OPENCODE_API_KEY: set in ptb's jobs from its secrets file, never here\n");
    expect(text).toContain('POST_TRAIN_BENCH_JOB_SCHEDULER=slurm\n');
    expect(statSync(dotEnv).mode & 0o777).toBe(0o600);
    const overview = await home.ptb(['overview']);
    expect(overview.stdout).toContain('generation v1.1 (new judging system): example.env, set_env_vars.sh reads .env');
  });

  it("blocks a plan without the judges' auth file and key, or without .env, each with its fix", async () => {
    const blocked = await home.ptb(['submit', '--plan', plan, '--dry-run']);
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toContain('no OPENCODE_API_KEY in ');
    expect(blocked.stderr).toContain(
      `${join(checkout, 'agents', 'codex_non_api', 'auth.json')} is missing: the checkout's judges log in with it on every run, whatever the agent`,
    );
    rmSync(dotEnv);
    const noEnv = await home.ptb(['submit', '--plan', plan, '--dry-run']);
    expect(noEnv.stderr).toContain(`${dotEnv} is missing: this checkout (v1.1 (new judging system)) stops every job without it. \`ptb setup\` writes one`);
    const preflight = await home.ptb(['preflight', '--json']);
    const checks = JSON.parse(preflight.stdout) as { results: { id: string; status: string; finding: string }[] };
    expect(checks.results.find((r) => r.id === 'dot-env')).toMatchObject({ status: 'fail', finding: expect.stringContaining(`${dotEnv} is missing`) });
    expect(checks.results.find((r) => r.id === 'credentials')).toMatchObject({
      status: 'fail',
      finding: expect.stringContaining('OPENCODE_API_KEY not stored'),
    });
  });

  it("runs once ptb's .env, the auth file and the key are there: set_env_vars passes, the three judges give their verdict", async () => {
    const again = await setup({ ...KEYS, OPENCODE_API_KEY: 'oc-e2e-v11-key-0003' });
    expect(again.code, again.stderr).toBe(0);
    // As if `ptb preflight --compute` had passed for this setup (submissions ask for one).
    home.passPreflight();
    mkdirSync(join(checkout, 'agents', 'codex_non_api'), { recursive: true });
    writeFileSync(join(checkout, 'agents', 'codex_non_api', 'auth.json'), '{"fixture": true}\n');
    const submitted = await home.ptb(['submit', '--plan', plan, '--yes']);
    expect(submitted.code, submitted.stderr).toBe(0);
    const jobId = Number(/submitted, job (\d+)/.exec(submitted.stderr)?.[1]);
    slurm.submittedIds.push(jobId);
    const run = join(home.resultsDir, `claude_claude-sonnet-4-5_1h${EXPERIMENT}`, `gsm8k_Qwen_Qwen3-1.7B-Base_${jobId}`);
    await waitFor(() => existsSync(join(run, 'metrics.json')), {
      timeoutMs: 60_000,
      what: 'the run to be scored',
      describe: () => (existsSync(run) ? readdirSync(run).join(', ') : 'no run folder'),
    });
    expect(JSON.parse(readFileSync(join(run, 'judge_result.json'), 'utf8'))).toMatchObject({ contamination: false, disallowed_api_usage: false });
    // Scored by v1.1's rules: its judge_result.json gives the flag, factors.json the weights.
    const results = await home.ptb(['results', '--json']);
    const scored = JSON.parse(results.stdout) as {
      rules: { id: string };
      weightsSource: string;
      methods: { method: string; cells: { eval: string; flag: string; counted: number | null; runId: number | null }[] }[];
    };
    expect(scored).toMatchObject({ rules: { id: 'v1.1' }, weightsSource: 'scripts/factors.json' });
    expect(scored.methods.find((m) => m.method === `claude_claude-sonnet-4-5_1h${EXPERIMENT}`)?.cells).toContainEqual(
      expect.objectContaining({ eval: 'gsm8k', flag: '', counted: 0.4312, runId: jobId }),
    );
    const stderr = readFileSync(join(`${home.resultsDir}.ptb-slurm`, EXPERIMENT, 'logs', `${jobId}.err`), 'utf8');
    expect(stderr).not.toContain('.env file not found');
    // The keys came from ptb's secrets file: none of them is in the .env or the job's logs.
    for (const value of [...Object.values(KEYS), 'oc-e2e-v11-key-0003']) {
      expect(readFileSync(dotEnv, 'utf8')).not.toContain(value);
      expect(readFileSync(join(run, 'output.log'), 'utf8')).not.toContain(value);
    }

    // The judges again, alone, on the scored run: their rerun finds contamination this time.
    const configFile = join(home.configDir, 'config.json');
    writeFileSync(configFile, JSON.stringify({ ...(JSON.parse(readFileSync(configFile, 'utf8')) as object), passEnvironment: ['PTB_FIXTURE_*'] }, null, 2));
    const rejudged = await home.ptb(['resubmit', '--judge-only', String(jobId), '--yes'], { PTB_FIXTURE_REJUDGE_CONTAMINATION: 'true' });
    expect(rejudged.code, rejudged.stderr).toBe(0);
    const judgeJob = Number(new RegExp(`${jobId} -> (\\d+)`).exec(rejudged.stdout)?.[1]);
    expect(judgeJob, rejudged.stdout).toBeGreaterThan(0);
    slurm.submittedIds.push(judgeJob);
    await waitFor(() => existsSync(join(run, 'judge_result_rerun.json')), {
      timeoutMs: 60_000,
      what: 'the judges to write their rerun verdict',
      describe: () => readFileSync(join(`${home.resultsDir}.ptb-slurm`, EXPERIMENT, 'logs', `${judgeJob}.err`), 'utf8'),
    });
    // No GPU asked, and the agent did not run again.
    expect(
      readFileSync(
        join(
          `${home.resultsDir}.ptb-slurm`,
          EXPERIMENT,
          'scripts',
          readdirSync(join(`${home.resultsDir}.ptb-slurm`, EXPERIMENT, 'scripts')).find((f) => f.startsWith('judge-only')) ?? '',
        ),
        'utf8',
      ),
    ).not.toContain('--gres');
    const status = await waitFor(
      async () => {
        const out = JSON.parse((await home.ptb(['status', '--json'])).stdout) as { jobs: { id: string; diagnosis: string | null }[] };
        return out.jobs.find((j) => j.id === String(jobId) && j.diagnosis?.includes('contamination'));
      },
      { timeoutMs: 30_000, what: "the run's diagnosis to read the rerun verdict" },
    );
    expect(status.diagnosis).toContain('the judge found contamination');
    // The leaderboard's flag still reads judge_result.json, as upstream's aggregate_contamination.py does.
    const after = JSON.parse((await home.ptb(['results', '--json'])).stdout) as typeof scored;
    expect(after.methods.find((m) => m.method === `claude_claude-sonnet-4-5_1h${EXPERIMENT}`)?.cells).toContainEqual(
      expect.objectContaining({ eval: 'gsm8k', flag: '', runId: jobId }),
    );
  });
});
