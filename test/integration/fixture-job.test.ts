import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testSlurm } from '../helpers/cluster.js';
import { FIXTURE_CHECKOUT, FIXTURE_CHECKOUT_V11 } from '../helpers/paths.js';
import { waitFor } from '../helpers/wait.js';

const slurm = testSlurm();
const results = mkdtempSync(join(tmpdir(), 'ptb-fixture-job-'));
afterAll(async () => {
  await slurm.cleanup();
  rmSync(results, { recursive: true, force: true });
});

// v1.1 runs only with its .env (example.env's placeholder keys: Kimi's judge wants one set) and the judges' auth file: a copy of the fixture gets them.
const v11 = join(results, 'checkout-v1.1');
cpSync(FIXTURE_CHECKOUT_V11, v11, { recursive: true });
copyFileSync(join(v11, 'example.env'), join(v11, '.env'));
mkdirSync(join(v11, 'agents', 'codex_non_api'), { recursive: true });
writeFileSync(join(v11, 'agents', 'codex_non_api', 'auth.json'), '{}\n');

describe.each([
  ['v1.0', FIXTURE_CHECKOUT, 'contamination_judgement.txt'],
  ['v1.1', v11, 'judge_result.json'],
] as const)('the %s fixture checkout under Slurm', (generation, checkout, verdict) => {
  it('runs as a GPU batch job from the checkout root and writes its results, judged, under the job id', async () => {
    const submitted = await slurm.submit({
      payload: { wrap: 'bash src/run_task.sh gsm8k claude Qwen/Qwen3-1.7B-Base "$SLURM_JOB_ID" 1 claude-opus-4-6' },
      jobName: `ptb-test fixture run ${generation}`,
      partition: 'gpu',
      gres: 'gpu:1',
      constraint: 'h100',
      cpusPerTask: 16,
      mem: '128G',
      tmp: '400G',
      time: '00:05:00',
      chdir: checkout,
      output: join(results, 'slurm-%j.out'),
      environment: {
        set: { POST_TRAIN_BENCH_RESULTS_DIR: results, POST_TRAIN_BENCH_EXPERIMENT_NAME: `_slurm${generation.replace('.', '')}`, PTB_FIXTURE_STEP: '0.1' },
      },
    });
    if (!submitted.ok) throw new Error(submitted.error.message);
    const id = submitted.value.jobId;
    const done = await waitFor(
      async () => {
        const r = await slurm.jobs({ jobIds: [id], includeFinished: true });
        const state = r.ok ? r.value[0]?.state : undefined;
        return state && !['PENDING', 'RUNNING', 'COMPLETING', 'CONFIGURING'].includes(state) ? state : undefined;
      },
      { timeoutMs: 60_000, what: `fixture job ${id} to finish` },
    );
    expect(done).toBe('COMPLETED');
    const dir = join(results, `claude_claude-opus-4-6_1h_slurm${generation.replace('.', '')}`, `gsm8k_Qwen_Qwen3-1.7B-Base_${id}`);
    expect(JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8'))).toMatchObject({ accuracy: 0.4312 });
    expect(existsSync(join(dir, verdict))).toBe(true);
    expect(readFileSync(join(dir, 'output.log'), 'utf8').split('\n')[0]).toBe(`gsm8k claude Qwen/Qwen3-1.7B-Base ${id} 1 claude-opus-4-6`);
    expect(existsSync(join(results, `slurm-${id}.out`))).toBe(true);
  });
});
