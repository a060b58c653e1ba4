import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AGENT_CONFIGS } from '../../src/catalog/agent-configs.js';
import { imagesNamed, readCheckout, requiredGpuName } from '../../src/checkout/detect.js';
import {
  composerPlan,
  composerReducer,
  initialComposer,
  matrixSize,
  visibleOptions,
  type ComposerAction,
  type ComposerState,
} from '../../src/app/compose/composer.js';
import { ladderStatus, ladderWarning } from '../../src/results/ladder.js';
import { gpuModelBlocker, partitionTimeBlocker, planBlockers, planSummary } from '../../src/plan/plan-checks.js';
import { planTasks } from '../../src/plan/resolve.js';
import type { Partition } from '../../src/slurm/sinfo.js';
import { FIXTURE_CHECKOUT } from '../helpers/paths.js';
import { expandPlan, readPlanFile, writePlanFile, type PlanVocabulary } from '../../src/plan/plan.js';
import { containerTest, shortTimeLimits, taskKey, taskTimeLimit, timeLimitReason, type Task } from '../../src/plan/task.js';
import { containerTestMarker, experimentDir } from '../../src/submit/experiment-dir.js';
import type { LedgerEntry } from '../../src/submit/ledger.js';
import { clipLines, wrapLines } from '../../src/text/columns.js';
import { configIn } from '../helpers/config.js';

const dir = mkdtempSync(join(tmpdir(), 'ptb-composer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const EVALS = ['aime2025', 'arenahardwriting', 'bfcl', 'gpqamain', 'gsm8k', 'healthbench', 'humaneval'];
const known: PlanVocabulary = { evals: EVALS, agents: ['claude', 'codex', 'gemini', 'opencode'], agentConfigs: AGENT_CONFIGS };
const run = (...actions: ComposerAction[]): ComposerState => actions.reduce(composerReducer, initialComposer(known, 'standard'));

describe('the composer', () => {
  it('counts the matrix live, and the full preset is every model x eval x agent config at 10 h', () => {
    const full = run({ type: 'preset', name: 'full' });
    const configs = full.options.agentConfigs.length;
    expect(matrixSize(full)).toEqual({ text: `4 x 7 x ${configs} x 1 = ${4 * 7 * configs} tasks`, tasks: 4 * 7 * configs });
    const plan = composerPlan(full);
    expect(plan).toMatchObject({ models: expect.arrayContaining(['Qwen/Qwen3-1.7B-Base']), evals: EVALS, hours: [10], baseline: false, containerTests: [] });
  });

  it("runs the full and smoke presets on the setup's agents, or on the configurations picked", () => {
    const claudeOnly = (...actions: ComposerAction[]) => actions.reduce(composerReducer, initialComposer({ ...known, setupAgents: ['claude'] }, 'standard'));
    const claude = AGENT_CONFIGS.filter((c) => c.agent === 'claude').map((c) => `claude/${c.config}`);
    expect(composerPlan(claudeOnly({ type: 'preset', name: 'full' })).agentConfigs).toEqual(claude);
    expect(composerPlan(claudeOnly({ type: 'preset', name: 'smoke' })).agentConfigs).toEqual([claude[0]]);
    const picked = claudeOnly({ type: 'focus', delta: 1 }, { type: 'focus', delta: 1 }, { type: 'toggle' }, { type: 'preset', name: 'full' });
    expect(composerPlan(picked).agentConfigs).toEqual([picked.options.agentConfigs[0]]);
    // A setup whose agents have no configuration listed: every one stands.
    const none = composerReducer(initialComposer({ ...known, setupAgents: ['glm5'] }, 'standard'), { type: 'preset', name: 'full' });
    expect(composerPlan(none).agentConfigs).toHaveLength(none.options.agentConfigs.length);
  });

  it('walks the trial ladder: container test, baseline of what is chosen, smoke, each replacing the last', () => {
    expect(composerPlan(run({ type: 'preset', name: 'container' }))).toMatchObject({ containerTests: ['standard'], models: [], evals: [] });
    // With configurations picked, their images are tested too.
    const withImages = [
      { type: 'preset', name: 'full' },
      { type: 'preset', name: 'container' },
    ] as const;
    const images = withImages.reduce<ComposerState>(
      composerReducer,
      initialComposer(known, 'standard', { 'claude/claude-opus-4-6': 'opus_4_6_codex_5_3', 'gemini/models/gemini-3.1-pro-preview': 'gemini_3_1' }),
    );
    expect(composerPlan(images).containerTests).toEqual(['standard', 'opus_4_6_codex_5_3', 'gemini_3_1']);
    expect(matrixSize(images).text).toBe('container test of standard.sif, opus_4_6_codex_5_3.sif, gemini_3_1.sif = 3 task(s)');
    expect(matrixSize(run({ type: 'preset', name: 'container' })).text).toBe('container test of standard.sif = 1 task(s)');
    expect(composerPlan(run({ type: 'preset', name: 'baseline' }))).toMatchObject({
      models: ['Qwen/Qwen3-1.7B-Base'],
      evals: ['gsm8k'],
      baseline: true,
      containerTests: [],
    });
    // Baselines of what the user already picked.
    const picked = run({ type: 'focus', delta: 1 }, { type: 'toggle-all' }, { type: 'preset', name: 'baseline' });
    expect(composerPlan(picked)).toMatchObject({ evals: EVALS, baseline: true });
    const smoke = run({ type: 'preset', name: 'container' }, { type: 'preset', name: 'smoke' });
    expect(composerPlan(smoke)).toMatchObject({
      models: ['Qwen/Qwen3-1.7B-Base'],
      evals: ['gsm8k'],
      agentConfigs: ['claude/claude-sonnet-4-5'],
      hours: [1],
      containerTests: [],
    });
    expect(matrixSize(smoke).tasks).toBe(1);
  });

  it('filters each list fuzzily, picks from what is shown, and keeps the catalog order', () => {
    const typed = run({ type: 'focus', delta: 1 }, { type: 'focus', delta: 1 }, { type: 'filter-start' }, { type: 'filter-type', text: 'gemni' });
    expect(
      visibleOptions(typed, 'agentConfigs')
        .slice(0, 3)
        .every((id) => id.startsWith('gemini/')),
    ).toBe(true);
    const picked = [{ type: 'filter-end', keep: true }, { type: 'toggle-all' }] as const;
    const state = picked.reduce<ComposerState>(composerReducer, typed);
    expect(state.selected.agentConfigs.length).toBeGreaterThanOrEqual(3);
    expect(state.selected.agentConfigs).toEqual(state.options.agentConfigs.filter((id) => state.selected.agentConfigs.includes(id)));
    // esc clears the filter: the whole list shows again, the picks stay.
    const cleared = composerReducer(composerReducer(state, { type: 'filter-start' }), { type: 'filter-end', keep: false });
    expect(visibleOptions(cleared, 'agentConfigs')).toEqual(cleared.options.agentConfigs);
    expect(cleared.selected.agentConfigs).toEqual(state.selected.agentConfigs);
  });

  it('cycles the GPUs per run, counted in the GPU-hours and the plan; baselines stay on one GPU', () => {
    const eight = run({ type: 'preset', name: 'smoke' }, { type: 'cycle-gpus' }, { type: 'cycle-gpus' }, { type: 'cycle-gpus' });
    expect(composerPlan(eight).gpus).toBe(8);
    expect(matrixSize(eight).text).toBe('1 x 1 x 1 x 1 = 1 tasks (8 GPUs each)');
    expect(composerPlan(composerReducer(eight, { type: 'cycle-gpus' })).gpus).toBe(1);
    expect(composerPlan(composerReducer(eight, { type: 'preset', name: 'baseline' })).gpus).toBe(1);
  });

  it('moves the cursor within the list and toggles the row under it', () => {
    const state = run(
      { type: 'move', delta: 2 },
      { type: 'toggle' },
      { type: 'move', delta: 99 },
      { type: 'toggle' },
      { type: 'move', delta: -99 },
      { type: 'toggle' },
      { type: 'toggle' },
    );
    expect(state.selected.models).toEqual([state.options.models[2], state.options.models[3]]);
  });
});

describe('plan files', () => {
  it('round-trips a plan through YAML, hostile agent configurations included', async () => {
    const file = join(dir, 'plan.yaml');
    const plan = {
      models: ['Qwen/Qwen3-1.7B-Base'],
      evals: ['gsm8k'],
      agentConfigs: ['claude_non_api/claude-opus-4-6[1m]', 'gemini/models/gemini-3-pro-preview'],
      hours: [1, 10],
      gpus: 1,
      baseline: false,
      containerTests: ['standard'],
    };
    await writePlanFile(file, plan);
    expect(readFileSync(file, 'utf8')).toMatch(/^# A ptb plan: ptb submit --plan /);
    expect(await readPlanFile(file)).toEqual({ ok: true, plan });
    await writePlanFile(join(dir, 'plan.json'), plan);
    expect(await readPlanFile(join(dir, 'plan.json'))).toEqual({ ok: true, plan });
  });

  it('names the line of a YAML plan that does not parse, and what is wrong in one that does', async () => {
    const file = join(dir, 'bad.yml');
    writeFileSync(file, 'models:\n  - Qwen/Qwen3-1.7B-Base\nevals: [gsm8k\nhours: [1]\n');
    expect(await readPlanFile(file)).toEqual({ ok: false, problems: [expect.stringMatching(new RegExp(`^${file}, line \\d: not valid YAML \\(.+\\)$`))] });
    // Not a syntax error, but no plan either: said, never thrown.
    writeFileSync(file, 'models: *missing\n');
    expect(await readPlanFile(file)).toEqual({
      ok: false,
      problems: [`${file}: not valid YAML (Unresolved alias (the anchor must be set before the alias): missing)`],
    });
    writeFileSync(file, 'models: [Qwen/Qwen3-1.7B-Base]\nevals: [gsm8k]\nagentConfigs: [claude/claude-opus-4-6]\nhours: [ten]\n');
    expect(await readPlanFile(file)).toEqual({ ok: false, problems: ['hours: a list of whole numbers of hours, e.g. [10]'] });
  });

  it('submits a task named twice once, and refuses values that would break the task key', () => {
    const plan = {
      models: ['Qwen/Qwen3-1.7B-Base', 'Qwen/Qwen3-1.7B-Base'],
      evals: ['gsm8k'],
      agentConfigs: ['claude/claude-opus-4-6'],
      hours: [1, 1],
      gpus: 1,
      baseline: false,
      containerTests: ['standard', 'standard'],
    };
    expect(expandPlan(plan, known, '_run1')).toMatchObject({ ok: true, tasks: [containerTest('standard'), { eval: 'gsm8k', hours: 1 }] });
    expect(expandPlan({ ...plan, models: ['a|b'], baseline: true }, known, '_run1')).toMatchObject({
      ok: false,
      problems: ['models: "a|b": must not contain | or control characters (line breaks, tabs)'],
    });
    expect(expandPlan({ ...plan, agentConfigs: ['claude/x\ny'] }, known, '_run1')).toMatchObject({
      ok: false,
      problems: [expect.stringContaining('must not contain |')],
    });
    expect(expandPlan({ ...plan, hours: [] }, known, '_run1')).toMatchObject({
      ok: false,
      problems: ['hours is empty: name at least one budget in hours (e.g. [10])'],
    });
  });

  it('runs any agent folder of the checkout with a typed configuration, with a note when the recipes never name that pair', () => {
    const plan = {
      models: ['Qwen/Qwen3-1.7B-Base'],
      evals: ['gsm8k'],
      agentConfigs: ['opencode/opencode/some-new-model', 'claude/claude-opus-4-6'],
      hours: [10],
      gpus: 1,
      baseline: false,
      containerTests: [],
    };
    const fromCommit = { ...known, agentConfigSource: 'commit.sh' as const };
    expect(expandPlan(plan, fromCommit, '_run1')).toMatchObject({
      ok: true,
      tasks: [
        { agent: 'opencode', config: 'opencode/some-new-model' },
        { agent: 'claude', config: 'claude-opus-4-6' },
      ],
      warnings: [
        "opencode/opencode/some-new-model is not one of the checkout's commit.sh recipes: check its spelling (agent opencode gets it as AGENT_CONFIG verbatim)",
      ],
    });
    expect(expandPlan({ ...plan, agentConfigs: ['nosuch/x'] }, fromCommit, '_run1')).toMatchObject({
      ok: false,
      problems: [expect.stringContaining('agent nosuch is not in the checkout')],
    });
  });

  it('expands container tests alongside the matrix, and refuses an image name a script cannot carry', () => {
    const plan = { models: [], evals: [], agentConfigs: [], hours: [10], gpus: 1, baseline: false, containerTests: ['standard'] };
    expect(expandPlan(plan, known, '_run1')).toEqual({ ok: true, tasks: [containerTest('standard')], warnings: [] });
    expect(expandPlan({ ...plan, containerTests: ['my image'] }, known, '_run1')).toMatchObject({
      ok: false,
      problems: [expect.stringContaining('"my image"')],
    });
  });
});

describe('what blocks a plan', () => {
  const root = join(dir, 'blockers');
  const config = configIn(root);
  const smoke: Task = {
    kind: 'agent',
    eval: 'gsm8k',
    model: 'Qwen/Qwen3-1.7B-Base',
    agent: 'claude',
    config: 'claude-opus-4-6',
    hours: 1,
    gpus: 1,
    experiment: '_run1',
  };
  const stored = { keys: ['ANTHROPIC_API_KEY'], secretsFile: '/home/me/.config/ptb-slurm/secrets.env' };

  it('names the missing key (the judge needs OpenAI), and an image the configuration gives a pair, with the fix', () => {
    writeFileSync(join(config.containersDir, 'standard.sif'), '');
    expect(planBlockers(planTasks([smoke], config), config, stored)).toEqual([
      expect.stringMatching(/^no OPENAI_API_KEY in \/home\/me\/.config\/ptb-slurm\/secrets.env; .*ptb setup/),
    ]);
    const pinned = { ...config, containers: { 'claude/claude-opus-4-6': 'opus_4_6_codex_5_3' } };
    expect(planBlockers(planTasks([smoke], pinned), pinned, { ...stored, keys: ['ANTHROPIC_API_KEY', 'OPENAI_API_KEY'] })).toEqual([
      `${join(config.containersDir, 'opus_4_6_codex_5_3.sif')} is missing (the image of claude/claude-opus-4-6): build it with \`bash containers/build_container.sh opus_4_6_codex_5_3\`, or run it in your default image with "containers": {"claude/claude-opus-4-6": "standard"} in the configuration.`,
    ]);
  });

  it('asks no key of baselines and container tests, but wants the image that is tested', () => {
    const baseline: Task = { ...smoke, kind: 'baseline', agent: '', config: '' };
    expect(planBlockers(planTasks([baseline], config), config, { ...stored, keys: [] })).toEqual([]);
    expect(planBlockers(planTasks([containerTest('gemini_3_1')], config), config, { ...stored, keys: [] })).toEqual([
      expect.stringContaining('gemini_3_1.sif is missing: build it'),
    ]);
  });

  it("wants the images the checkout's scripts name too: the evaluation's, a judge's, read from run_task.sh", () => {
    const keys = { ...stored, keys: ['ANTHROPIC_API_KEY', 'OPENAI_API_KEY'] };
    const v10 = readCheckout(FIXTURE_CHECKOUT);
    const images = {
      run: imagesNamed(readFileSync(join(FIXTURE_CHECKOUT, 'src', 'run_task.sh'), 'utf8')),
      baseline: imagesNamed(readFileSync(join(FIXTURE_CHECKOUT, 'src', 'baselines', 'run_baseline.sh'), 'utf8')),
    };
    expect(images).toEqual({ run: ['vllm_debug'], baseline: ['vllm_debug'] });
    const ok = { ...config, containers: { 'claude/claude-opus-4-6': 'standard' } };
    expect(planBlockers(planTasks([smoke], ok), ok, keys, { images, generation: v10.generation, credentials: v10.credentials })).toEqual([
      `${join(config.containersDir, 'vllm_debug.sif')} is missing: the checkout's src/run_task.sh runs every task in it too (a run would spend its budget, then fail). Build it with \`bash containers/build_container.sh vllm_debug\`, or point the containers folder at where it is (\`ptb setup\`).`,
    ]);
    expect(
      planBlockers(planTasks([{ ...smoke, kind: 'baseline', agent: '', config: '' }], ok), ok, keys, {
        images,
        generation: v10.generation,
        credentials: v10.credentials,
      }),
    ).toEqual([expect.stringContaining("the checkout's src/baselines/run_baseline.sh runs every task in it too")]);
    writeFileSync(join(config.containersDir, 'vllm_debug.sif'), '');
    expect(planBlockers(planTasks([smoke], ok), ok, keys, { images, generation: v10.generation, credentials: v10.credentials })).toEqual([]);
    // A newer generation's judge image, named in run_task.sh; the agent's own, through a variable, is the setup's.
    expect(
      imagesNamed(
        '# apptainer exec old.sif\napptainer exec --nv "${POST_TRAIN_BENCH_CONTAINERS_DIR}/${POST_TRAIN_BENCH_CONTAINER_NAME}.sif" x\nJUDGE_SIF="${POST_TRAIN_BENCH_CONTAINERS_DIR}/gpt_5_5.sif"\n',
      ),
    ).toEqual(['gpt_5_5']);
  });

  it("sums GPU-hours per time limit: the setup's margin over each budget, 15 minutes for a container test", () => {
    const ten = { ...smoke, hours: 10 };
    expect(planSummary(planTasks([ten, { ...ten, gpus: 8 }], config))).toBe('2 task(s), up to 108 GPU-hours (12:00:00 each)');
    expect(planSummary(planTasks([smoke, { ...smoke, hours: 50 }], config))).toBe('2 task(s), up to 55 GPU-hours (3:00:00 or 2-04:00:00 each)');
    expect(planSummary(planTasks([containerTest('standard')], config))).toBe('1 task(s), up to 0.3 GPU-hours (0:15:00 each)');
  });

  it('refuses tasks longer than the partition allows: Slurm would leave them pending for ever', () => {
    const partition = (maxTimeSeconds: number | null) => [{ name: config.slurm.partition, maxTimeSeconds } as Partition];
    const fifty = { ...smoke, hours: 50 };
    expect(partitionTimeBlocker(planTasks([smoke, fifty], config), config, partition(24 * 3600))).toBe(
      `1 task(s) need up to 2-04:00:00 (budget 50 h plus the setup's margin), longer than partition ${config.slurm.partition} allows (1-00:00:00): Slurm would keep them PENDING (PartitionTimeLimit) for ever. Choose fewer hours, or a partition with a longer limit (\`ptb setup\`).`,
    );
    expect(partitionTimeBlocker(planTasks([smoke], config), config, partition(24 * 3600))).toBeNull();
    // No limit, another partition, or no answer from sinfo: nothing to say.
    expect(partitionTimeBlocker(planTasks([fifty], config), config, partition(null))).toBeNull();
    expect(partitionTimeBlocker(planTasks([fifty], config), config, [{ name: 'elsewhere', maxTimeSeconds: 3600 } as Partition])).toBeNull();
    expect(partitionTimeBlocker(planTasks([fifty], config), config, null)).toBeNull();
  });

  it("blocks GPUs the checkout's CUDA check refuses (no H100 in the name), from the GRES type or the partition's GPUs", () => {
    const partition = (types: (string | null)[]) => [
      { name: config.slurm.partition, gpus: types.map((type) => ({ type, perNode: 8, total: 8, used: 0 })) } as unknown as Partition,
    ];
    const withGres = (gres: string) => ({ ...config, slurm: { ...config.slurm, gres } });
    expect(gpuModelBlocker(withGres('gpu:h100:1'), null, 'H100')).toBeNull();
    expect(gpuModelBlocker(withGres('gpu:h200:1'), null, 'H100')).toMatch(
      /^the setup asks for gpu:h200:1, and the checkout's CUDA check .* stops every run on a node without an H100 before its agent starts: choose an H100 partition/,
    );
    expect(gpuModelBlocker(withGres('gpu:1'), partition(['a100']), 'H100')).toMatch(/^partition .* has a100 GPUs, no H100/);
    expect(gpuModelBlocker(withGres('gpu:1'), partition(['a100', 'h100']), 'H100')).toBeNull();
    expect(gpuModelBlocker(withGres('gpu:1'), partition([null]), 'H100')).toBeNull();
    // A checkout whose check names no GPU model (patched for other GPUs) refuses none.
    expect(gpuModelBlocker(withGres('gpu:h200:1'), null, null)).toBeNull();
    expect(readCheckout(FIXTURE_CHECKOUT).requiredGpu).toBe('H100');
    expect(requiredGpuName(join(dir, 'no-such-checkout'))).toBe('H100');
    // A fork that accepts H200s too: either will do.
    const fork = join(dir, 'fork');
    mkdirSync(join(fork, 'src', 'utils'), { recursive: true });
    writeFileSync(join(fork, 'src', 'utils', 'check_cuda.py'), 'if "H100" in name or "H200" in name:\n    ok = True\n');
    expect(requiredGpuName(fork)).toBe('H100|H200');
    expect(gpuModelBlocker(withGres('gpu:h200:1'), null, 'H100|H200')).toBeNull();
    expect(gpuModelBlocker(withGres('gpu:a100:1'), null, 'H100|H200')).toContain('without an H100 or H200');
  });

  it("asks opencode for its provider's key, not for all of them", () => {
    const opencode = (cfg: string): Task => ({ ...smoke, agent: 'opencode', config: cfg });
    const keys = { ...stored, keys: ['OPENAI_API_KEY', 'ZAI_API_KEY'] };
    expect(planBlockers(planTasks([opencode('zai/glm-5')], config), config, keys)).toEqual([]);
    expect(planBlockers(planTasks([opencode('zai/glm-5'), opencode('anthropic/claude-opus-4-5')], config), config, keys)).toEqual([
      expect.stringMatching(/^no ANTHROPIC_API_KEY in /),
    ]);
  });
});

describe("ptb's own files", () => {
  it("live beside the results folder: upstream's aggregators take every folder in it as a method", () => {
    expect(experimentDir({ resultsDir: '/shared/results/' }, '_run1')).toBe('/shared/results.ptb-slurm/_run1');
    expect(containerTestMarker({ resultsDir: '/shared/results' }, 'standard')).toBe('/shared/results.ptb-slurm/_default/ladder/container-test_standard.ok');
  });
});

describe('the trial ladder', () => {
  const root = join(dir, 'ladder');
  const config = configIn(root);
  const entry = (task: Task, jobId: number): LedgerEntry => ({ at: 'now', key: taskKey(task), task, jobId, script: '' });
  const smoke: Task = {
    kind: 'agent',
    eval: 'gsm8k',
    model: 'Qwen/Qwen3-1.7B-Base',
    agent: 'claude',
    config: 'claude-sonnet-4-5',
    hours: 1,
    gpus: 1,
    experiment: '_run1',
  };
  const baseline: Task = { ...smoke, kind: 'baseline', agent: '', config: '', hours: 0, experiment: '' };
  const states = (ledger: LedgerEntry[]) => ladderStatus(config, ledger).map((s) => `${s.name} ${s.state}${s.jobId ? ` ${s.jobId}` : ''}`);

  it('goes from not yet to submitted (the ledger) to passed (the results)', () => {
    expect(states([])).toEqual(['container not yet', 'baseline not yet', 'smoke not yet']);
    const ledger = [entry(containerTest('standard'), 11), entry(baseline, 12), entry(smoke, 13)];
    expect(states(ledger)).toEqual(['container submitted 11', 'baseline submitted 12', 'smoke submitted 13']);
    expect(ladderWarning(ladderStatus(config, ledger))).toMatch(
      /^the trial ladder is not done \(container test \(standard.sif\): submitted, baseline: submitted, smoke agent run: submitted\)/,
    );

    mkdirSync(join(containerTestMarker(config, 'standard'), '..'), { recursive: true });
    writeFileSync(containerTestMarker(config, 'standard'), '11 node01 now\n');
    // A baseline run by hand counts too: the results folder is the truth.
    mkdirSync(join(config.resultsDir, 'baseline', 'gsm8k_Qwen_Qwen3-1.7B-Base_99'), { recursive: true });
    writeFileSync(join(config.resultsDir, 'baseline', 'gsm8k_Qwen_Qwen3-1.7B-Base_99', 'metrics.json'), '{"accuracy": 0.42}');
    const run = join(config.resultsDir, 'claude_claude-sonnet-4-5_1h_run1', 'gsm8k_Qwen_Qwen3-1.7B-Base_13');
    mkdirSync(run, { recursive: true });
    writeFileSync(join(run, 'metrics.json'), '{"accuracy": null}');
    expect(states(ledger)).toEqual(['container passed 11', 'baseline passed 12', 'smoke submitted 13']);
    writeFileSync(join(run, 'metrics.json'), '{"accuracy": 0.61}');
    expect(states(ledger)).toEqual(['container passed 11', 'baseline passed 12', 'smoke passed 13']);
    expect(ladderWarning(ladderStatus(config, ledger))).toBeNull();
  });
});

describe('text that must fit', () => {
  it('wraps on words, cuts a word longer than the line, and says how much was clipped', () => {
    expect(wrapLines('blocked: /a/very/long/path/to/standard.sif is missing', 12)).toEqual([
      'blocked:',
      '/a/very/long',
      '/path/to/sta',
      'ndard.sif is',
      'missing',
    ]);
    expect(wrapLines('', 10)).toEqual(['']);
    expect(clipLines(['a', 'b', 'c', 'd'], 3)).toEqual(['a', 'b', '… 2 more line(s)']);
    expect(clipLines(['a', 'b'], 3)).toEqual(['a', 'b']);
    expect(clipLines(['a', 'b', 'c'], 2, ': o shows them all')).toEqual(['a', '… 2 more line(s): o shows them all']);
  });
});

describe("a task's time limit", () => {
  const settings = { time: '12:00:00', hours: 10 };
  it('says how it is made up: the budget, upstream agent grace, what is left for the judges and the evaluation', () => {
    expect(timeLimitReason({ kind: 'agent', hours: 10 }, settings)).toBe(
      "12:00:00 = the 10 h budget + 0:05:30 agent grace (upstream's timeout) + 1:54:30 for the judges and the evaluation (the setup's margin)",
    );
    expect(timeLimitReason({ kind: 'agent', hours: 1 }, { time: '0:10:00', hours: 1 })).toBe(
      "0:10:00: shorter than the 1 h budget and upstream's 0:05:30 agent grace: Slurm stops the agent early",
    );
    const short = (tasks: Pick<Task, 'kind' | 'hours'>[], s: typeof settings) =>
      shortTimeLimits(tasks.map((task) => ({ task, resolved: { timeLimit: taskTimeLimit(task, s) } })));
    expect(short([{ kind: 'agent', hours: 10 }], settings)).toBeNull();
    expect(
      short(
        [
          { kind: 'agent', hours: 10 },
          { kind: 'baseline', hours: 0 },
        ],
        { time: '10:30:00', hours: 10 },
      ),
    ).toMatch(/^1 task\(s\) \(budget 10 h\) leave less than an hour after the agent/);
  });
});
