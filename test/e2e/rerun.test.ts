import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLedger } from '../../src/submit/ledger.js';
import { submittingWorld } from '../helpers/e2e-world.js';
import { waitFor } from '../helpers/wait.js';

const KEYS = { ANTHROPIC_API_KEY: 'sk-ant-e2e-rerun-key-0001', OPENAI_API_KEY: 'sk-proj-e2e-rerun-key-0002' };
const world = submittingWorld('rerun', KEYS);
const { slurm, home, stateDir, ledgerFile } = world;
const EXPERIMENT = world.experiment;

type Cell = { eval: string; model: string; rawText: string; counted: number | null; runId: number | null; replacedBecause: string | null };
const cells = async (): Promise<Cell[]> => {
  const out = await home.ptb(['results', '--json'], { XDG_STATE_HOME: stateDir });
  const parsed = JSON.parse(out.stdout) as { methods: { method: string; cells: Cell[] }[] };
  return parsed.methods.find((m) => m.method === `claude_claude-sonnet-4-5_1h${EXPERIMENT}`)?.cells ?? [];
};

describe('reruns that save GPU-hours', () => {
  it("evaluates a run's saved model again without its agent: --failed proposes it, the rerun scores the same folder, the ledger links both", async () => {
    // A run whose agent saved a model but whose evaluation failed on every attempt; run_task.sh exits 0.
    const plan = join(home.root, 'gsm8k.yaml');
    writeFileSync(plan, 'models: [Qwen/Qwen3-1.7B-Base]\nevals: [gsm8k]\nagentConfigs: [claude/claude-sonnet-4-5]\nhours: [1]\n');
    const out = await home.ptb(['submit', '--plan', plan, '--yes'], { XDG_STATE_HOME: stateDir, PTB_FIXTURE_OUTCOME: 'no-metrics', PTB_FIXTURE_STEP: '0.1' });
    const first = Number(/submitted, job (\d+)/.exec(out.stderr)?.[1]);
    expect(first, out.stderr).toBeGreaterThan(0);
    slurm.submittedIds.push(first);
    const run = join(home.resultsDir, `claude_claude-sonnet-4-5_1h${EXPERIMENT}`, `gsm8k_Qwen_Qwen3-1.7B-Base_${first}`);
    await waitFor(
      async () => {
        const status = await home.ptb(['status', '--json'], { XDG_STATE_HOME: stateDir });
        const job = (JSON.parse(status.stdout) as { jobs: { id: string; state: string; diagnosis: string | null }[] }).jobs.find((j) => j.id === String(first));
        return job?.state === 'COMPLETED' && job.diagnosis !== null ? job : undefined;
      },
      { timeoutMs: 90_000, what: 'the run to complete with a diagnosis' },
    );
    // The leaderboard has no score for it: no metrics, no baseline either.
    expect(await cells()).toContainEqual(
      expect.objectContaining({ eval: 'gsm8k', rawText: 'ERR', counted: null, runId: first, replacedBecause: 'no metrics (ERR)' }),
    );

    // Without --yes, it says what it would do: the evaluation alone, on one GPU.
    const asked = await home.ptb(['resubmit', '--failed'], { XDG_STATE_HOME: stateDir });
    expect(asked).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(new RegExp(`${first} \\(COMPLETED\\): evaluation only, of run ${first}: 1:00:00 on 1 GPU\\(s\\), up to 1 GPU-hours`)),
    });
    // Like ptb submit, a resubmission of GPU-hours asks for a passed compute preflight of the setup.
    const record = join(home.resultsDir, '.ptb-preflight', 'last-compute.json');
    rmSync(record);
    expect(await home.ptb(['resubmit', '--failed', '--yes'], { XDG_STATE_HOME: stateDir })).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('Nothing resubmitted: run `ptb preflight --compute` first, or add --ignore-preflight'),
    });
    home.passPreflight();
    const done = await home.ptb(['resubmit', '--failed', '--yes'], { XDG_STATE_HOME: stateDir });
    expect(done.code, done.stderr).toBe(0);
    const second = Number(new RegExp(`${first} -> (\\d+)`).exec(done.stdout)?.[1]);
    expect(second, done.stdout).toBeGreaterThan(0);
    slurm.submittedIds.push(second);
    await waitFor(() => existsSync(join(run, 'metrics.json')), {
      timeoutMs: 60_000,
      what: 'the rerun to write metrics.json',
      describe: () => readFileSync(join(`${home.resultsDir}.ptb-slurm`, EXPERIMENT, 'logs', `${second}.err`), 'utf8'),
    });
    // In the run's own folder, with the evaluation-only script's own log names; the agent did not run again.
    expect(existsSync(join(run, `z_new_${second}_output.log`))).toBe(true);
    expect(readFileSync(join(run, `z_new_${second}_output.log`), 'utf8')).toContain('Evaluation attempt 1');
    expect(readFileSync(join(run, 'solve_out.txt'), 'utf8').match(/Fine-tuning/g)).toHaveLength(1);
    const entry = readLedger(ledgerFile).find((e) => e.jobId === second);
    expect(entry).toMatchObject({
      resubmitOf: String(first),
      task: { kind: 'eval-only', rerunOf: first },
      resolved: { gres: 'gpu:h100:1', timeLimit: '1:00:00' },
    });
    expect(readFileSync(entry?.script ?? '', 'utf8')).toContain(
      `exec bash dev_utils/test_evaluation/run_only_evaluation.sh 'gsm8k' '${run}' "$HOME" "$SLURM_JOB_ID"`,
    );
    // Now scored: the leaderboard counts the rerun's score in the original run's cell.
    await waitFor(async () => (await cells()).find((c) => c.eval === 'gsm8k' && c.counted === 0.4312 && c.runId === first), {
      timeoutMs: 10_000,
      what: 'the cell to be scored',
    });

    // Never twice: the failure is resubmitted already; and a scored run has nothing to evaluate again.
    expect(await home.ptb(['resubmit', '--eval-only', String(first), '--yes'], { XDG_STATE_HOME: stateDir })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining(`already resubmitted as ${second}`),
    });
    // v1.0 has no judge-only script: ptb says so rather than submit a job that cannot work.
    expect(await home.ptb(['resubmit', '--judge-only', String(second), '--yes'], { XDG_STATE_HOME: stateDir })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('the checkout has no src/disallowed_usage_judge/run_judge.sh (upstream v1.0 has none'),
    });
  });
});
