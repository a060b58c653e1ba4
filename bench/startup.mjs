#!/usr/bin/env node
// Time to first frame of the bundled ptb, against `node -e 0` measured in the same run, both
// spawned in a real pseudo-terminal. Prints medians and the ratio (target: <= 2.0x).
// Needs a reachable Slurm (the local cluster) and a built dist/ptb.js.
import { spawn } from 'node-pty';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { setupArgs } from './setup-args.mjs';
import { median } from './stats.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const ptb = join(repo, 'dist', 'ptb.js');
const runs = Number(process.env.BENCH_RUNS ?? 15);

/**
 * What a user's login shell gives both commands: not npm's variables, nor an inherited
 * NODE_EXTRA_CA_CERTS (which makes every node start read a certificate bundle: 4-7x slower for
 * `node -e 0`, which would shrink every ratio printed here).
 */
export const CLEAN_ENV = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => ['PATH', 'HOME', 'LANG', 'LC_ALL', 'USER', 'LOGNAME', 'SHELL', 'TZ'].includes(name)),
);

/** A private configuration, so that ptb opens on the overview (not the first-run wizard). */
function configuredHome() {
  const root = mkdtempSync(join(tmpdir(), 'ptb-bench-'));
  const dirs = ['config', 'hf', 'containers', 'results', 'state'].map((name) => {
    mkdirSync(join(root, name));
    return join(root, name);
  });
  // Its own (empty) ledger too: with jobs in one, ptb would open on the monitor.
  const env = { ...CLEAN_ENV, XDG_CONFIG_HOME: dirs[0], XDG_STATE_HOME: dirs[4] };
  execFileSync(process.execPath, setupArgs({ hf: dirs[1], containers: dirs[2], results: dirs[3] }), { env, stdio: 'ignore' });
  return { env, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** Milliseconds from spawn until `done(output)` holds (or the process exits, for `node -e 0`). */
function measure(args, done, env = CLEAN_ENV) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let output = '';
    let finished = false;
    const child = spawn(process.execPath, args, { name: 'xterm-256color', cols: 120, rows: 30, cwd: repo, env: { ...env, TERM: 'xterm-256color' } });
    const finish = () => {
      if (finished) return;
      finished = true;
      resolve(performance.now() - started);
      try {
        child.kill();
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => reject(new Error(`no first frame after 10 s; output: ${output.slice(0, 400)}`)), 10_000);
    child.onData((data) => {
      output += data;
      if (done && done(output)) {
        clearTimeout(timer);
        finish();
      }
    });
    child.onExit(() => {
      clearTimeout(timer);
      if (!done) finish();
      else if (!finished) reject(new Error(`ptb exited before its first frame: ${output.slice(0, 400)}`));
    });
  });
}

export async function benchStartup() {
  const baseline = [];
  const firstFrame = [];
  const home = configuredHome();
  for (let i = 0; i < runs + 2; i++) {
    // Interleaved, so that both see the same machine load; the first two rounds warm the caches.
    const b = await measure(['-e', '0']);
    const f = await measure([ptb], (out) => out.includes('Partitions'), home.env);
    if (i >= 2) {
      baseline.push(b);
      firstFrame.push(f);
    }
  }
  home.remove();
  const base = median(baseline);
  const frame = median(firstFrame);
  return [
    { benchmark: 'startup', metric: 'node -e 0 (baseline)', value: base, unit: 'ms', ratio: 1 },
    { benchmark: 'startup', metric: 'ptb first frame', value: frame, unit: 'ms', ratio: frame / base, target: '<= 2.0x' },
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const row of await benchStartup()) console.log(`${row.metric}: ${row.value.toFixed(1)} ${row.unit} (${row.ratio.toFixed(2)}x)`);
}
