import { Box, Text } from 'ink';
import { KEY_BINDINGS } from '../src/ui/keybindings.js';
import { colour } from '../src/ui/theme.js';

/** Every key binding, from the one table. */
export function Help() {
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>Keys</Text>
      {KEY_BINDINGS.map((b) => (
        <Text key={b.command}>
          <Text color={colour('text.accent')}>{b.keys.join(', ').padEnd(10)}</Text>
          {b.description}
        </Text>
      ))}
      <Text color={colour('text.dim')}>? closes this help</Text>
    </Box>
  );
}
