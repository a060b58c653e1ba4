import { Box, Text } from 'ink';
import { fit, fitColumns, GAP, type ColumnSpec } from '../src/text/columns.js';
import { colour, type Token } from '../src/app/theme.js';

export interface TableProps<K extends string> {
  columns: readonly ColumnSpec<K>[];
  rows: readonly Record<K, string>[];
  width: number;
  /** How many body lines fit; the window follows the selection. */
  height: number;
  selected?: number;
  tokenFor?: (row: Record<K, string>, key: K) => Token | undefined;
  empty: string;
}

/** A fixed-width table: header, then the rows that fit, the selected one inverted. */
export function Table<K extends string>({ columns, rows, width, height, selected, tokenFor, empty }: TableProps<K>) {
  const laid = fitColumns(columns, width);
  const gap = ' '.repeat(GAP);
  const visible = Math.max(1, height);
  const start = selected === undefined ? 0 : Math.max(0, Math.min(selected - visible + 1, rows.length - visible));
  const window = rows.slice(Math.max(0, start), Math.max(0, start) + visible);
  return (
    <Box flexDirection="column">
      <Text bold>{laid.map((c) => fit(c.title, c.width)).join(gap)}</Text>
      {rows.length === 0 ? (
        <Text color={colour('text.dim')}>{empty}</Text>
      ) : (
        window.map((row, i) => {
          const index = Math.max(0, start) + i;
          return (
            <Text key={index} inverse={index === selected} wrap="truncate">
              {laid.map((c, n) => (
                <Text key={c.key} color={tokenFor ? colour(tokenFor(row, c.key) ?? 'status.other') : undefined}>
                  {(n > 0 ? gap : '') + fit(row[c.key], c.width)}
                </Text>
              ))}
            </Text>
          );
        })
      )}
      {rows.length > visible ? <Text color={colour('text.dim')}>{`${rows.length - visible} more...`}</Text> : null}
    </Box>
  );
}
