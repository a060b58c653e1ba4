import { Box, Text } from 'ink';
import { LOG_TABS, TAB_TITLES } from '../../src/monitor/log-tabs.js';
import { PAGER_TAIL_BYTES } from '../../src/logs/redact-stream.js';
import type { LogsSlice } from '../../src/app/store.js';
import { fit } from '../../src/text/columns.js';
import { logWindow } from '../../src/logs/log-window.js';
import { colour } from '../../src/app/theme.js';

/** Tabs, the resolved path (or why there is none), then the redacted lines of the selected job's log. */
export function LogPane({ logs, width, height }: { logs: LogsSlice; width: number; height: number }) {
  const tabs = LOG_TABS.map((t) => (t === logs.tab ? `[${TAB_TITLES[t]}]` : TAB_TITLES[t])).join(' ');
  const state = logs.scroll === 0 ? 'following' : `${logs.scroll} line(s) up (G follows)`;
  const search = logs.searching || logs.search ? ` | /${logs.search}${logs.searching ? '_' : ''} (n, N)` : '';
  const where =
    logs.missing ??
    (logs.path ? `${logs.path}${logs.exists ? '' : logs.deleted ? ' (deleted: below is what it held)' : ' (not written yet: it shows when it is)'}` : '');
  const notes = [
    logs.phase ? `phase: ${logs.phase}` : '',
    logs.silence ?? '',
    logs.restarted ? 'the file was rewritten: read again' : '',
    logs.skippedBytes > 0
      ? `${Math.round(logs.skippedBytes / 1024 / 1024)} MB before these lines not read (o ${logs.skippedBytes > PAGER_TAIL_BYTES ? `shows its last ${PAGER_TAIL_BYTES / 1024 / 1024} MB` : 'opens it whole'})`
      : '',
  ]
    .filter(Boolean)
    .join(' | ');
  const bodyHeight = Math.max(1, height - 3);
  const lines = logWindow(logs, width, bodyHeight);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        <Text color={colour('text.accent')}>{`${fit(tabs, Math.max(10, width - state.length - search.length - 3))}`}</Text>
        <Text color={logs.scroll === 0 ? colour('status.running') : colour('text.warning')}>{` ${state}${search}`}</Text>
      </Text>
      <Text color={colour('text.dim')} wrap="truncate">
        {where || ' '}
      </Text>
      <Text color={colour('text.warning')} wrap="truncate">
        {notes || ' '}
      </Text>
      {lines.length === 0 ? (
        <Text color={colour('text.dim')}>{logs.exists ? '(empty)' : ' '}</Text>
      ) : (
        lines.map((line, i) => (
          <Text key={i} wrap="truncate" inverse={logs.search !== '' && line.toLowerCase().includes(logs.search.toLowerCase())}>
            {line === '' ? ' ' : line}
          </Text>
        ))
      )}
    </Box>
  );
}
