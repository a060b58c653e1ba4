import { Box } from 'ink';
import type { ReactNode } from 'react';

/** A screen of `height` lines whose last lines (the status bar, the footer) stay at the bottom however short the content. */
export function BottomLines({ height, bottom, children }: { height: number; bottom: ReactNode; children: ReactNode }) {
  return (
    <Box flexDirection="column" height={height}>
      <Box flexDirection="column" flexGrow={1} overflow="hidden">
        {children}
      </Box>
      {bottom}
    </Box>
  );
}
