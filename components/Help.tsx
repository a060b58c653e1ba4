import { Box, Text } from 'ink';
import type { View } from '../src/store/app-store.js';
import { KEY_BINDINGS } from '../src/ui/keybindings.js';
import { colour } from '../src/ui/theme.js';

/** The keys of the screen underneath, from the one table (the README lists them all). */
export function Help({ view }: { view: View }) {
  const bindings = KEY_BINDINGS.filter((b) => b.views === undefined || b.views.includes(view));
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>{`Keys here (${view})`}</Text>
      {bindings.map((b) => (
        <Text key={b.command} wrap="truncate">
          <Text color={colour('text.accent')}>{b.keys.join(', ').padEnd(14)}</Text>
          {b.description}
        </Text>
      ))}
      <Text color={colour('text.dim')}>? closes this help</Text>
    </Box>
  );
}
