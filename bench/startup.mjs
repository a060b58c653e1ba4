#!/usr/bin/env node
// Time to the first frame of the bundled ptb, and to its overview, against `node -e 0` measured in
// the same run, all spawned in a real pseudo-terminal. The first frame (ptb's title) is drawn before
// the TUI loads; the overview is Ink's first frame, whose floor is Ink alone drawing two lines
// (bench/ink-floor.tsx, bundled as ptb is). Prints medians and ratios (target: first frame <= 2.0x).
// Needs a reachable Slurm (the local cluster) and a built dist/ptb.js; run from the repository.
import { spawn } from 'node-pty';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';
import { bundleOptions } from '../scripts/build.mjs';
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

/**
 * Milliseconds from spawn until each of `marks` shows in the output, in order (or until the
 * process exits, for none: `node -e 0`).
 */
function measure(args, marks = [], env = CLEAN_ENV) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const times = [];
    let output = '';
    let finished = false;
    const child = spawn(process.execPath, args, { name: 'xterm-256color', cols: 120, rows: 30, cwd: repo, env: { ...env, TERM: 'xterm-256color' } });
    const finish = () => {
      if (finished) return;
      finished = true;
      resolve(times);
      try {
        child.kill();
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => reject(new Error(`no frame after 10 s; output: ${output.slice(0, 400)}`)), 10_000);
    child.onData((data) => {
      output += data;
      while (times.length < marks.length && output.includes(marks[times.length])) times.push(performance.now() - started);
      if (marks.length > 0 && times.length === marks.length) {
        clearTimeout(timer);
        finish();
      }
    });
    child.onExit(() => {
      clearTimeout(timer);
      if (marks.length === 0) {
        times.push(performance.now() - started);
        finish();
      } else if (!finished) reject(new Error(`${args.join(' ')} exited before its frame: ${output.slice(0, 400)}`));
    });
  });
}

/** Ink alone, bundled with ptb's own build options (its plugins and patches), into a scratch folder. */
async function buildInkFloor() {
  const outdir = mkdtempSync(join(tmpdir(), 'ptb-ink-floor-'));
  await build({ ...bundleOptions, entryPoints: { floor: join(repo, 'bench', 'ink-floor.tsx') }, outdir, sourcemap: false, legalComments: 'none' });
  return { file: join(outdir, 'floor.js'), remove: () => rmSync(outdir, { recursive: true, force: true }) };
}

export async function benchStartup() {
  const { version } = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
  const samples = { base: [], floor: [], title: [], overview: [] };
  const home = configuredHome();
  const floor = await buildInkFloor();
  try {
    for (let i = 0; i < runs + 2; i++) {
      // Interleaved, so that all see the same machine load; the first two rounds warm the caches.
      const [base] = await measure(['-e', '0']);
      const [ink] = await measure([floor.file], ['Partitions']);
      const [title, overview] = await measure([ptb], [`ptb ${version}`, 'Partitions'], home.env);
      if (i < 2) continue;
      samples.base.push(base);
      samples.floor.push(ink);
      samples.title.push(title);
      samples.overview.push(overview);
    }
  } finally {
    home.remove();
    floor.remove();
  }
  const base = median(samples.base);
  const row = (metric, values, target) => ({ benchmark: 'startup', metric, value: median(values), unit: 'ms', ratio: median(values) / base, target });
  return [
    row('node -e 0 (baseline)', samples.base),
    row('ptb first frame (its title)', samples.title, '<= 2.0x'),
    row('Ink alone, two lines (floor of the next)', samples.floor),
    row('ptb overview drawn', samples.overview),
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const row of await benchStartup()) console.log(`${row.metric}: ${row.value.toFixed(1)} ${row.unit} (${row.ratio.toFixed(2)}x)`);
}
