import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTaskKey } from '../../src/plan/task.js';
import { readLedger } from '../../src/submit/ledger.js';
import { submittingWorld } from '../helpers/e2e-world.js';

/**
 * Two ptb processes submitting the same plan at the same instant (two terminals, a script and
 * the TUI) must submit every task once: the second waits for the first's lock, then finds its
 * jobs in the queue. Without the lock both checked the queue before either submitted.
 */

const KEYS = { ANTHROPIC_API_KEY: 'sk-ant-lock-test-key-0001', OPENAI_API_KEY: 'sk-proj-lock-test-key-0002' };
const world = submittingWorld('lock', KEYS);
const { home, experiment, ledgerFile, slurm } = world;
const ROUNDS = 20;
const EVALS = ['gsm8k', 'humaneval', 'aime2025'];
// The runs sleep: nothing scores, nothing competes for the two cores while the next round submits.
const RUN_ENV = { PTB_FIXTURE_OUTCOME: 'slow', PTB_FIXTURE_SLEEP: '120' };

describe('two submitters of one plan', () => {
  it(`submit every task exactly once, in squeue and in the ledger (${ROUNDS} rounds)`, async () => {
    for (let round = 1; round <= ROUNDS; round++) {
      // Each round its own tasks (the budget is part of a task): no round sees another's jobs.
      const hours = round;
      const plan = join(home.root, `plan-${round}.yaml`);
      writeFileSync(plan, `models: [Qwen/Qwen3-1.7B-Base]\nevals: [${EVALS.join(', ')}]\nagentConfigs: [claude/claude-sonnet-4-5]\nhours: [${hours}]\n`);
      const both = await Promise.all([0, 1].map(() => home.ptb(['submit', '--plan', plan, '--yes'], { ...world.env, ...RUN_ENV })));
      for (const r of both) expect(r.code, `round ${round}: ${r.stderr}`).toBe(0);
      const submitted = both.map((r) => Number(/^(\d+) submitted/m.exec(r.stdout)?.[1] ?? NaN));
      expect(
        submitted.reduce((a, b) => a + b, 0),
        `round ${round}: ${both.map((r) => r.stdout + r.stderr).join('\n---\n')}`,
      ).toBe(EVALS.length);

      const queue = await slurm.jobs({ user: 'me' });
      if (!queue.ok) throw new Error(queue.error.message);
      const ours = queue.value.filter((j) => {
        const task = parseTaskKey(j.comment ?? '');
        return task?.experiment === experiment && task.hours === hours;
      });
      slurm.submittedIds.push(...ours.map((j) => j.rawJobId));
      expect(ours.map((j) => parseTaskKey(j.comment ?? '')?.eval).sort(), `round ${round}: the jobs in squeue`).toEqual([...EVALS].sort());
      const recorded = readLedger(ledgerFile).filter((e) => e.task.hours === hours);
      expect(recorded.map((e) => e.task.eval).sort(), `round ${round}: the ledger`).toEqual([...EVALS].sort());
      await slurm.cancel(ours.map((j) => j.rawJobId));
    }
  }, 600_000);
});
