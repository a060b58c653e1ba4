#!/usr/bin/env node
// The log pane's reader opening a 2 GB log and showing its last 500 lines, against `tail -n 500`
// on the same file in the same run. Targets: at most 3x tail's time, RSS growth at most 20 MB.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { median } from './stats.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.env.BENCH_RUNS ?? 7);

export async function benchLogs() {
  const root = mkdtempSync(join(tmpdir(), 'ptb-bench-logs-'));
  try {
    const module = join(root, 'tail.mjs');
    await build({ entryPoints: [join(repo, 'src/logs/tail-file.ts')], bundle: true, platform: 'node', format: 'esm', outfile: module, logLevel: 'silent' });
    const { createTail } = await import(module);
    // A sparse 2 GB file (no disk used) whose last 2000 lines are an agent trace.
    const file = join(root, 'solve_out.txt');
    writeFileSync(file, '');
    const size = 2 * 1024 ** 3;
    truncateSync(file, size);
    const fd = openSync(file, 'r+');
    writeSync(
      fd,
      Array.from({ length: 2000 }, (_, i) => `[2026-11-29T10:00:${String(i % 60).padStart(2, '0')}Z] {"type":"assistant","message":"step ${i}"}`).join('\n') +
        '\n',
      size,
    );
    closeSync(fd);

    const tailTimes = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      execFileSync('tail', ['-n', '500', file], { stdio: 'ignore' });
      tailTimes.push(performance.now() - started);
    }
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    const ptbTimes = [];
    let last = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const tail = createTail(file);
      await tail.poll();
      last = tail.snapshot().lines.slice(-500);
      ptbTimes.push(performance.now() - started);
    }
    const growth = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;
    if (last.length !== 500 || !last[499]?.includes('step 1999')) throw new Error('the reader did not show the last 500 lines');
    const tailMs = median(tailTimes);
    const ptbMs = median(ptbTimes);
    return [
      { benchmark: 'logs', metric: `tail -n 500 of a 2 GB file (median of ${runs})`, value: tailMs, unit: 'ms', ratio: 1, target: '' },
      { benchmark: 'logs', metric: 'log pane: open it, last 500 lines', value: ptbMs, unit: 'ms', ratio: ptbMs / tailMs, target: '<= 3x' },
      { benchmark: 'logs', metric: 'log pane: RSS growth', value: growth, unit: 'MB', ratio: growth / 20, target: '<= 20 MB' },
    ];
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await benchLogs()) console.log(`${r.metric}: ${r.value.toFixed(1)} ${r.unit} (${r.ratio.toFixed(2)}x) ${r.target}`);
}
