import { Text } from 'ink';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { BottomLines } from '../../components/BottomLines.js';

const screen = (contentLines: number, height: number) => {
  const app = render(
    <BottomLines
      height={height}
      bottom={
        <>
          <Text>STATUS</Text>
          <Text>FOOTER</Text>
        </>
      }
    >
      {Array.from({ length: contentLines }, (_, i) => (
        <Text key={i}>{`line ${i}`}</Text>
      ))}
    </BottomLines>,
  );
  const lines = (app.lastFrame() ?? '').split('\n');
  app.unmount();
  return lines;
};

describe('a screen with its status bar and footer at the bottom', () => {
  it('keeps them on the last two lines under short content', () => {
    expect(screen(2, 6)).toEqual(['line 0', 'line 1', '', '', 'STATUS', 'FOOTER']);
  });

  it('cuts content too tall at its end, the first lines and the bottom lines intact', () => {
    expect(screen(9, 6)).toEqual(['line 0', 'line 1', 'line 2', 'line 3', 'STATUS', 'FOOTER']);
    expect(screen(200, 6)).toEqual(['line 0', 'line 1', 'line 2', 'line 3', 'STATUS', 'FOOTER']);
  });
});
