/**
 * Takes a submission lock and holds it until killed: `node scripts/run-ts.mjs
 * test/helpers/hold-submit-lock.ts LOCKFILE`. Prints `held` once it holds it; survives a hangup.
 */
import { withSubmitLock } from '../../src/submit/submit-lock.js';

const [lockFile] = process.argv.slice(2);
if (!lockFile) throw new Error('usage: hold-submit-lock.ts LOCKFILE');
// As the TUI does: a hangup of the terminal ends the screen, not the submission under way.
process.on('SIGHUP', () => undefined);
await withSubmitLock(lockFile, { what: 'a test holder' }, async () => {
  process.stdout.write('held\n');
  await new Promise(() => setInterval(() => undefined, 1000));
});
