import type { AppStore } from '../store.js';
import { openPtyShell, type PtyShell } from '../../terminal/pty-shell.js';
import { shellCommand } from '../../monitor/job-shell.js';
import type { UndiagnosedJob } from '../../monitor/ptb-job.js';

/** How often the embedded shell's screen is copied into the store: smooth typing, no render storm. */
const FRAME_MS = 40;

/**
 * The shell pane's program, outside React: `srun --overlap --pty $SHELL` in node-pty, its screen
 * kept by a terminal emulator and copied into the store; keys go back to it as bytes.
 */
export function createShellSession(store: AppStore) {
  let shell: PtyShell | null = null;
  let timer: NodeJS.Timeout | undefined;
  const publish = () => {
    timer = undefined;
    if (!shell) return;
    const screen = shell.screen();
    const printed = screen.lines.some((line) => line.trim() !== '');
    store.getState().setShell((s) => (s ? { ...s, ...screen, printed: s.printed || printed } : s));
  };
  const schedule = () => {
    timer ??= setTimeout(publish, FRAME_MS);
  };
  return {
    /** Opens the pane on a running job; resolves to why it could not (node-pty missing...), or null. */
    async open(job: UndiagnosedJob, size: { cols: number; rows: number }): Promise<string | null> {
      if (shell) return 'a shell is already open';
      const [command, args] = shellCommand(job);
      const opened = await openPtyShell(command, args, size, {
        data: schedule,
        exit: (code) => store.getState().setShell((s) => (s ? { ...s, exited: code } : s)),
      });
      if (!opened.ok) return opened.reason;
      shell = opened.shell;
      store
        .getState()
        .setShell(() => ({ jobId: job.id, command: `${command} ${args.join(' ')}`, lines: [], cursorX: 0, cursorY: 0, exited: null, printed: false }));
      // What the shell printed before the pane existed (its prompt) is on the emulator's screen already.
      publish();
      return null;
    },
    write(data: string) {
      shell?.write(data);
    },
    resize(cols: number, rows: number) {
      shell?.resize(cols, rows);
    },
    /** Detaches: the program is ended (srun ends the step), the pane closes. */
    close() {
      clearTimeout(timer);
      timer = undefined;
      shell?.kill();
      shell = null;
      store.getState().setShell(() => null);
    },
  };
}

export type ShellSession = ReturnType<typeof createShellSession>;
