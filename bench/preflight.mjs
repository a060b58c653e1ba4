#!/usr/bin/env node
// `ptb preflight --json` (the login-node checks) against an HF cache holding every model and
// dataset of the fixture's resources.json (~400 entries) plus 2000 unrelated folders, compared
// with `node -e 0` in the same run. Target: the checks finish in under 2 s.
// Needs a reachable Slurm (the local cluster) and a built dist/ptb.js.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './stats.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const ptb = join(repo, 'dist', 'ptb.js');
const fixture = join(repo, 'test', 'fixtures', 'ptb-checkout');
const runs = Number(process.env.BENCH_RUNS ?? 7);

function buildCache(hf) {
  const resources = JSON.parse(readFileSync(join(fixture, 'containers/download_hf_cache/resources.json'), 'utf8'));
  const hub = join(hf, 'hub');
  for (const model of resources.models) {
    const snapshot = join(hub, `models--${model.split('/').join('--')}`, 'snapshots', 'abc');
    mkdirSync(snapshot, { recursive: true });
    writeFileSync(join(snapshot, 'config.json'), '{}');
    writeFileSync(join(snapshot, 'model.safetensors'), 'w');
  }
  for (const entry of resources.datasets) mkdirSync(join(hub, `datasets--${entry.dataset.split('/').join('--')}`, 'snapshots', 'abc'), { recursive: true });
  for (let i = 0; i < 2000; i++) mkdirSync(join(hub, `datasets--other--unrelated-${i}`));
  return resources.models.length + resources.datasets.length + 2000;
}

const time = (args, env) => {
  const started = performance.now();
  try {
    execFileSync(process.execPath, args, { env, stdio: 'ignore' });
  } catch {
    // preflight exits 1 when a check fails (no containers here): the time still counts.
  }
  return performance.now() - started;
};

export async function benchPreflight() {
  const root = mkdtempSync(join(tmpdir(), 'ptb-bench-preflight-'));
  try {
    const dirs = Object.fromEntries(['config', 'hf', 'containers', 'results'].map((d) => [d, join(root, d)]));
    for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
    const entries = buildCache(dirs.hf);
    const env = { ...process.env, XDG_CONFIG_HOME: dirs.config };
    execFileSync(
      process.execPath,
      [ptb, '--checkout', fixture, 'setup', '--non-interactive', '--hf-home', dirs.hf, '--containers-dir', dirs.containers, '--results-dir', dirs.results],
      { env, stdio: 'ignore' },
    );
    const base = [];
    const checks = [];
    for (let i = 0; i < runs; i++) {
      base.push(time(['-e', '0'], env));
      checks.push(time([ptb, 'preflight', '--json'], env));
    }
    const b = median(base);
    const c = median(checks);
    return [
      { benchmark: 'preflight', metric: 'node -e 0 (baseline)', value: b, unit: 'ms', ratio: 1 },
      { benchmark: 'preflight', metric: `login checks, ${entries} cache dirs`, value: c, unit: 'ms', ratio: c / b, target: '< 2000 ms' },
    ];
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const row of await benchPreflight()) console.log(`${row.metric}: ${row.value.toFixed(1)} ${row.unit} (${row.ratio.toFixed(2)}x)`);
}
