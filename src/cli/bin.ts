import pkg from '../../package.json' with { type: 'json' };
import { leaveScreen } from '../terminal/screen.js';
import { drawFirstFrame, opensTuiAtOnce } from './first-frame.js';

const argv = process.argv.slice(2);
if (opensTuiAtOnce(argv, process.stdin, process.stdout)) drawFirstFrame(pkg.version);
// Everything else (the parser, the engine, the TUI) loads after the first frame is on the screen.
const { main } = await import('./main.js');

main(argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A bug, not a user mistake: show everything needed to report it, on the user's own screen.
    leaveScreen();
    process.stderr.write(`ptb: internal error (please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 70;
  },
);
