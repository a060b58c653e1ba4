import { slurmClientsOnPath } from '../process/which.js';
import { enterScreen, leaveScreen } from '../terminal/screen.js';

/**
 * Whether `ptb` with these arguments opens the TUI at once: then its first frame can be drawn before
 * the rest of ptb loads. Only the bare command: any option or subcommand goes through the full
 * parser first, which may refuse it with a message that must stay on the user's screen.
 */
export function opensTuiAtOnce(argv: readonly string[], stdin: { isTTY?: boolean }, stdout: { isTTY?: boolean }): boolean {
  return argv.length === 0 && stdin.isTTY === true && stdout.isTTY === true && slurmClientsOnPath();
}

/**
 * ptb's title on its own screen, within a few milliseconds of node's start: loading the TUI (Ink,
 * React, its layout engine, the engine) takes several times node's own start, on a login node whose
 * home is on a network file system longer still. Keys typed meanwhile wait, unechoed, for the TUI.
 */
export function drawFirstFrame(version: string, stdin: NodeJS.ReadStream = process.stdin, stdout: NodeJS.WriteStream = process.stdout): void {
  // Raw before the title shows: a key pressed on seeing it is already the TUI's.
  stdin.setRawMode(true);
  enterScreen(stdout);
  stdout.write(`\x1b[1mptb ${version}\x1b[22m | starting...`);
  // A way out before the TUI takes the terminal (an internal error) gives the shell its screen and its line editing back.
  process.once('exit', () => {
    leaveScreen(stdout);
    if (stdin.isTTY) stdin.setRawMode(false);
  });
}
