#!/usr/bin/env node
// `ptb status` with a ledger of 5000 finished jobs (the history of a few full runs) against the
// same command with an empty ledger, in the same run: the cost of the history (ledger, bounded
// sacct calls, run folders, layout). Target: under 3 s for 5000 jobs.
// Needs a reachable Slurm (the local cluster) and a built dist/ptb.js.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const ptb = join(repo, 'dist', 'ptb.js');
const runs = Number(process.env.BENCH_RUNS ?? 3);
const JOBS = 5000;
// Ids far above the local cluster's: sacct knows none of them, so every row is settled from its run folder.
const FIRST_ID = 900_000_000;

function ledger(file, count) {
  mkdirSync(dirname(file), { recursive: true });
  const evals = ['aime2025', 'arenahardwriting', 'bfcl', 'gpqamain', 'gsm8k', 'healthbench', 'humaneval'];
  const lines = [];
  for (let i = 0; i < count; i++) {
    const task = {
      kind: 'agent',
      eval: evals[i % 7],
      model: 'Qwen/Qwen3-1.7B-Base',
      agent: 'claude',
      config: 'claude-opus-4-6',
      hours: 10,
      gpus: 1,
      experiment: '_bench',
    };
    const key = ['ptb1', 'agent', task.eval, task.model, task.agent, task.config, '10', '1', '_bench'].join('|');
    lines.push(JSON.stringify({ at: '2026-11-29T00:00:00Z', key, task, jobId: FIRST_ID + i, script: '' }));
  }
  writeFileSync(file, lines.join('\n') + '\n');
}

function time(env) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    execFileSync(process.execPath, [ptb, 'status'], { env, stdio: 'ignore' });
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

export async function benchStatus() {
  const root = mkdtempSync(join(tmpdir(), 'ptb-bench-status-'));
  try {
    const env = (name) => ({ ...process.env, XDG_STATE_HOME: join(root, name), XDG_CONFIG_HOME: join(root, 'config') });
    ledger(join(root, 'full', 'ptb-slurm', 'ledger.jsonl'), JOBS);
    mkdirSync(join(root, 'empty'), { recursive: true });
    const empty = time(env('empty'));
    const full = time(env('full'));
    return [
      { benchmark: 'status', metric: `ptb status, empty ledger (median of ${runs})`, value: empty, unit: 'ms', ratio: 1, target: '' },
      { benchmark: 'status', metric: `ptb status, ${JOBS} jobs of history`, value: full, unit: 'ms', ratio: full / empty, target: '< 3000 ms' },
    ];
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await benchStatus()) console.log(`${r.metric}: ${r.value.toFixed(0)} ${r.unit} (${r.ratio.toFixed(2)}x) ${r.target}`);
}
