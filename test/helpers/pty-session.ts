import { createRequire } from 'node:module';
import type * as XtermHeadless from '@xterm/headless';
import type { IPty } from 'node-pty';
import { waitFor } from './wait.js';

// @xterm/headless is CommonJS whose exports Node cannot detect statically.
const { Terminal } = createRequire(import.meta.url)('@xterm/headless') as typeof XtermHeadless;

/** Names for the bytes a user's keys send. */
export const keys = { up: '\x1b[A', down: '\x1b[B', enter: '\r', escape: '\x1b', ctrlC: '\x03' } as const;

/**
 * A program running in a real pseudo-terminal, its output interpreted by a headless xterm so
 * that tests read the screen a user would see. Waits print that screen when they time out.
 */
export class PtySession {
  private readonly terminal: InstanceType<typeof Terminal>;
  private exit: { exitCode: number; signal?: number } | undefined;
  private raw = '';

  private constructor(
    private readonly pty: IPty,
    cols: number,
    rows: number,
  ) {
    this.terminal = new Terminal({ cols, rows, allowProposedApi: true });
    pty.onData((data) => {
      this.raw += data;
      this.terminal.write(data);
    });
    pty.onExit((e) => {
      this.exit = e;
    });
  }

  static async start(
    command: string,
    args: string[],
    options: { cols: number; rows: number; env?: Record<string, string>; cwd?: string },
  ): Promise<PtySession> {
    const { spawn } = await import('node-pty');
    const env = { ...process.env, CI: 'false', TERM: 'xterm-256color', ...options.env } as Record<string, string>;
    const pty = spawn(command, args, { name: 'xterm-256color', cols: options.cols, rows: options.rows, cwd: options.cwd ?? process.cwd(), env });
    return new PtySession(pty, options.cols, options.rows);
  }

  /** The visible screen, one string per row, trailing spaces removed. */
  screen(): string {
    const buffer = this.terminal.buffer.active;
    const lines: string[] = [];
    for (let y = 0; y < this.terminal.rows; y++) lines.push(buffer.getLine(buffer.viewportY + y)?.translateToString(true) ?? '');
    return lines.join('\n');
  }

  /**
   * Rows of the visible screen that continue the row above: the program wrote past the right
   * edge and the terminal wrapped it (a line wider than the terminal, as the user sees it).
   */
  wrappedRows(): number[] {
    const buffer = this.terminal.buffer.active;
    const rows: number[] = [];
    for (let y = 0; y < this.terminal.rows; y++) if (buffer.getLine(buffer.viewportY + y)?.isWrapped) rows.push(y);
    return rows;
  }

  /** How the program ended, or undefined while it runs. */
  exitStatus(): { exitCode: number; signal?: number } | undefined {
    return this.exit;
  }

  /** Everything the program wrote, escape sequences included. */
  output(): string {
    return this.raw;
  }

  async waitForText(text: string | RegExp, timeoutMs = 15_000): Promise<void> {
    await this.flush();
    await waitFor(
      async () => {
        await this.flush();
        const screen = this.screen();
        return typeof text === 'string' ? screen.includes(text) : text.test(screen);
      },
      { timeoutMs, what: `${String(text)} on screen`, describe: () => `screen was:\n${this.screen()}`, intervalMs: 100 },
    );
  }

  press(data: string): void {
    this.pty.write(data);
  }

  /** Replaces the focused field's value (ctrl+u, then the text) and waits for what it should show. */
  async retype(text: string, expected: string | RegExp): Promise<void> {
    this.press('\x15');
    this.press(text);
    await this.waitForText(expected);
  }

  /** A lone esc: a key sent right after it would be read as alt+key (escape sequences start with esc). */
  async escape(): Promise<void> {
    this.press(keys.escape);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }

  resize(cols: number, rows: number): void {
    this.pty.resize(cols, rows);
    this.terminal.resize(cols, rows);
  }

  async waitForExit(timeoutMs = 10_000): Promise<{ exitCode: number; signal?: number }> {
    return waitFor(() => this.exit, { timeoutMs, what: 'the program to exit', describe: () => `screen was:\n${this.screen()}` });
  }

  kill(signal?: string): void {
    if (this.exit === undefined) this.pty.kill(signal);
  }

  /** xterm parses writes asynchronously: an empty write's callback marks "all parsed". */
  private flush(): Promise<void> {
    return new Promise((resolve) => this.terminal.write('', resolve));
  }
}
