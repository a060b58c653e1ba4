import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/schema.js';
import { taskKey, type Task } from '../../src/plan/task.js';
import { createSlurm } from '../../src/slurm/adapter.js';
import { appendLedger, readLedger } from '../../src/submit/ledger.js';
import { setupIdentity } from '../../src/submit/setup-identity.js';
import { submitTasks } from '../../src/submit/submit-tasks.js';
import { golden } from '../helpers/golden.js';
import { replayRunner } from '../helpers/replay-runner.js';

const dir = mkdtempSync(join(tmpdir(), 'ptb-submit-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const config = {
  resultsDir: join(dir, 'results'),
  containerName: 'standard',
  experimentName: '_run1',
  hours: 10,
  checkout: dir,
  slurm: {
    partition: 'gpu',
    gres: 'gpu:1',
    constraint: '',
    account: '',
    qos: '',
    cpusPerTask: 16,
    mem: '128G',
    time: '12:00:00',
    tmp: '',
    home: dir,
    scratch: 'tmp',
  },
} as Config;
const task: Task = {
  kind: 'agent',
  eval: 'bfcl',
  model: 'Qwen/Qwen3-1.7B-Base',
  agent: 'claude',
  config: 'claude-opus-4-6',
  hours: 10,
  gpus: 1,
  experiment: '_run1',
};

describe('submitting under the lock', () => {
  it('skips a resubmission another ptb made while this one waited: one new job per failure, never two', async () => {
    const ledgerFile = join(dir, 'state', 'ledger.jsonl');
    const setup = setupIdentity(config).id;
    appendLedger(ledgerFile, { at: 'then', key: taskKey(task), task, jobId: 900, script: '', setup });
    // The other ptb's resubmission failed at once: it is not in the queue, only in the ledger.
    appendLedger(ledgerFile, { at: 'now', key: taskKey(task), task, jobId: 901, script: '', setup, resubmitOf: '900' });
    // An empty queue, and no sbatch at all: a submission would fail loudly.
    const slurm = createSlurm({ runner: replayRunner({ squeue: { kind: 'ok', stdout: '', stderr: '', durationMs: 1 } }) });
    const result = await submitTasks(slurm, config, [task], {
      ledgerFile,
      secretsFile: join(dir, 'secrets.env'),
      resubmitOf: new Map([[taskKey(task), '900']]),
    });
    expect(result).toEqual({ outcomes: [expect.objectContaining({ status: 'skipped', reason: 'resubmitted', jobId: 901 })], stopped: null });
    expect(readLedger(ledgerFile)).toHaveLength(2);
  });

  it('submits one job for a task named twice in one call (two failed jobs of it resubmitted together), force or not', async () => {
    const ledgerFile = join(dir, 'state', 'ledger-twice.jsonl');
    const slurm = createSlurm({ runner: replayRunner({ squeue: { kind: 'ok', stdout: '', stderr: '', durationMs: 1 } }) });
    for (const force of [false, true]) {
      const result = await submitTasks(slurm, config, [task, task], { ledgerFile, secretsFile: join(dir, 'secrets.env'), force });
      // The first goes to sbatch (which this test has not); the second never does.
      expect(result.outcomes.map((o) => (o.status === 'skipped' ? o.reason : o.status))).toEqual(['duplicate', 'failed']);
    }
  });

  it("does not take another setup's queued job, not even an earlier ptb's that this ledger once recorded", async () => {
    const ledgerFile = join(dir, 'state', 'ledger-2.jsonl');
    const other = setupIdentity({ resultsDir: join(dir, 'other') });
    // An earlier ptb reconciled another setup's job into this ledger, without its script.
    appendLedger(ledgerFile, { at: 'then', key: taskKey(task), task, jobId: 1512, script: '', reconciled: true });
    const line =
      golden('squeue-me')
        .stdout.split('\n')
        .find((l) => l.includes('held script')) ?? '';
    const fields = line.split('\x1f');
    // The same task queued by the other setup: an earlier ptb's comment, the other setup's script.
    fields[0] = fields[1] = fields[2] = '1512';
    fields[18] = taskKey(task);
    fields[19] = join(other.workDir, '_run1', 'scripts', 'x.sbatch');
    const slurm = createSlurm({ runner: replayRunner({ squeue: { kind: 'ok', stdout: `${fields.join('\x1f')}\n`, stderr: '', durationMs: 1 } }) });
    const result = await submitTasks(slurm, config, [task], { ledgerFile, secretsFile: join(dir, 'secrets.env') });
    // Not skipped as queued: it went on to sbatch (which this test has not).
    expect(result.outcomes).toEqual([expect.objectContaining({ status: 'failed' })]);
  });
});
