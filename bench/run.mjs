#!/usr/bin/env node
// Runs every benchmark under bench/ and prints one table of numbers and ratios.
import { benchLogs } from './logs.mjs';
import { benchMonitor } from './monitor.mjs';
import { benchPreflight } from './preflight.mjs';
import { benchStartup } from './startup.mjs';
import { benchStatus } from './status.mjs';
import { benchSubmit } from './submit.mjs';

const rows = [
  ...(await benchStartup()),
  ...(await benchPreflight()),
  ...(await benchSubmit()),
  ...(await benchStatus()),
  ...(await benchLogs()),
  ...(await benchMonitor()),
];
const line = (cells) => cells.map((c, i) => String(c).padEnd([10, 44, 12, 8, 10][i] ?? 10)).join(' ');
console.log(line(['benchmark', 'metric', 'value', 'ratio', 'target']));
for (const r of rows) console.log(line([r.benchmark, r.metric, `${r.value.toFixed(1)} ${r.unit}`, `${r.ratio.toFixed(2)}x`, r.target ?? '']));
