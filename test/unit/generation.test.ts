import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { keysRequired, readCheckout } from '../../src/checkout/detect.js';
import { dotEnvText, keysInDotEnv, readableByOthers } from '../../src/checkout/dot-env.js';
import { detectGeneration } from '../../src/checkout/generation.js';
import { credentialsForRuns } from '../../src/config/agent-needs.js';
import { FIXTURE_CHECKOUT, FIXTURE_CHECKOUT_V11 } from '../helpers/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'ptb-generation-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the checkout's generation", () => {
  it('is v1.0 for the text judge and set_default, v1.1 for .env and the JSON judges, with what told', () => {
    expect(detectGeneration(FIXTURE_CHECKOUT)).toEqual({
      id: '1.0',
      signals: ['set_env_vars.sh has set_default', 'run_task.sh runs the text judge'],
      readsDotEnv: false,
      judgeNeeds: { keys: ['OPENAI_API_KEY'], authFiles: [] },
    });
    expect(detectGeneration(FIXTURE_CHECKOUT_V11)).toEqual({
      id: '1.1',
      signals: ['example.env', 'set_env_vars.sh reads .env', 'run_task.sh runs the JSON judges', 'src/trace_parsing/', 'the aime2026 eval'],
      readsDotEnv: true,
      // Read from run_task.sh: the file it names, the key it stops without.
      judgeNeeds: { keys: ['OPENCODE_API_KEY'], authFiles: ['agents/codex_non_api/auth.json'] },
    });
  });

  it('is newer than v1.1 where later upstream files show, and unknown without any signal', () => {
    const later = join(dir, 'later');
    cpSync(FIXTURE_CHECKOUT_V11, later, { recursive: true });
    writeFileSync(join(later, 'src', 'commit_utils', 'single_task_opus5.sub'), 'environment = "POST_TRAIN_BENCH_CONTAINER_NAME=opus_5"\n');
    expect(detectGeneration(later)).toMatchObject({
      id: 'newer',
      signals: expect.arrayContaining(['src/commit_utils/single_task_opus5.sub']),
      readsDotEnv: true,
    });
    expect(detectGeneration(dir).id).toBe('unknown');
  });

  it("reads v1.1's eight evals, aime2026 among them, while its commit.sh matrix keeps seven", () => {
    const v11 = readCheckout(FIXTURE_CHECKOUT_V11);
    expect(v11.tasks.map((t) => t.id)).toContain('aime2026');
    expect(v11.recipes?.evals).not.toContain('aime2026');
    expect(v11.recipes?.recipes).toHaveLength(35);
    expect(v11.images.run).toEqual(['gpt_5_5', 'vllm_debug']);
  });
});

describe("a checkout's .env", () => {
  it("is written by ptb from the checkout's example.env: the setup's paths and settings in place of the examples, the rest kept, and no key", () => {
    const setup = { hfHome: '/hf', resultsDir: '/r', containersDir: '/c', containerName: 'standard' };
    const example = readFileSync(join(FIXTURE_CHECKOUT_V11, 'example.env'), 'utf8');
    const fromExample = dotEnvText(setup, `${example}NEW_UPSTREAM_SETTING=42\n`);
    expect(fromExample).toContain("POST_TRAIN_BENCH_RESULTS_DIR='/r'\n");
    expect(fromExample).toContain("HF_HOME='/hf'\n");
    expect(fromExample).toContain('POST_TRAIN_BENCH_JOB_SCHEDULER=slurm\n');
    // What ptb has no value of is upstream's, kept; a setting a newer upstream adds too.
    expect(fromExample).toContain('POST_TRAIN_BENCH_PROMPT=prompt\n');
    expect(fromExample).toContain('NEW_UPSTREAM_SETTING=42\n');
    expect(fromExample).toContain("# OPENCODE_API_KEY: set in ptb's jobs from its secrets file, never here\n");
    expect(fromExample).not.toMatch(/your-/);
    const text = dotEnvText(setup);
    expect(text).toContain("POST_TRAIN_BENCH_RESULTS_DIR='/r'\n");
    expect(text).toContain('POST_TRAIN_BENCH_PROMPT=prompt\n');
    const file = join(dir, 'written.env');
    writeFileSync(file, text);
    expect(keysInDotEnv(file)).toEqual([]);
  });

  it("counts a real key, not upstream's placeholders, and says when others can read the file", () => {
    expect(keysInDotEnv(join(FIXTURE_CHECKOUT_V11, 'example.env'))).toEqual([]);
    const file = join(dir, 'keys.env');
    writeFileSync(file, '# mine\nOPENAI_API_KEY=sk-proj-real-0001\nexport OPENCODE_API_KEY="oc-real-0002"\nGEMINI_API_KEY=\nHF_HOME=/hf\n');
    expect(keysInDotEnv(file)).toEqual(['OPENAI_API_KEY', 'OPENCODE_API_KEY']);
    chmodSync(file, 0o644);
    expect(readableByOthers(file)).toBe(0o644);
    chmodSync(file, 0o600);
    expect(readableByOthers(file)).toBeNull();
  });
});

describe('what a run needs, by generation', () => {
  const v11 = readCheckout(FIXTURE_CHECKOUT_V11).credentials;
  it("asks OpenAI's key of v1.1 runs only where an eval is graded by OpenAI's model or the agent uses it", () => {
    expect(credentialsForRuns([{ agent: 'codex_non_api', config: 'gpt-5.3-codex', eval: 'gsm8k' }], v11)).toEqual({
      keys: ['OPENCODE_API_KEY'],
      authFiles: ['agents/codex_non_api/auth.json'],
    });
    expect(credentialsForRuns([{ agent: 'codex_non_api', config: 'gpt-5.3-codex', eval: 'healthbench' }], v11).keys).toEqual([
      'OPENAI_API_KEY',
      'OPENCODE_API_KEY',
    ]);
    // v1.0's judge runs on OpenAI's key: every run needs it.
    expect(credentialsForRuns([{ agent: 'claude', config: 'claude-opus-4-6', eval: 'gsm8k' }], readCheckout(FIXTURE_CHECKOUT).credentials).keys).toEqual([
      'ANTHROPIC_API_KEY',
      'OPENAI_API_KEY',
    ]);
  });

  it("asks an eval's runs for the keys its evaluate.py refuses to start without, not for those it reads with a default", () => {
    expect(keysRequired('import os\nif "OPENAI_API_KEY" not in os.environ:\n    raise SystemExit(1)\nkey = os.environ.get("VLLM_API_KEY", "")\n')).toEqual([
      'OPENAI_API_KEY',
    ]);
    expect(keysRequired("grader = Client(os.environ['MOONSHOT_API_KEY'])\n# os.environ['OLD_API_KEY']\n")).toEqual(['MOONSHOT_API_KEY']);
    // Setting one is not needing it.
    expect(keysRequired('os.environ["OPENAI_API_KEY"] = os.environ.get("ALT", "")\nif os.environ["X_API_KEY"] == "":\n    pass\n')).toEqual(['X_API_KEY']);
    expect(readCheckout(FIXTURE_CHECKOUT_V11).credentials.evals).toMatchObject({
      healthbench: ['OPENAI_API_KEY'],
      arenahardwriting: ['OPENAI_API_KEY'],
      gsm8k: [],
      aime2026: [],
    });
    // A checkout whose healthbench grades with another model asks for that model's key instead.
    const other = join(dir, 'other-grader');
    cpSync(FIXTURE_CHECKOUT_V11, other, { recursive: true });
    writeFileSync(join(other, 'src', 'eval', 'tasks', 'healthbench', 'evaluate.py'), 'import os\ngrader = os.environ["MOONSHOT_API_KEY"]\n');
    expect(credentialsForRuns([{ agent: 'codex_non_api', config: 'gpt-5.3-codex', eval: 'healthbench' }], readCheckout(other).credentials).keys).toEqual([
      'OPENCODE_API_KEY',
      'MOONSHOT_API_KEY',
    ]);
  });

  it('keeps a key a newer checkout stops without, though ptb does not know its name', () => {
    expect(
      credentialsForRuns([{ agent: 'claude', config: 'x', eval: 'gsm8k' }], { everyRun: { keys: ['MOONSHOT_API_KEY'], authFiles: [] }, agents: {} }).keys,
    ).toEqual(['ANTHROPIC_API_KEY', 'MOONSHOT_API_KEY']);
  });
});
