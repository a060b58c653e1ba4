// The least an Ink app does before its first frame: two lines on the alternate screen. Built the way
// ptb is (scripts/build.mjs), it is the floor under ptb's own overview in bench/startup.mjs.
import { Box, render, Text } from 'ink';

process.stdout.write('\x1b[?1049h\x1b[H');
render(
  <Box flexDirection="column">
    <Text bold>ptb</Text>
    <Text>Partitions</Text>
  </Box>,
);
// The benchmark ends it once it has seen the frame.
setTimeout(() => process.exit(0), 10_000);
