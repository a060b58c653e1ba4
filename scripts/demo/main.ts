// `npm run demo [-- --reset] [-- --no-history]`: lays out the demo site, seeds its history once,
// and prints the environment ptb runs with there, as `export` lines for scripts/demo.sh to eval.
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { shellQuote } from '../../src/process/shell-quote.js';
import { onPath } from '../../src/process/which.js';
import { isSecretName } from '../../src/slurm/env.js';
import { buildSite, bundledPtb, demoSite, resetSite, seedHistory } from './site.js';

const USAGE = 'usage: npm run demo [-- --reset] [-- --no-history] [-- --dir DIR]';
const args = process.argv.slice(2);
let dir = '.demo';
let reset = false;
let history = true;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--reset') reset = true;
  else if (a === '--no-history') history = false;
  else if (a === '--dir' && args[i + 1]) dir = args[++i] ?? dir;
  else {
    console.error(`demo: unknown option ${a}\n${USAGE}`);
    process.exit(2);
  }
}
const repo = resolve('.');
const site = demoSite(dir);
const ptb = bundledPtb(join(repo, 'dist', 'ptb.js'));
const log = (line: string) => process.stderr.write(`${line}\n`);
if (!onPath('uuidgen')) {
  log('demo: uuidgen is missing (upstream names every run with it): install it, e.g. `apt-get install uuid-runtime`, and run the demo again');
  process.exit(1);
}
if (reset) {
  try {
    await resetSite(site, ptb, log);
  } catch (error) {
    log(`demo: ${(error as Error).message}`);
    process.exit(1);
  }
  log(`demo: removed ${site.dir}; building it again`);
}
buildSite(site, join(repo, 'test', 'fixtures', 'ptb-checkout'));
const seeded = join(site.dir, 'state', 'history-seeded');
if (history && !existsSync(seeded)) {
  try {
    await seedHistory(site, ptb, log);
    writeFileSync(seeded, `${new Date().toISOString()}\n`);
  } catch (error) {
    log(
      `demo: the earlier experiment could not be seeded (ptb opens without it; \`npm run demo -- --reset\` tries again):\n${String((error as Error).message)}`,
    );
  }
}
const exported = ['PATH', 'XDG_CONFIG_HOME', 'XDG_CONFIG_DIRS', 'XDG_STATE_HOME', 'ANTHROPIC_API_KEY', 'OPENAI_API_KEY'];
// The user's own keys are not passed on: the demo's fake ones stand for them.
const unset = Object.keys(process.env).filter((k) => isSecretName(k) && !exported.includes(k));
process.stdout.write([...unset.map((k) => `unset ${k}`), ...exported.map((k) => `export ${k}=${shellQuote(site.env[k] ?? '')}`), ''].join('\n'));
