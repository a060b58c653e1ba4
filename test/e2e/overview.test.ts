import { describe, expect, it } from 'vitest';
import { clusterScript } from '../helpers/cluster.js';
import { e2eWorld } from '../helpers/e2e-world.js';
import { keys, PtySession } from '../helpers/pty-session.js';
import { FIXTURE_CHECKOUT, PTB_BIN } from '../helpers/paths.js';

const { slurm, home, ptb } = e2eWorld();

describe('ptb in a real terminal', () => {
  it('shows the cluster overview with a job the test submitted, and q exits 0 restoring the screen', async () => {
    const submitted = await slurm.submit({
      payload: { wrap: 'sleep 120' },
      jobName: 'ptb-e2e overview',
      partition: 'gpu',
      gres: 'gpu:1',
      constraint: 'h100',
      time: '00:05:00',
      output: '/dev/null',
    });
    expect(submitted.ok).toBe(true);
    const id = submitted.ok ? submitted.value.jobId : 0;

    const session = await ptb(['--checkout', FIXTURE_CHECKOUT], 120, 30);
    await session.waitForText('Partitions');
    await session.waitForText(/gpu\*\s+gpu:h100:4/);
    await session.waitForText(/cpu\s+gpu:h100:4/);
    await session.waitForText('2-00:00:00');
    await session.waitForText('h100');
    await session.waitForText(new RegExp(`${id}\\s+(PENDING|RUNNING)\\s+ptb-e2e overview`));
    await session.waitForText('7 evals');
    expect(session.output()).toContain('\x1b[?1049h');

    session.press('q');
    expect(await session.waitForExit()).toMatchObject({ exitCode: 0 });
    expect(session.output()).toContain('\x1b[?1049l');
  });

  it('shows its title at once, before the TUI has loaded, and acts on a key pressed on seeing it', async () => {
    const session = await ptb([], 100, 30);
    await session.waitForText('ptb 0.1.0 | starting...');
    session.press('6');
    await session.waitForText('1 overview > 6 monitor');
    // One alternate screen for the title and the TUI: entering it twice clears it twice in some terminals.
    expect(session.output().split('\x1b[?1049h')).toHaveLength(2);
    session.press('q');
    await session.waitForText('1 overview');
    session.press('q');
    expect(await session.waitForExit()).toMatchObject({ exitCode: 0 });
    expect(session.output()).toContain('\x1b[?1049l');
  });

  it('draws every frame and marks the selection with CI set in the environment, where Ink and chalk would otherwise draw none', async () => {
    const submitted = await slurm.submit({ payload: { wrap: 'sleep 120' }, jobName: 'ptb-e2e ci', partition: 'gpu', time: '00:05:00', output: '/dev/null' });
    expect(submitted.ok).toBe(true);
    const id = submitted.ok ? submitted.value.jobId : 0;
    const session = await PtySession.start(process.execPath, [PTB_BIN, '--checkout', FIXTURE_CHECKOUT], {
      cols: 120,
      rows: 30,
      env: { ...home.env, CI: 'true' },
    });
    try {
      await session.waitForText(new RegExp(`^.${id}\\s+(PENDING|RUNNING)\\s+ptb-e2e ci`, 'm'));
      // The selected row says so without colour or styles: a `>` in the gutter.
      expect(session.screen()).toMatch(/^>\d+\s+(PENDING|RUNNING)/m);
      session.press('q');
      expect(await session.waitForExit()).toMatchObject({ exitCode: 0 });
    } finally {
      session.kill();
    }
  });

  it('fits an 80x24 terminal, moves the selection with j/k, survives a terminal too small, opens and cancels the setup', async () => {
    const session = await ptb([], 80, 24);
    await session.waitForText('Your jobs');
    session.press('j');
    session.press(keys.up);
    session.resize(40, 10);
    await session.waitForText('Terminal too small (40x10)');
    session.resize(100, 30);
    await session.waitForText('Partitions');
    session.press('?');
    await session.waitForText('next row');
    session.press('?');
    await session.waitForText('Partitions');
    session.press('s');
    await session.waitForText('Edit setup - step 1/6: PostTrainBench checkout');
    session.press(keys.ctrlC);
    await session.waitForText('Partitions');
    session.press('q');
    expect(await session.waitForExit()).toMatchObject({ exitCode: 0 });
  });

  it('moves between screens by number, palette and esc, the breadcrumb following; numbers typed in a filter stay text; ctrl+c leaves while typing', async () => {
    const session = await ptb([], 100, 30);
    // Every screen ends with the status bar, then its keys: the same two lines in the same place.
    const bottomLines = () => session.screen().trimEnd().split('\n').slice(-2);
    const expectStatusThenKeys = () => {
      expect(bottomLines()[0]).toMatch(/^(live - last change \d\d:\d\d:\d\d|refreshing|asking Slurm)/);
      expect(bottomLines()[1]).toMatch(/\? help \| q quit$/);
    };
    await session.waitForText('Partitions');
    await session.waitForText('next: container test: 4 composes, c picks it');
    await session.waitForText(/live - last change \d\d:\d\d:\d\d/);
    expectStatusThenKeys();
    session.press('7');
    await session.waitForText('1 overview > 7 results');
    await session.waitForText('no runs in the results folder yet');
    expectStatusThenKeys();
    session.press('4');
    await session.waitForText('1 overview > 7 results > 4 compose');
    await session.waitForText('Compose a plan');
    expectStatusThenKeys();
    await session.escape();
    await session.waitForText('1 overview > 7 results');
    await session.escape();
    await session.waitForText('Partitions');
    expect(session.screen()).toMatch(/^ptb 0\.1\.0 \| 1 overview \|/m);

    session.press(':');
    await session.waitForText('Go to a screen or run a command');
    session.press('pref');
    await session.waitForText(':pref_');
    session.press(keys.enter);
    await session.waitForText('1 overview > 3 preflight');
    // The probe job shows in the status bar while it is out; c cancels it.
    await session.waitForText(/probe job \d+ (PENDING|RUNNING)/, 30_000);
    session.press('c');
    await session.waitForText(/probe-job\s+cancelled \(job \d+\)|probe-job\s+job \d+ ran/, 30_000);

    session.press('4');
    await session.waitForText('Compose a plan');
    session.press('/6');
    await session.waitForText('/6');
    expect(session.screen()).toContain('> 4 compose');
    expect(session.screen()).not.toContain('ptb jobs (');
    session.press(keys.ctrlC);
    expect(await session.waitForExit()).toMatchObject({ exitCode: 0 });
  });

  it('keeps the last data on screen and says so while the controller is unreachable', async () => {
    const session = await ptb(['--interval', '2'], 120, 30);
    await session.waitForText(/live - last change \d\d:\d\d:\d\d/);
    await session.waitForText('gpu*');
    await clusterScript('stop-controller');
    try {
      await session.waitForText(/controller unreachable since \d\d:\d\d:\d\d/, 40_000);
      await session.waitForText(/showing data from \d\d:\d\d:\d\d/);
      expect(session.screen()).toMatch(/gpu\*\s+gpu:h100:4/);
    } finally {
      await clusterScript('start-controller');
    }
    session.press('r');
    await session.waitForText(/live - last change \d\d:\d\d:\d\d/, 40_000);
    session.press('q');
    expect(await session.waitForExit()).toMatchObject({ exitCode: 0 });
  });
});
