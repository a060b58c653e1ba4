import { Box, Text } from 'ink';
import { fit, fitColumns, GAP, type ColumnSpec } from '../src/text/columns.js';
import { tableWindow } from '../src/text/window.js';
import { colour, type Token } from '../src/app/theme.js';

export interface TableProps<K extends string> {
  columns: readonly ColumnSpec<K>[];
  /** How many rows there are; only those of the window shown are built (`rowAt`). */
  total: number;
  rowAt: (index: number) => Record<K, string> | undefined;
  width: number;
  /** How many body lines fit; the window follows the selection. */
  height: number;
  selected?: number;
  tokenFor?: (row: Record<K, string>, key: K) => Token | undefined;
  empty: string;
}

/**
 * A fixed-width table: header, then the rows that fit. The selected one is inverted and marked
 * `>` in a gutter: visible without colour or styles too (a dumb terminal, a CI variable, NO_COLOR).
 */
export function Table<K extends string>({ columns, total, rowAt, width, height, selected, tokenFor, empty }: TableProps<K>) {
  const gutter = selected === undefined ? 0 : 1;
  const laid = fitColumns(columns, width - gutter);
  const gap = ' '.repeat(GAP);
  const { start, end, more } = tableWindow(total, selected, height);
  const lead = (on: boolean) => (gutter ? (on ? '>' : ' ') : '');
  return (
    <Box flexDirection="column">
      <Text bold>{lead(false) + laid.map((c) => fit(c.title, c.width)).join(gap)}</Text>
      {total === 0 ? (
        <Text color={colour('text.dim')}>{empty}</Text>
      ) : (
        Array.from({ length: end - start }, (_, i) => {
          const index = start + i;
          const row = rowAt(index);
          if (!row) return null;
          return (
            <Text key={index} inverse={index === selected} wrap="truncate">
              {lead(index === selected)}
              {laid.map((c, n) => (
                <Text key={c.key} color={tokenFor ? colour(tokenFor(row, c.key) ?? 'status.other') : undefined}>
                  {(n > 0 ? gap : '') + fit(row[c.key], c.width)}
                </Text>
              ))}
            </Text>
          );
        })
      )}
      {more > 0 ? <Text color={colour('text.dim')}>{`${more} more...`}</Text> : null}
    </Box>
  );
}
