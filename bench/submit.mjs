#!/usr/bin/env node
// Submitting the full matrix (4 models x 7 evals x 8 agent configs = 224 tasks) with
// `ptb submit`, against the guide's Step 4 loop measured in the same run: one sbatch per agent
// config and `sleep 2` after each model x eval group. Both sets of jobs are cancelled at once.
// Prints wall times, sbatch calls and the ratio. Needs the local cluster and a built dist/ptb.js.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const ptb = join(repo, 'dist', 'ptb.js');
const fixture = join(repo, 'test', 'fixtures', 'ptb-checkout');
const MODELS = ['google/gemma-3-4b-pt', 'Qwen/Qwen3-4B-Base', 'Qwen/Qwen3-1.7B-Base', 'HuggingFaceTB/SmolLM3-3B-Base'];
const EVALS = ['aime2025', 'arenahardwriting', 'bfcl', 'gpqamain', 'gsm8k', 'healthbench', 'humaneval'];
const CONFIGS = [
  'claude/claude-sonnet-4-5',
  'claude/claude-opus-4-5',
  'claude/claude-opus-4-6',
  'codex/gpt-5.1-codex-max',
  'codex/gpt-5.3-codex',
  'gemini/models/gemini-3-pro-preview',
  'gemini/models/gemini-3-flash-preview',
  'opencode/anthropic/claude-opus-4-5',
];
// The guide's loop sleeps 2 s per group; BENCH_GUIDE_SLEEP shortens it for a quick look (the ratio then understates ptb's lead).
const guideSleep = Number(process.env.BENCH_GUIDE_SLEEP ?? 2);

function cancelExperiment(tag) {
  const out = execFileSync('squeue', ['--me', '-h', '-o', '%A|%k|%j'], { encoding: 'utf8' });
  const ids = out
    .split('\n')
    .filter((l) => l.includes(tag))
    .map((l) => l.split('|')[0]);
  if (ids.length) spawnSync('scancel', ids);
}

export async function benchSubmit() {
  const root = mkdtempSync(join(tmpdir(), 'ptb-bench-submit-'));
  const tag = `_bench${process.pid}`;
  try {
    const dirs = Object.fromEntries(['config', 'hf', 'containers', 'results', 'state'].map((d) => [d, join(root, d)]));
    for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
    const env = {
      ...process.env,
      XDG_CONFIG_HOME: dirs.config,
      XDG_STATE_HOME: dirs.state,
      ANTHROPIC_API_KEY: 'sk-ant-bench',
      OPENAI_API_KEY: 'sk-proj-bench',
      GEMINI_API_KEY: 'AIzaSy-bench',
      OPENCODE_API_KEY: 'oc-bench',
    };
    // Small requests: the few of ptb's jobs that start before the cancellation run the fixture for seconds.
    execFileSync(
      process.execPath,
      [
        ptb,
        '--checkout',
        fixture,
        'setup',
        '--non-interactive',
        '--hf-home',
        dirs.hf,
        '--containers-dir',
        dirs.containers,
        '--results-dir',
        dirs.results,
        '--experiment',
        tag,
        '--agents',
        'claude,codex,gemini,opencode',
        '--cpus',
        '1',
        '--mem',
        '1G',
        '--tmp',
        '',
      ],
      { env, stdio: 'ignore' },
    );
    // The agents' image and the evaluation's (vllm_debug, named in run_task.sh): ptb refuses to submit without them.
    for (const image of ['standard', 'vllm_debug']) writeFileSync(join(dirs.containers, `${image}.sif`), '');
    const plan = join(root, 'plan.json');
    writeFileSync(plan, JSON.stringify({ models: MODELS, evals: EVALS, agentConfigs: CONFIGS, hours: [10] }));

    let started = performance.now();
    const result = spawnSync(process.execPath, [ptb, 'submit', '--plan', plan, '--yes', '--ignore-preflight'], { env, encoding: 'utf8' });
    const ptbMs = performance.now() - started;
    const submitted = Number(/^(\d+) submitted/m.exec(result.stdout)?.[1] ?? 0);
    cancelExperiment(tag);

    // The guide's Step 4: for each model x eval, one sbatch per agent config, then sleep 2.
    started = performance.now();
    let guideCalls = 0;
    for (const model of MODELS)
      for (const evalId of EVALS) {
        for (const config of CONFIGS) {
          const [agent, ...rest] = config.split('/');
          spawnSync('sbatch', [
            '--hold',
            '-p',
            'gpu',
            '--gres=gpu:1',
            '-J',
            `guide${tag}`,
            '-o',
            '/dev/null',
            `--export=ALL,EVAL=${evalId},AGENT=${agent},AGENT_CONFIG=${rest.join('/')},MODEL_TO_TRAIN=${model},NUM_HOURS=10`,
            '--wrap',
            'true',
          ]);
          guideCalls++;
        }
        await new Promise((r) => setTimeout(r, guideSleep * 1000));
      }
    const guideMs = performance.now() - started;
    cancelExperiment(`guide${tag}`);
    return [
      { benchmark: 'submit', metric: `guide loop, ${guideCalls} sbatch (sleep ${guideSleep}s/group)`, value: guideMs, unit: 'ms', ratio: 1 },
      { benchmark: 'submit', metric: `ptb submit, ${submitted} jobs (${submitted + 1} sbatch)`, value: ptbMs, unit: 'ms', ratio: ptbMs / guideMs },
    ];
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const row of await benchSubmit()) console.log(`${row.metric}: ${row.value.toFixed(0)} ${row.unit} (${row.ratio.toFixed(3)}x)`);
}
