import { Box, Text } from 'ink';
import type { ShellSlice } from '../../src/app/store.js';
import { fit } from '../../src/text/columns.js';
import { colour } from '../../src/app/theme.js';

/** The embedded shell's screen, its cursor shown inverted, under a line that says how to leave. */
export function ShellPane({ shell, width, height }: { shell: ShellSlice; width: number; height: number }) {
  const rows = Math.max(1, height - 1);
  const waiting = shell.exited === null && !shell.printed;
  return (
    <Box flexDirection="column">
      <Text color={shell.exited === null ? colour('status.running') : colour('text.warning')} wrap="truncate">
        {shell.exited === null
          ? `shell on job ${shell.jobId}: ${shell.command} | ctrl+] detaches (ends the shell)`
          : `the shell on job ${shell.jobId} ended (exit ${shell.exited}): any key returns to the grid`}
      </Text>
      {waiting ? (
        // srun first waits for the step, then the shell reads its rc files: a slow one leaves the pane blank for a while.
        <Text color={colour('text.dim')} wrap="truncate">
          {'waiting for the shell: srun starts a step in the job, then the shell reads its rc files (~/.bashrc)...'}
        </Text>
      ) : null}
      {shell.lines.slice(0, waiting ? rows - 1 : rows).map((line, y) => {
        if (y !== shell.cursorY || shell.exited !== null) return <Text key={y}>{fit(line, width)}</Text>;
        const padded = fit(line, Math.max(width, shell.cursorX + 1));
        return (
          <Text key={y}>
            {padded.slice(0, shell.cursorX)}
            <Text inverse>{padded[shell.cursorX] ?? ' '}</Text>
            {padded.slice(shell.cursorX + 1, width)}
          </Text>
        );
      })}
    </Box>
  );
}
