import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { classifyRun } from '../../src/diagnosis/classify.js';
import { createRedactor } from '../../src/logs/redact.js';
import { runDir, type Task } from '../../src/plan/task.js';
import { run } from '../../src/process/run.js';
import { FIXTURE_CHECKOUT, FIXTURE_CHECKOUT_V11 } from '../helpers/paths.js';

const results = mkdtempSync(join(tmpdir(), 'ptb-diagnosis-'));
afterAll(() => rmSync(results, { recursive: true, force: true }));

// The v1.1 fixture runs its judges only with its .env, the judges' auth file and key: a copy gets them.
const v11 = join(results, 'checkout-v1.1');
cpSync(FIXTURE_CHECKOUT_V11, v11, { recursive: true });
copyFileSync(join(v11, 'example.env'), join(v11, '.env'));
mkdirSync(join(v11, 'agents', 'codex_non_api'), { recursive: true });
writeFileSync(join(v11, 'agents', 'codex_non_api', 'auth.json'), '{}\n');
const CHECKOUTS = { 'v1.0': FIXTURE_CHECKOUT, 'v1.1': v11 } as const;

let nextId = 5000;
/** Runs a fixture's run_task.sh with an outcome (no Slurm: the files are what matters) and returns its EVAL_DIR. */
async function fixtureRun(outcome: string, generation: keyof typeof CHECKOUTS = 'v1.0'): Promise<string> {
  const id = nextId++;
  const task: Task = {
    kind: 'agent',
    eval: 'gsm8k',
    model: 'Qwen/Qwen3-1.7B-Base',
    agent: 'codex',
    config: 'gpt-5.3-codex',
    hours: 1,
    gpus: 1,
    experiment: '_diag',
  };
  await run('bash', ['src/run_task.sh', task.eval, task.agent, task.model, String(id), '1', task.config], {
    timeoutMs: 20_000,
    cwd: CHECKOUTS[generation],
    env: {
      ...process.env,
      POST_TRAIN_BENCH_RESULTS_DIR: results,
      POST_TRAIN_BENCH_EXPERIMENT_NAME: '_diag',
      PTB_FIXTURE_OUTCOME: outcome,
      PTB_FIXTURE_STEP: '0',
    },
  });
  return runDir(results, task, id);
}

const ok = { state: 'COMPLETED', exitCode: { code: 0, signal: 0 } };

describe.each(['v1.0', 'v1.1'] as const)('diagnosis of finished runs, on %s fixture runs of every class', (generation) => {
  it.each([
    ['success', ok, 'scored', /^scored: accuracy 0\.4312$/, null],
    ['cuda-unavailable', ok, 'cuda-unavailable', /GPU check failed/, /^solve_out\.txt: .*CUDA is not available$/],
    ['no-h100', ok, 'cuda-unavailable', /not H100s: upstream's CUDA check stopped the agent/, /^solve_out\.txt: .*No H100 found$/],
    ['no-apptainer', ok, 'missing-tool', /^apptainer is missing on the node/, /^solve_out\.txt: .*timeout: failed to run command 'apptainer'/],
    [
      'no-uuidgen',
      ok,
      'scored-missing-tool',
      /^scored \(accuracy 0\.4312\), but uuidgen is missing on the node: runs on that node may clash$/,
      /^error\.log: src\/run_task\.sh: line 49: uuidgen: command not found$/,
    ],
    [
      'contaminated',
      ok,
      'contaminated',
      /^scored \(accuracy 0\.4312\) but the judge found contamination/,
      generation === 'v1.0' ? /^contamination_judgement\.txt: contamination detected$/ : /^judge_result\.json: /,
    ],
    ['api-misuse', ok, 'api-misuse', /calls OpenAI's API itself \(find_api_illegal\.py's patterns\)/, /^task\/make_data\.py: from openai import OpenAI$/],
    [
      'killed',
      { state: 'FAILED', exitCode: { code: 137, signal: 0 } },
      'killed',
      /out of memory or SIGKILL/,
      /^error\.log: src\/run_task\.sh: line 128: 48213 Killed/,
    ],
    ['fuse', ok, 'fuse', /FUSE \/ overlay error/, /^error\.log: fuse: device not found/],
    ['stale-file', ok, 'stale-file', /stale file handle/, /Stale file handle$/],
    ['api-limit', ok, 'usage-limit', /API usage limit/, /^solve_out\.txt: .*You've hit your limit/],
    ['auth', ok, 'api-error', /API errors/, /401 Unauthorized/],
    ['api-error', ok, 'api-error', /API errors/, /fetch failed sending request/],
    ['hf-rate-limit', ok, 'hf-rate-limit', /Hugging Face rate limit/, /429 Client Error: Too Many Requests/],
    ['no-metrics', ok, 'vllm', /vLLM did not start/, /^final_eval_2\.txt: RuntimeError: Failed to start vLLM server/],
    ['cuda-oom', ok, 'cuda-oom', /CUDA out of memory/, /^final_eval_2\.txt: torch\.OutOfMemoryError/],
    ['agent-failure', ok, 'no-model', /produced no model/, /^output\.log: status: exited with error code 1$/],
    ['budget-no-model', ok, 'budget-no-model', /whole budget and saved no model/, /killed by timeout \(reached 1h limit\)/],
    ['budget-model', ok, 'scored', /^scored/, null],
  ] as const)('%s', async (outcome, job, kind, summary, evidence) => {
    const dir = await fixtureRun(outcome, generation);
    const d = classifyRun(job, dir);
    expect(d.kind).toBe(kind);
    expect(d.summary).toMatch(summary);
    if (evidence) expect(d.evidence).toMatch(evidence);
    else expect(d.evidence).toBeNull();
    expect(d.action).not.toBe('');
  });

  it('says a scored run has no judge verdict, and what reruns it', async () => {
    const dir = await fixtureRun('no-judge', generation);
    // v1.1's aggregation wrote nothing, yet its GPT judge's own verdict is there (later upstream's canonical file).
    expect(classifyRun(ok, dir)).toMatchObject(
      generation === 'v1.0' ? { kind: 'judge-missing', action: expect.stringContaining('ptb resubmit --judge-only JOB') } : { kind: 'scored' },
    );
  });

  // v1.1 judges in one file: only v1.0's pair can lose one of two.
  it.skipIf(generation !== 'v1.0')('names the one judge file a scored run lacks', async () => {
    const dir = await fixtureRun('success', generation);
    rmSync(join(dir, 'disallowed_model_judgement.txt'));
    expect(classifyRun(ok, dir)).toMatchObject({ kind: 'judge-unreadable', summary: 'scored (accuracy 0.4312) but disallowed_model_judgement.txt is missing' });
  });

  it("takes the agent's own `command not found` in its trace for the agent's, not the node's", async () => {
    const dir = await fixtureRun('agent-failure', generation);
    writeFileSync(join(dir, 'solve_out.txt'), '[2026-12-01T10:00:00Z] {"type":"tool_result","content":"bash: line 1: nvcc: command not found"}\n');
    expect(classifyRun(ok, dir).kind).toBe('no-model');
  });

  it('falls back on Slurm state without files, and redacts a key in the evidence', async () => {
    expect(classifyRun({ state: 'TIMEOUT', exitCode: null }, null)).toMatchObject({ kind: 'slurm-timeout' });
    expect(classifyRun({ state: 'FAILED', exitCode: { code: 255, signal: 0 } }, join(results, 'nowhere'))).toMatchObject({ kind: 'apptainer' });
    const dir = await fixtureRun('agent-failure', generation);
    writeFileSync(join(dir, 'solve_out.txt'), 'codex: CODEX_API_KEY=planted-secret-0001 ERROR: unexpected status 401 Unauthorized\n');
    const d = classifyRun(ok, dir, createRedactor(['planted-secret-0001']));
    expect(d.evidence).toBe('solve_out.txt: codex: CODEX_API_KEY=<redacted> ERROR: unexpected status 401 Unauthorized');
  });
});
