import { Box, Text } from 'ink';
import type { View } from '../src/app/navigation.js';
import { fit } from '../src/text/columns.js';
import { helpBindings, helpDescription, keysLabel } from '../src/app/keybindings.js';
import { colour } from '../src/app/theme.js';

/**
 * The keys of the screen underneath, from the one table (the README lists them all): in two
 * columns when one does not fit the height.
 */
export function Help({ view, width, height }: { view: View; width: number; height: number }) {
  // The keys that work everywhere first: on a short terminal the screen's rarer keys give way.
  const bindings = helpBindings(view);
  const rows = Math.max(1, height - 3);
  // A third column only where the descriptions stay readable; below that the README has the rest.
  const columns = bindings.length <= rows ? 1 : bindings.length <= rows * 2 || width < 150 ? 2 : 3;
  const perColumn = Math.min(rows, Math.ceil(bindings.length / columns));
  const columnWidth = Math.floor((width - 4) / columns);
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1} width={width}>
      <Text bold>
        {`Keys here (${view})`}
        <Text color={colour('text.dim')}>
          {bindings.length > perColumn * columns ? ` - ? closes, ${bindings.length - perColumn * columns} more in the README` : ' - ? or esc closes'}
        </Text>
      </Text>
      <Box>
        {Array.from({ length: columns }, (_, c) => {
          const shown = bindings.slice(c * perColumn, (c + 1) * perColumn);
          // Each column as wide as its own keys: a long one elsewhere does not cut these descriptions.
          const keyWidth = Math.max(0, ...shown.map((b) => keysLabel(b.keys).length)) + 1;
          return (
            <Box key={c} flexDirection="column" width={columnWidth}>
              {shown.map((b) => (
                <Text key={`${b.mode ?? ''}${b.command}`} wrap="truncate">
                  <Text color={colour('text.accent')}>{fit(keysLabel(b.keys), keyWidth)}</Text>
                  {fit(helpDescription(b), Math.max(1, columnWidth - keyWidth - 1))}
                </Text>
              ))}
            </Box>
          );
        })}
      </Box>
    </Box>
  );
}
