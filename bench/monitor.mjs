#!/usr/bin/env node
// The monitor's cost at 500, 1,000 and 5,000 of this setup's jobs held in the local queue: ptb's own
// CPU per refresh against the squeue call's, idle CPU, RSS, keystroke -> frame for j and for a `/`
// filter (median and p90), and the monitor's first rows against those of a few jobs (beside squeue's
// own answer time, which they wait for). The jobs belong to a dedicated user (made here, removed
// afterwards, with its jobs) so that nothing else in the queue counts. Needs root, the local cluster
// and a built dist/ptb.js.
import { spawn } from 'node-pty';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, rmSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { setupArgs } from './setup-args.mjs';
import { quantile } from './stats.mjs';

const run = promisify(execFile);
const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const ptb = join(repo, 'dist', 'ptb.js');
const USER = 'ptbbench';
const home = '/tmp/ptb-bench-monitor';
const sizes = (process.env.BENCH_MONITOR_SIZES ?? '500,1000,5000').split(',').map(Number);
const idleSeconds = Number(process.env.BENCH_MONITOR_IDLE ?? 30);
const intervalSeconds = 5;
const env = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: home,
  LANG: process.env.LANG ?? 'C.UTF-8',
  TERM: 'xterm-256color',
  XDG_CONFIG_HOME: join(home, 'config'),
  XDG_STATE_HOME: join(home, 'state'),
};
const asUser = (command, args) => ['runuser', ['-u', USER, '--', 'env', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), command, ...args]];

function makeUser() {
  if (spawnSync('id', [USER]).status !== 0) execFileSync('useradd', ['--no-create-home', '--home-dir', home, '--shell', '/bin/sh', USER]);
  rmSync(home, { recursive: true, force: true });
  for (const d of ['config', 'state', 'hf', 'containers', 'results']) mkdirSync(join(home, d), { recursive: true });
  execFileSync('chown', ['-R', `${USER}:${USER}`, home]);
  chmodSync(home, 0o755);
  const [cmd, args] = asUser(process.execPath, setupArgs({ hf: join(home, 'hf'), containers: join(home, 'containers'), results: join(home, 'results') }));
  execFileSync(cmd, args, { stdio: 'ignore' });
}

function removeUser() {
  spawnSync('scancel', ['-u', USER]);
  for (let i = 0; i < 60 && execFileSync('squeue', ['-h', '-u', USER, '-o', '%i'], { encoding: 'utf8' }).trim() !== ''; i++) spawnSync('sleep', ['1']);
  spawnSync('userdel', [USER]);
  rmSync(home, { recursive: true, force: true });
}

/** Adds held jobs of the setup until the queue holds `count` of them. */
async function holdJobs(have, count) {
  if (count <= have) return;
  const comments = execFileSync(
    process.execPath,
    [join(repo, 'scripts/run-ts.mjs'), join(repo, 'bench/monitor-comments.ts'), join(home, 'results'), String(count)],
    {
      cwd: repo,
      encoding: 'utf8',
    },
  )
    .trim()
    .split('\n')
    .slice(have);
  let next = 0;
  const worker = async () => {
    while (next < comments.length) {
      const comment = comments[next++];
      const [cmd, args] = asUser('sbatch', [
        '--hold',
        '--parsable',
        '--partition=cpu',
        '--time=10',
        '--output=/dev/null',
        `--comment=${comment}`,
        '--wrap=true',
      ]);
      // Slurm keeps ended jobs for MinJobAge (300 s) within MaxJobCount: right after another run it
      // refuses new ones for a while ("temporarily unable to accept job"), then takes them.
      for (let attempt = 0; ; attempt++) {
        try {
          await run(cmd, args);
          break;
        } catch (error) {
          if (attempt >= 200 || !/temporarily unable|temporarily unavailable/.test(String(error.stderr ?? ''))) throw error;
          await sleep(2_000);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

/** CPU seconds (user + system) of a process itself, and its RSS in MiB. */
function usage(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpu = (Number(fields[11]) + Number(fields[12])) / 100;
  const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  return { cpu, rss };
}

/**
 * One bare squeue call listing the user's jobs, array tasks apart, as ptb asks: its CPU seconds
 * (bash's `times`) and its wall time in ms (bash's `time`: the controller's answer included, the
 * shell's start apart), both to the millisecond.
 */
function squeueCall() {
  const [cmd, args] = asUser('bash', ['-c', 'TIMEFORMAT=%R; time squeue --me -r --noheader >/dev/null; times']);
  const { stdout, stderr } = spawnSync(cmd, args, { encoding: 'utf8' });
  const lines = stdout.trim().split('\n');
  const seconds = (t) => {
    const m = /(\d+)m([\d.]+)s/.exec(t);
    return m ? Number(m[1]) * 60 + Number(m[2]) : 0;
  };
  return { cpu: (lines.at(-1) ?? '').split(' ').reduce((sum, t) => sum + seconds(t), 0), wallMs: Number(stderr.trim().split('\n').at(-1)) * 1000 };
}

/** The median CPU (ms) and wall time (ms) of five squeue calls. */
function squeueCalls() {
  const calls = [1, 2, 3, 4, 5].map(squeueCall);
  const median = (values) => quantile(values, 0.5);
  return { cpuMs: median(calls.map((c) => c.cpu)) * 1000, wallMs: median(calls.map((c) => c.wallMs)) };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function measureAt(count, { firstRowsOnly = false, logPane = false } = {}) {
  // BENCH_MONITOR_PROFILE=DIR: a CPU profile of each ptb run goes there (chmod it for the bench user).
  const profile = process.env.BENCH_MONITOR_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_MONITOR_PROFILE] : [];
  const [cmd, args] = asUser(process.execPath, [...profile, ptb, '--interval', String(intervalSeconds)]);
  const child = spawn(cmd, args, { name: 'xterm-256color', cols: 120, rows: 40, cwd: home, env });
  let output = '';
  let waiter = null;
  child.onData((data) => {
    output += data;
    if (waiter?.test(output)) waiter.resolve();
  });
  const waitFor = (test, timeoutMs = 60_000) =>
    new Promise((resolve, reject) => {
      if (test(output)) return resolve();
      const timer = setTimeout(() => reject(new Error(`no ${test} after ${timeoutMs} ms: ${output.slice(-300)}`)), timeoutMs);
      waiter = { test, resolve: () => (clearTimeout(timer), (waiter = null), resolve()) };
    });
  /** Milliseconds from a key to the next bytes of a frame. */
  const keyToFrame = async (key) => {
    output = '';
    const started = performance.now();
    child.write(key);
    await waitFor((o) => o.length > 0, 10_000);
    const ms = performance.now() - started;
    await sleep(40);
    return ms;
  };
  // q, and its exit awaited: killing the pty ends runuser, not the ptb it started.
  const quit = () =>
    new Promise((resolve) => {
      child.onExit(resolve);
      setTimeout(resolve, 5_000);
      child.write('q');
    });
  try {
    await waitFor((o) => o.includes('Partitions'));
    const pid = Number(execFileSync('pgrep', ['-n', '-u', USER, '-f', 'dist/ptb.js'], { encoding: 'utf8' }).trim());
    const opened = performance.now();
    output = '';
    child.write('6');
    await waitFor((o) => o.includes(`ptb jobs (${count})`));
    const firstRows = performance.now() - opened;
    if (logPane) {
      // The pane opens on output.log (a held job's telltale log); two tabs back is Slurm's stdout.
      await keyToFrame('l');
      await keyToFrame('[');
      output = '';
      const pressed = performance.now();
      child.write('[');
      await waitFor((o) => o.includes(LAST_LOG_LINE), 10_000);
      const paneMs = performance.now() - pressed;
      await quit();
      return { paneMs };
    }
    if (firstRowsOnly) {
      await quit();
      return { firstRows };
    }
    await sleep(2_000);
    const before = usage(pid);
    await sleep(idleSeconds * 1000);
    const after = usage(pid);
    const j = [];
    for (let i = 0; i < 30; i++) j.push(await keyToFrame(i % 10 < 5 ? 'j' : 'k'));
    const filter = [];
    await keyToFrame('/');
    for (const ch of 'gsm8k qwen') filter.push(await keyToFrame(ch));
    await keyToFrame('\x1b');
    // A query typed faster than it is searched: from its last key to the rows that answer it.
    await keyToFrame('/');
    output = '';
    const typed = performance.now();
    for (const ch of 'gsm8k qwen') child.write(ch);
    await waitFor((o) => new RegExp(`ptb jobs \\((?!${count}\\))\\d+\\)`).test(o), 10_000);
    const queryRows = performance.now() - typed;
    await keyToFrame('\x1b');
    await quit();
    const idleCpu = after.cpu - before.cpu;
    return {
      idlePercent: (idleCpu / idleSeconds) * 100,
      perRefreshMs: (idleCpu / (idleSeconds / intervalSeconds)) * 1000,
      rss: after.rss,
      j,
      filter,
      queryRows,
    };
  } finally {
    try {
      child.kill();
    } catch {
      // gone already
    }
  }
}

/** The monitor's first rows, median of a few starts (one start is at the mercy of the machine's moment). */
async function firstRowsAt(count) {
  const times = [];
  for (let i = 0; i < 3; i++) times.push((await measureAt(count, { firstRowsOnly: true })).firstRows);
  return quantile(times, 0.5);
}

/** The end of the 2 GB Slurm stdout given to each of the few jobs (sparse: no disk used). */
const LAST_LOG_LINE = 'step 1999 of the agent';
const LOG_BYTES = 2 * 1024 ** 3;

/**
 * The log pane in the UI: from the key that shows a 2 GB stdout to its last line on the screen,
 * against `tail -n 500` of the same file (median of 3 each). The few held jobs get the file where
 * ptb looks for their stdout: a job not in an array has its own id while pending.
 */
async function logPaneAt(count) {
  const logs = join(`${join(home, 'results')}.ptb-slurm`, '_bench', 'logs');
  mkdirSync(logs, { recursive: true });
  const ids = execFileSync('squeue', ['-u', USER, '-h', '-o', '%i'], { encoding: 'utf8' }).trim().split('\n');
  const lines = Array.from({ length: 2000 }, (_, i) => `[2026-12-02T10:00:${String(i % 60).padStart(2, '0')}Z] step ${i} of the agent`).join('\n');
  for (const id of ids) {
    const file = join(logs, `${id}.out`);
    writeFileSync(file, '');
    truncateSync(file, LOG_BYTES);
    const fd = openSync(file, 'r+');
    writeSync(fd, `${lines}\n`, LOG_BYTES);
    closeSync(fd);
  }
  // ptb runs as the bench user, who owns its folders.
  execFileSync('chown', ['-R', `${USER}:${USER}`, join(home, 'results.ptb-slurm')]);
  const tail = [];
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    execFileSync('tail', ['-n', '500', join(logs, `${ids[0]}.out`)], { stdio: 'ignore' });
    tail.push(performance.now() - started);
  }
  const pane = [];
  for (let i = 0; i < 3; i++) pane.push((await measureAt(count, { logPane: true })).paneMs);
  return { tailMs: quantile(tail, 0.5), paneMs: quantile(pane, 0.5) };
}

/** The few jobs whose first rows are the baseline of every size's. */
const FEW = 5;

export async function benchMonitor() {
  makeUser();
  const rows = [];
  try {
    await holdJobs(0, FEW);
    let have = FEW;
    const fewFirstRows = await firstRowsAt(FEW);
    const fewSqueue = squeueCalls();
    rows.push(
      { benchmark: 'monitor', metric: `${FEW} jobs: first rows after 6 (baseline)`, value: fewFirstRows, unit: 'ms', ratio: 1 },
      { benchmark: 'monitor', metric: `${FEW} jobs: squeue call, wall time (baseline)`, value: fewSqueue.wallMs, unit: 'ms', ratio: 1 },
    );
    const log = await logPaneAt(FEW);
    rows.push(
      { benchmark: 'logs', metric: 'tail -n 500 of a 2 GB stdout (median of 3)', value: log.tailMs, unit: 'ms', ratio: 1 },
      { benchmark: 'logs', metric: 'log pane in the UI: key -> its last line', value: log.paneMs, unit: 'ms', ratio: log.paneMs / log.tailMs },
    );
    const rssAt = new Map();
    for (const count of sizes) {
      await holdJobs(have, count);
      have = count;
      const squeue = squeueCalls();
      const m = await measureAt(count);
      const firstRows = await firstRowsAt(count);
      rssAt.set(count, m.rss);
      const at = `${count} jobs`;
      rows.push(
        { benchmark: 'monitor', metric: `${at}: squeue call CPU (baseline)`, value: squeue.cpuMs, unit: 'ms', ratio: 1 },
        {
          benchmark: 'monitor',
          metric: `${at}: ptb's own CPU per refresh`,
          value: m.perRefreshMs,
          unit: 'ms',
          ratio: m.perRefreshMs / Math.max(1, squeue.cpuMs),
          target: '<= 1.0x',
        },
        {
          benchmark: 'monitor',
          metric: `${at}: idle CPU, ${intervalSeconds} s refresh`,
          value: m.idlePercent,
          unit: '%',
          ratio: m.idlePercent / Math.max(0.01, (squeue.cpuMs / (intervalSeconds * 1000)) * 100),
          target: count <= 500 ? '<= 1 %' : '<= 3 %',
        },
        { benchmark: 'monitor', metric: `${at}: RSS after ${idleSeconds} s`, value: m.rss, unit: 'MiB', ratio: 1, target: '<= 150 MiB at 5000' },
        { benchmark: 'monitor', metric: `${at}: first rows after 6`, value: firstRows, unit: 'ms', ratio: firstRows / fewFirstRows, target: '<= 1.3x' },
        // What the first rows wait for before ptb reads a line: squeue's own answer, against the few jobs'.
        { benchmark: 'monitor', metric: `${at}: squeue call, wall time`, value: squeue.wallMs, unit: 'ms', ratio: squeue.wallMs / fewSqueue.wallMs },
        { benchmark: 'monitor', metric: `${at}: j -> frame, median`, value: quantile(m.j, 0.5), unit: 'ms', ratio: 1, target: '<= 16 ms' },
        { benchmark: 'monitor', metric: `${at}: j -> frame, p90`, value: quantile(m.j, 0.9), unit: 'ms', ratio: 1, target: '<= 50 ms' },
        { benchmark: 'monitor', metric: `${at}: / filter key -> frame, median`, value: quantile(m.filter, 0.5), unit: 'ms', ratio: 1, target: '<= 16 ms' },
        { benchmark: 'monitor', metric: `${at}: / filter key -> frame, p90`, value: quantile(m.filter, 0.9), unit: 'ms', ratio: 1, target: '<= 50 ms' },
        { benchmark: 'monitor', metric: `${at}: / query typed at once -> its rows`, value: m.queryRows, unit: 'ms', ratio: 1 },
      );
    }
    // What one more job costs in memory: the RSS between the fewest and the most jobs measured.
    const counts = [...rssAt.keys()].sort((a, b) => a - b);
    const [fewest, most] = [counts[0], counts.at(-1)];
    if (counts.length > 1 && fewest !== undefined && most !== undefined) {
      const perJob = ((rssAt.get(most) - rssAt.get(fewest)) * 1024) / (most - fewest);
      rows.push({ benchmark: 'monitor', metric: `RSS per job, ${fewest} -> ${most} jobs`, value: perJob, unit: 'KiB', ratio: 1 });
    }
  } finally {
    removeUser();
  }
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const row of await benchMonitor())
    console.log(`${row.metric}: ${row.value.toFixed(1)} ${row.unit} (${row.ratio.toFixed(2)}x)${row.target ? ` target ${row.target}` : ''}`);
}
