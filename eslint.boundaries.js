/**
 * The layers, enforced (a test shows each rule rejects what it forbids):
 *   components/  views: select from the store and draw (React, ink)
 *   src/app/     the TUI without React: store, keys, each screen's session
 *   src/cli/     the subcommands, and the assembly of the TUI
 *   src/...      the engine: Slurm, checkout, plan, submit, monitor, results... knows no front end
 * One module spawns processes (src/process/run.ts) and one folder opens pseudo-terminals (src/terminal/).
 */
const processes = ['execa', 'node:child_process', 'child_process'].map((name) => ({ name, message: 'Run programs through src/process/run.ts.' }));
const pty = { name: 'node-pty', message: 'Pseudo-terminals are opened in src/terminal/ only.' };
const react = ['react', 'ink', 'react/jsx-runtime'].map((name) => ({
  name,
  message: 'No React under src/: screens draw in components/, their logic is in src/app/.',
}));
const reactPatterns = { group: ['ink-*', '@inkjs/*'], message: 'No React under src/: screens draw in components/, their logic is in src/app/.' };
const frontEnds = {
  group: ['**/app/*', '**/app/**', '**/cli/*', '**/cli/**', '**/components/*', '**/components/**'],
  message: 'The engine knows no front end: src/app, src/cli and components use it, never the other way round.',
};
const views = {
  group: ['**/components/*', '**/components/**', '**/cli/*', '**/cli/**'],
  message: 'src/app is the TUI without React: it does not import the views (components/) or the subcommands (src/cli/).',
};

const restrict = (paths, patterns = []) => ({ 'no-restricted-imports': ['error', { paths, patterns }] });

export const boundaries = [
  { files: ['**/*.ts', '**/*.tsx'], rules: restrict([...processes, pty]) },
  { files: ['src/**/*.ts'], rules: restrict([...processes, pty, ...react], [reactPatterns, frontEnds]) },
  { files: ['src/app/**/*.ts'], rules: restrict([...processes, pty, ...react], [reactPatterns, views]) },
  { files: ['src/cli/**/*.ts'], rules: restrict([...processes, pty, ...react], [reactPatterns]) },
  { files: ['src/terminal/**/*.ts'], rules: restrict([...processes, ...react], [reactPatterns, frontEnds]) },
  { files: ['src/process/run.ts'], rules: restrict([pty, ...react], [reactPatterns, frontEnds]) },
  // The tests drive ptb in pseudo-terminals and run its programs: they may use what ptb keeps to one place.
  { files: ['test/**/*.ts', 'test/**/*.tsx'], rules: { 'no-restricted-imports': 'off' } },
];
