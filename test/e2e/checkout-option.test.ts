import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURE_CHECKOUT } from '../helpers/paths.js';
import { submittingWorld } from '../helpers/e2e-world.js';

/**
 * `--checkout DIR` means what it says for every command: a user who points ptb at another
 * checkout must never run the configured one instead, and is told the two differ.
 */

const KEYS = { ANTHROPIC_API_KEY: 'sk-ant-e2e-checkout-key-0001', OPENAI_API_KEY: 'sk-proj-e2e-checkout-key-0002' };
const world = submittingWorld('chk', KEYS);
const { home, experiment } = world;

describe('--checkout with a second checkout', () => {
  it("is the one ptb config shows, the one a script's --chdir runs, the TUI's header says so, and resubmit refuses it", async () => {
    const other = join(home.root, 'second-checkout');
    cpSync(FIXTURE_CHECKOUT, other, { recursive: true });
    const config = await home.ptb(['--checkout', other, 'config'], world.env);
    expect(config.stdout).toContain(`checkout:      ${other} (--checkout; the configuration says ${FIXTURE_CHECKOUT})`);

    const plan = join(home.root, 'plan.yaml');
    writeFileSync(plan, 'models: [Qwen/Qwen3-1.7B-Base]\nevals: [gsm8k]\nagentConfigs: [claude/claude-sonnet-4-5]\nhours: [1]\n');
    const dry = await home.ptb(['--checkout', other, 'submit', '--plan', plan, '--dry-run'], world.env);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stderr).toContain(`ptb: using the checkout ${other} (--checkout), not the configured ${FIXTURE_CHECKOUT}`);
    const scripts = join(`${home.resultsDir}.ptb-slurm`, experiment, 'scripts');
    const [script = ''] = readdirSync(scripts);
    expect(readFileSync(join(scripts, script), 'utf8')).toContain(`#SBATCH --chdir=${other}\n`);

    const resubmit = await home.ptb(['--checkout', other, 'resubmit', '--failed', '--yes'], world.env);
    expect(resubmit).toMatchObject({
      code: 2,
      stderr: expect.stringContaining(`resubmit runs failed jobs again from the configured checkout ${FIXTURE_CHECKOUT}, not from --checkout ${other}`),
    });

    const session = await world.ptb(250, 40, ['--checkout', other]);
    await session.waitForText(`checkout ${other} (7 evals, 16 agents, v1.0; --checkout, the setup's is ${FIXTURE_CHECKOUT})`);
    session.press('q');
    await session.waitForExit();
  });
});
