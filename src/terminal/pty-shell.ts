import type * as NodePty from 'node-pty';
import type * as XTerm from '@xterm/headless';
import { errorMessage } from '../text/error-message.js';

/**
 * A program in a pseudo-terminal drawn inside ptb: node-pty runs it, a headless terminal
 * emulator (@xterm/headless) keeps its screen, ptb shows that screen's lines and sends it keys.
 * node-pty is native and optional: where it cannot load, the caller is told why.
 */
export interface PtyShell {
  /** The emulator's visible lines, and where its cursor is. */
  screen(): { lines: string[]; cursorX: number; cursorY: number };
  write(data: string): void;
  resize(cols: number, rows: number): void;
  kill(): void;
}

export type PtyOpen = { ok: true; shell: PtyShell } | { ok: false; reason: string };

export async function openPtyShell(
  command: string,
  args: readonly string[],
  size: { cols: number; rows: number },
  on: { data: () => void; exit: (code: number) => void },
): Promise<PtyOpen> {
  let pty: typeof NodePty;
  try {
    pty = await import('node-pty');
  } catch (error) {
    return { ok: false, reason: `node-pty cannot load here (${error instanceof Error ? error.message.split('\n')[0] : String(error)})` };
  }
  // A CommonJS module: loaded from its own chunk of the bundle, its exports are under `default`.
  const xterm: typeof XTerm & { default?: typeof XTerm } = await import('@xterm/headless');
  const Terminal = xterm.default?.Terminal ?? xterm.Terminal;
  const term = new Terminal({ cols: size.cols, rows: size.rows, allowProposedApi: true, scrollback: 1000 });
  let child;
  try {
    child = pty.spawn(command, [...args], { cols: size.cols, rows: size.rows, cwd: process.cwd(), env: process.env });
  } catch (error) {
    term.dispose();
    return { ok: false, reason: `${command} did not start: ${errorMessage(error)}` };
  }
  child.onData((data) => term.write(data, on.data));
  child.onExit(({ exitCode }) => on.exit(exitCode));
  return {
    ok: true,
    shell: {
      screen: () => {
        const buffer = term.buffer.active;
        const lines: string[] = [];
        for (let y = 0; y < term.rows; y++) lines.push(buffer.getLine(buffer.viewportY + y)?.translateToString(true) ?? '');
        return { lines, cursorX: buffer.cursorX, cursorY: buffer.cursorY };
      },
      write: (data) => child.write(data),
      resize: (cols, rows) => {
        child.resize(cols, rows);
        term.resize(cols, rows);
      },
      kill: () => {
        child.kill();
        term.dispose();
        // srun may take its time ending the step on SIGHUP; its pseudo-terminal keeps ptb from exiting meanwhile.
        const stubborn = setTimeout(() => {
          try {
            child.kill('SIGKILL');
          } catch {
            // Already gone.
          }
        }, 2_000);
        stubborn.unref();
      },
    },
  };
}

/** The bytes a terminal sends for a key as Ink reports it (a shell needs no more than these). */
export function keyBytes(
  input: string,
  key: {
    return?: boolean;
    backspace?: boolean;
    delete?: boolean;
    tab?: boolean;
    shift?: boolean;
    escape?: boolean;
    upArrow?: boolean;
    downArrow?: boolean;
    leftArrow?: boolean;
    rightArrow?: boolean;
    ctrl?: boolean;
    meta?: boolean;
    pageUp?: boolean;
    pageDown?: boolean;
  },
): string {
  if (key.return) return '\r';
  if (key.backspace || key.delete) return '\x7f';
  if (key.tab) return key.shift ? '\x1b[Z' : '\t';
  if (key.escape) return '\x1b';
  if (key.upArrow) return '\x1b[A';
  if (key.downArrow) return '\x1b[B';
  if (key.rightArrow) return '\x1b[C';
  if (key.leftArrow) return '\x1b[D';
  if (key.pageUp) return '\x1b[5~';
  if (key.pageDown) return '\x1b[6~';
  if (key.ctrl && /^[a-z]$/i.test(input)) return String.fromCharCode(input.toLowerCase().charCodeAt(0) - 96);
  return key.meta ? `\x1b${input}` : input;
}
