import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { AGENT_CONFIGS, agentConfigId } from '../../src/catalog/agent-configs.js';
import { readCheckout } from '../../src/checkout/detect.js';
import type { Config } from '../../src/config/schema.js';
import { expandPlan, knownTo, parsePlan } from '../../src/plan/plan.js';
import { composerPlan, composerReducer, initialComposer, matrixSize } from '../../src/app/compose/composer.js';
import { taskResources } from '../../src/plan/resolve.js';
import { parseRecipes } from '../../src/checkout/recipes.js';
import { goldenFile } from '../helpers/golden.js';
import { FIXTURE_CHECKOUT, FIXTURE_CHECKOUT_V11 } from '../helpers/paths.js';

const v10 = parseRecipes(readFileSync(join(FIXTURE_CHECKOUT, 'src', 'commit_utils', 'commit.sh'), 'utf8'));
const pairs = (file: ReturnType<typeof parseRecipes>) => new Set(file.recipes.map((r) => `${r.agent}/${r.config}`));

describe("the checkout's agent configurations", () => {
  const config = { agentConfigs: [{ agent: 'claude', config: 'my-own' }] } as Config;
  it("are commit.sh's, the configuration's own added; ptb's built-in list only stands in where there is no commit.sh", () => {
    const known = knownTo(config, readCheckout(FIXTURE_CHECKOUT));
    expect(known.agentConfigSource).toBe('commit.sh');
    expect(known.agentConfigs.map(agentConfigId)).toEqual([...pairs(v10), 'claude/my-own']);
    // The smoke preset runs upstream's own 1-hour recipe.
    expect(known.smokePair).toBe('claude/claude-sonnet-4-5');
    expect(composerPlan(composerReducer(initialComposer(known, 'standard'), { type: 'preset', name: 'smoke' }))).toMatchObject({
      agentConfigs: ['claude/claude-sonnet-4-5'],
      hours: [1],
    });
    const bare = mkdtempSync(join(tmpdir(), 'ptb-no-commit-'));
    onTestFinished(() => rmSync(bare, { recursive: true, force: true }));
    cpSync(FIXTURE_CHECKOUT, bare, { recursive: true });
    rmSync(join(bare, 'src', 'commit_utils', 'commit.sh'));
    const fallback = knownTo(config, readCheckout(bare));
    expect(fallback.agentConfigSource).toBe('built-in');
    expect(fallback.agentConfigs).toHaveLength(AGENT_CONFIGS.length + 1);
  });
});

describe("upstream's recipe file, commit.sh", () => {
  it('gives every recipe of a v1.0 file: 35 lines, 31 agent/config pairs, bare num_hours tokens read as well', () => {
    expect(v10.problems).toEqual([]);
    expect(v10.recipes).toHaveLength(35);
    expect(pairs(v10).size).toBe(31);
    for (const id of [
      'codex_non_api_high/gpt-5.4',
      'codex_non_api_high_reprompt/gpt-5.4',
      'claude_non_api_max/claude-opus-4-6',
      'codex_non_api_xhigh/gpt-5.3-codex',
      'opencode/opencode/kimi-k2-thinking',
      'glm5/glm-5',
    ])
      expect(pairs(v10)).toContain(id);
    // The opencode and glm5 lines give num_hours without -a.
    expect(v10.recipes.filter((r) => r.agent === 'opencode' || r.agent === 'glm5').map((r) => r.hours)).toEqual(Array(12).fill(10));
    expect(v10.recipes.find((r) => r.config === 'claude-sonnet-4-5' && r.hours === 1)).toMatchObject({ agent: 'claude', gpus: 1 });
  });

  it('keeps the multi-GPU recipes apart, each with the resources its line asks for', () => {
    const big = v10.recipes.filter((r) => r.config === 'claude-opus-4-6[1m]');
    expect(big.map((r) => [r.hours, r.gpus, r.memoryMb, r.cpus])).toEqual([
      [10, 1, null, null],
      [50, 1, null, null],
      [50, 8, 524288, 128],
      [50, 8, null, null],
    ]);
  });

  it('says which scheduler branch runs each recipe, ignores commented lines, and reads the matrix', () => {
    const both = v10.recipes.filter((r) => r.branches.includes('htcondor'));
    expect(both).toHaveLength(8);
    expect(both.every((r) => r.branches.join() === 'htcondor_mpi-is,htcondor')).toBe(true);
    expect(pairs(v10)).not.toContain('claude/claude-opus-4-7');
    expect(v10.models).toEqual(['google/gemma-3-4b-pt', 'Qwen/Qwen3-4B-Base', 'Qwen/Qwen3-1.7B-Base', 'HuggingFaceTB/SmolLM3-3B-Base']);
    expect(v10.evals).toEqual(['aime2025', 'arenahardwriting', 'bfcl', 'gpqamain', 'gsm8k', 'humaneval', 'healthbench']);
  });

  it('reads a v1.1 file (experiment_name first on every line) to the same recipes', () => {
    const v11 = parseRecipes(readFileSync(join(FIXTURE_CHECKOUT_V11, 'src', 'commit_utils', 'commit.sh'), 'utf8'));
    expect(v11.problems).toEqual([]);
    expect(v11.recipes.map(({ line: _line, ...r }) => r)).toEqual(v10.recipes.map(({ line: _line, ...r }) => r));
  });

  it('reads the multi-GPU branch with its disk request, its matrix mostly commented out', () => {
    const qol = parseRecipes(goldenFile('recipes/commit-qol.sh'));
    expect(qol.recipes).toEqual([
      {
        agent: 'claude_reprompt',
        config: 'claude-opus-4-6[1m]',
        hours: 100,
        gpus: 8,
        memoryMb: 524288,
        cpus: 128,
        disk: '800G',
        branches: ['htcondor_mpi-is'],
        line: 23,
      },
    ]);
    expect([qol.models, qol.evals]).toEqual([['Qwen/Qwen3-4B-Base'], ['healthbench']]);
  });

  it('names a submitting line it cannot read, and guesses nothing', () => {
    const odd = parseRecipes(
      'condor_submit_bid 50 -a "agent=claude" -a "agent_config=x" -a "num_hours=ten" s.sub\ncondor_submit_bid -a "agent=codex" s.sub\ncondor_submit_bid 25 -a "eval=$eval" -a "model=$model" src/commit_utils/baselines/baseline_cluster.sub\ncondor_submit_bid -a "agent=a" -a "agent_config=b" -a "num_gpus=0" -a "request_memory=$MEM" s.sub\n',
    );
    expect(odd).toEqual({
      recipes: [],
      models: [],
      evals: [],
      problems: [
        'line 1: not a positive whole number: num_hours=ten',
        'line 2: no agent_config',
        'line 4: not a positive whole number: num_gpus=0, request_memory=$MEM',
      ],
    });
  });

  it('reads arrays as bash does: several entries a line, closed on the line of the last one, comments after them', () => {
    const file = parseRecipes(
      'models=("a/x"\n  "b/y" c/z  # two more\n  "d/w")\nevals=(gsm8k "bfcl" # one line\n)\ncondor_submit_bid -a "agent=claude" -a "agent_config=m" -a "num_hours=10" s.sub\n',
    );
    expect([file.models, file.evals, file.recipes.length]).toEqual([['a/x', 'b/y', 'c/z', 'd/w'], ['gsm8k', 'bfcl'], 1]);
  });
});

describe('a plan of every recipe', () => {
  const known = knownTo({} as Config, readCheckout(FIXTURE_CHECKOUT));
  const plan = {
    models: ['Qwen/Qwen3-1.7B-Base', 'Qwen/Qwen3-4B-Base'],
    evals: ['gsm8k'],
    agentConfigs: [],
    hours: [10],
    gpus: 1,
    baseline: false,
    containerTests: [],
    recipes: true,
  };

  it('gives each model x eval every recipe of commit.sh, with its own hours, GPUs and resources', () => {
    const expanded = expandPlan(plan, known, '_run1');
    if (!expanded.ok) throw new Error(expanded.problems.join('; '));
    // 35 recipes; the two 8-GPU 50 h lines of one pair are one task (ptb never runs a task twice): 34 a cell.
    expect(expanded.tasks).toHaveLength(2 * 34);
    expect(expanded.tasks.filter((t) => t.gpus === 8)).toEqual([
      expect.objectContaining({
        model: 'Qwen/Qwen3-1.7B-Base',
        agent: 'claude_non_api',
        config: 'claude-opus-4-6[1m]',
        hours: 50,
        resources: { memoryMb: 524288, cpus: 128 },
      }),
      expect.objectContaining({
        model: 'Qwen/Qwen3-4B-Base',
        agent: 'claude_non_api',
        config: 'claude-opus-4-6[1m]',
        hours: 50,
        resources: { memoryMb: 524288, cpus: 128 },
      }),
    ]);
    expect(expanded.tasks.find((t) => t.config === 'claude-sonnet-4-5' && t.hours === 1)).toBeDefined();
  });

  it('is refused where the checkout has no recipes, and with agentConfigs or hours beside it', () => {
    expect(expandPlan(plan, { ...known, recipes: undefined }, '_run1')).toMatchObject({
      ok: false,
      problems: [expect.stringContaining('this checkout has none')],
    });
    expect(parsePlan({ models: ['Qwen/Qwen3-1.7B-Base'], evals: ['gsm8k'], recipes: true, hours: [10] })).toMatchObject({
      ok: false,
      problems: [expect.stringContaining('leave agentConfigs and hours out')],
    });
  });

  it("is what the composer's u preset makes: commit.sh's matrix; a pick among agent configs goes back to the lists", () => {
    const recipes = composerReducer(initialComposer(known, 'standard'), { type: 'preset', name: 'recipes' });
    const made = composerPlan(recipes);
    expect(made.recipes).toBe(true);
    expect([[...made.models].sort(), [...made.evals].sort()]).toEqual([
      [...(known.recipeMatrix?.models ?? [])].sort(),
      [...(known.recipeMatrix?.evals ?? [])].sort(),
    ]);
    // The two 8-GPU 50 h lines of one pair are one task, as in the plan.
    expect(matrixSize(recipes).text).toBe('4 x 7 x 34 commit.sh recipes = 952 tasks');
    const picked = [{ type: 'focus', delta: 1 }, { type: 'focus', delta: 1 }, { type: 'toggle' }].reduce(
      (s, a) => composerReducer(s, a as Parameters<typeof composerReducer>[1]),
      recipes,
    );
    expect(composerPlan(picked).recipes).toBeUndefined();
  });
});

describe("a task's resources", () => {
  const slurm = { cpusPerTask: 16, mem: '128G', tmp: '400G' };
  it("are its recipe's where commit.sh gives them, else the setup's scaled with its GPUs as upstream's 8-GPU recipe is", () => {
    expect(taskResources({ gpus: 1 }, slurm)).toEqual({ cpus: 16, mem: '128G', tmp: '400G' });
    expect(taskResources({ gpus: 8 }, slurm)).toEqual({ cpus: 128, mem: '524288M', tmp: '400G' });
    expect(taskResources({ gpus: 2 }, slurm)).toEqual({ cpus: 32, mem: '128G', tmp: '400G' });
    expect(taskResources({ gpus: 8, resources: { memoryMb: 262144, cpus: 64, disk: '800G' } }, slurm)).toEqual({ cpus: 64, mem: '262144M', tmp: '800G' });
    // Nodes without TmpDisk: no --tmp at all, whatever the recipe asks.
    expect(taskResources({ gpus: 8, resources: { disk: '800G' } }, { ...slurm, tmp: '' }).tmp).toBe('');
  });
});
