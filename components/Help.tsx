import { Box, Text } from 'ink';
import type { View } from '../src/store/app-store.js';
import { fit } from '../src/ui/columns.js';
import { KEY_BINDINGS } from '../src/ui/keybindings.js';
import { colour } from '../src/ui/theme.js';

/**
 * The keys of the screen underneath, from the one table (the README lists them all): in two
 * columns when one does not fit the height.
 */
export function Help({ view, width, height }: { view: View; width: number; height: number }) {
  const bindings = KEY_BINDINGS.filter((b) => b.views === undefined || b.views.includes(view));
  const keyWidth = Math.max(...bindings.map((b) => b.keys.join(', ').length)) + 1;
  const rows = Math.max(1, height - 4);
  const columns = bindings.length > rows ? 2 : 1;
  const perColumn = Math.ceil(bindings.length / columns);
  const columnWidth = Math.floor((width - 4) / columns);
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1} width={width}>
      <Text bold>{`Keys here (${view})`}</Text>
      <Box>
        {Array.from({ length: columns }, (_, c) => (
          <Box key={c} flexDirection="column" width={columnWidth}>
            {bindings.slice(c * perColumn, (c + 1) * perColumn).map((b) => (
              <Text key={b.command} wrap="truncate">
                <Text color={colour('text.accent')}>{fit(b.keys.join(', '), keyWidth)}</Text>
                {fit(b.description, Math.max(1, columnWidth - keyWidth - 1))}
              </Text>
            ))}
          </Box>
        ))}
      </Box>
      <Text color={colour('text.dim')}>? closes this help</Text>
    </Box>
  );
}
