// The alternate screen, entered once per process: ptb's first frame is drawn on it before the TUI's
// modules load (src/cli/first-frame.ts), and the TUI then draws on the same screen rather than
// entering it again (which some terminals take as "clear and save the cursor twice").

const ENTER = '\x1b[?1049h\x1b[H';
const LEAVE = '\x1b[?1049l';
const CLEAR = '\x1b[H\x1b[2J';

interface Terminal {
  write(text: string): unknown;
}

let entered = false;

/** On the alternate screen, clear, the cursor at the top left. */
export function enterScreen(stdout: Terminal = process.stdout): void {
  stdout.write(entered ? CLEAR : ENTER);
  entered = true;
}

/** Back to the user's shell screen and scrollback; nothing when ptb is not on the alternate screen. */
export function leaveScreen(stdout: Terminal = process.stdout): void {
  if (!entered) return;
  entered = false;
  stdout.write(LEAVE);
}
