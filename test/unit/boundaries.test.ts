import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- the lint configuration is plain JavaScript, without types
import { boundaries } from '../../eslint.boundaries.js';
// @ts-expect-error -- the lint configuration is plain JavaScript, without types
import config from '../../eslint.config.js';

const eslint = new ESLint({
  overrideConfigFile: true,
  overrideConfig: [{ files: ['**/*.ts', '**/*.tsx'], languageOptions: { parser: tseslint.parser } }, ...(boundaries as object[])],
});

/** The messages the boundaries give `code` placed at `file`. */
async function refusals(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: file });
  return (result?.messages ?? []).map((m) => m.message);
}

describe('the layers, enforced by lint', () => {
  it('is part of the lint configuration the build runs', () => {
    expect(config).toEqual(expect.arrayContaining(boundaries as object[]));
  });

  it('keeps React out of src/: the engine and src/app draw nothing', async () => {
    expect(await refusals('src/monitor/x.ts', "import { Text } from 'ink';")).toEqual([expect.stringContaining('No React under src/')]);
    expect(await refusals('src/app/monitor/x.ts', "import { useState } from 'react';")).toEqual([expect.stringContaining('No React under src/')]);
    expect(await refusals('components/monitor/X.tsx', "import { Text } from 'ink';")).toEqual([]);
  });

  it('keeps the engine from its front ends, and src/app from the views', async () => {
    expect(await refusals('src/monitor/x.ts', "import type { AppStore } from '../app/store.js';")).toEqual([
      expect.stringContaining('The engine knows no front end'),
    ]);
    expect(await refusals('src/plan/x.ts', "import { main } from '../cli/main.js';")).toEqual([expect.stringContaining('The engine knows no front end')]);
    expect(await refusals('src/app/x.ts', "import { App } from '../../components/App.js';")).toEqual([expect.stringContaining('does not import the views')]);
    expect(await refusals('src/app/monitor/keys.ts', "import { rowId } from '../../monitor/grid.js';")).toEqual([]);
    expect(await refusals('src/cli/x.ts', "import { createAppStore } from '../app/store.js';")).toEqual([]);
  });

  it('spawns processes in src/process/run.ts only, and pseudo-terminals in src/terminal/ only', async () => {
    expect(await refusals('src/monitor/x.ts', "import { execa } from 'execa';")).toEqual([expect.stringContaining('src/process/run.ts')]);
    expect(await refusals('components/X.tsx', "import { spawn } from 'node:child_process';")).toEqual([expect.stringContaining('src/process/run.ts')]);
    expect(await refusals('src/process/run.ts', "import { execa } from 'execa';")).toEqual([]);
    expect(await refusals('src/monitor/x.ts', "import { spawn } from 'node-pty';")).toEqual([expect.stringContaining('src/terminal/')]);
    expect(await refusals('src/terminal/pty-shell.ts', "import type * as NodePty from 'node-pty';")).toEqual([]);
  });
});
