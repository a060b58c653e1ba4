import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { ShellPane } from '../../components/monitor/ShellPane.js';
import type { ShellSlice } from '../../src/app/store.js';

const shell = (lines: string[], exited: number | null = null, printed = lines.some((l) => l !== '')): ShellSlice => ({
  jobId: '42',
  command: 'srun --jobid=42 --overlap --pty /bin/bash',
  lines,
  cursorX: 0,
  cursorY: 0,
  exited,
  printed,
});
const frame = (s: ShellSlice) => {
  const app = render(<ShellPane shell={s} width={100} height={6} />);
  const text = app.lastFrame() ?? '';
  app.unmount();
  return text;
};

describe('the shell pane', () => {
  it('says what it waits for while the shell has printed nothing, and fits its height', () => {
    const text = frame(shell(['', '', '', '', '']));
    expect(text).toContain('waiting for the shell: srun starts a step in the job');
    expect(text.split('\n')).toHaveLength(6);
  });

  it('shows the shell screen once it printed something, also when a program clears it later, and no waiting line after it ended', () => {
    expect(frame(shell(['[me@node01 ~]$ ', '', '', '', '']))).not.toContain('waiting for the shell');
    expect(frame(shell(['', '', '', '', ''], null, true))).not.toContain('waiting for the shell');
    expect(frame(shell(['', '', '', '', ''], 0))).not.toContain('waiting for the shell');
  });
});
