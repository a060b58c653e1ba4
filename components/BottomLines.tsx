import { Box } from 'ink';
import type { ReactNode } from 'react';

/**
 * A screen of `height` lines whose last lines (the status bar, the footer) stay at the bottom
 * however short the content. Content too tall is cut at its end: Ink would otherwise shrink
 * every line of it, dropping lines all over the screen and drawing the footer over the content.
 */
export function BottomLines({ height, bottom, children }: { height: number; bottom: ReactNode; children: ReactNode }) {
  return (
    <Box flexDirection="column" height={height}>
      <Box flexDirection="column" flexGrow={1} flexShrink={1} overflow="hidden">
        <Box flexDirection="column" flexShrink={0}>
          {children}
        </Box>
      </Box>
      <Box flexDirection="column" flexShrink={0}>
        {bottom}
      </Box>
    </Box>
  );
}
