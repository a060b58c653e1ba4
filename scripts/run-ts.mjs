#!/usr/bin/env node
// Runs a TypeScript entry point of this repo (a script or a benchmark) by bundling it with esbuild first.
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [entry, ...rest] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/run-ts.mjs FILE.ts [args...]');
  process.exit(2);
}
// Inside node_modules so that the bundle's bare imports resolve to this repo's packages.
const cache = resolve('node_modules/.cache');
mkdirSync(cache, { recursive: true });
const dir = mkdtempSync(join(cache, 'ptb-run-ts-'));
// At exit, not in a finally: a script that ends with process.exit() never gets back here.
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const outfile = join(dir, 'entry.mjs');
await build({
  entryPoints: [resolve(entry)],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  absWorkingDir: process.cwd(),
  logLevel: 'warning',
});
process.argv = [process.argv[0], resolve(entry), ...rest];
await import(pathToFileURL(outfile).href);
