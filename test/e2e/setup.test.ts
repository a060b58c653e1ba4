import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { FIXTURE_CHECKOUT, PTB_BIN } from '../helpers/paths.js';
import { ptbHome, type PtbHome } from '../helpers/ptb-home.js';
import { keys, PtySession } from '../helpers/pty-session.js';

const SECRET = 'sk-ant-api03-e2e-secret-value-never-shown-Q7x9';
const homes: PtbHome[] = [];
const sessions: PtySession[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.kill();
});
afterAll(() => {
  for (const h of homes) h.remove();
});

function newHome(): PtbHome {
  const home = ptbHome();
  homes.push(home);
  return home;
}

async function ptbIn(home: PtbHome, args: string[], extraEnv: Record<string, string> = {}): Promise<PtySession> {
  const session = await PtySession.start(process.execPath, [PTB_BIN, ...args], {
    cols: 110,
    rows: 34,
    cwd: FIXTURE_CHECKOUT,
    env: { ...home.env, ...extraEnv },
  });
  sessions.push(session);
  return session;
}

describe('first run: the wizard, end to end', () => {
  it('keeps what was typed through a terminal too small for a moment, and takes no keys meanwhile', async () => {
    const home = newHome();
    const session = await ptbIn(home, []);
    await session.waitForText('Setup - step 1/6: PostTrainBench checkout');
    session.press(keys.enter);
    await session.waitForText('step 2/6: Paths');
    await session.retype('/tmp/typed-before-the-resize', /HF_HOME\s+\/tmp\/typed-before-the-resize_/);
    session.resize(50, 10);
    await session.waitForText('Terminal too small (50x10)');
    session.press('xyz');
    session.resize(110, 34);
    await session.waitForText(/HF_HOME\s+\/tmp\/typed-before-the-resize_/);
    expect(session.screen()).not.toContain('xyz');
    session.press(keys.ctrlC);
    expect(await session.waitForExit()).toMatchObject({ exitCode: 0 });
  });

  it('walks a newcomer from nothing to a saved configuration, then to the overview', async () => {
    const home = newHome();
    const session = await ptbIn(home, []);
    await session.waitForText('Setup - step 1/6: PostTrainBench checkout');
    await session.waitForText(/Checkout\s+\/.*ptb-checkout_ ok/);
    session.press(keys.enter);

    await session.waitForText('step 2/6: Paths');
    await session.retype(home.hfHome, /HF_HOME\s+\/.*hf_ ok/);
    session.press(keys.enter);
    await session.retype(join(home.resultsDir, 'new-run'), /Results dir\s+\/.*new-run_ ok/);
    session.press(keys.enter);
    await session.retype(home.containersDir, /Containers dir\s+\/.*containers_ ok/);
    session.press(keys.enter);
    session.press(keys.enter);
    await session.retype('trial 1', 'must not contain "/" or whitespace');
    await session.retype('_trial1', /Experiment name\s+_trial1_ ok/);
    session.press(keys.enter);

    await session.waitForText('step 3/6: Agents and budget');
    await session.retype('claude,codex', /Agents\s+claude,codex_ ok/);
    session.press(keys.enter);
    await session.retype('1', /Hours\s+1_ ok/);
    session.press(keys.enter);

    await session.waitForText('step 4/6: Slurm resources');
    await session.waitForText(/Partition\s+< gpu > ok/);
    await session.waitForText(/GRES\s+gpu:h100:1 ok/);
    await session.waitForText(/Time limit\s+3:00:00 ok/);
    for (let i = 0; i < 12; i++) session.press(keys.enter);

    await session.waitForText('step 5/6: API keys');
    session.press(SECRET);
    await session.waitForText(/ANTHROPIC_API_KEY\s+\*+_\s+from what you typed/);
    session.press(keys.enter);
    session.press('sk-proj-e2e-openai-key-0000-abcd');
    session.press(keys.enter);

    await session.waitForText('step 6/6: Review and save');
    await session.waitForText('ANTHROPIC_API_KEY ****Q7x9');
    session.press(keys.enter);

    await session.waitForText('Partitions');
    await session.waitForText(/gpu\*\s+gpu:h100:4/);
    session.press('q');
    expect(await session.waitForExit()).toMatchObject({ exitCode: 0 });
    expect(session.output()).not.toContain(SECRET.slice(0, -4));

    const config = JSON.parse(readFileSync(join(home.configDir, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({
      version: 1,
      checkout: FIXTURE_CHECKOUT,
      hfHome: home.hfHome,
      resultsDir: join(home.resultsDir, 'new-run'),
      containersDir: home.containersDir,
      containerName: 'standard',
      experimentName: '_trial1',
      hours: 1,
      agents: ['claude', 'codex'],
      slurm: { partition: 'gpu', gres: 'gpu:h100:1', constraint: 'h100', cpusPerTask: 16, mem: '128G', time: '3:00:00', tmp: '400G', scratch: 'tmp' },
    });
    expect(JSON.stringify(config)).not.toContain('sk-');
    const secrets = join(home.configDir, 'secrets.env');
    expect(statSync(secrets).mode & 0o777).toBe(0o600);
    expect(readFileSync(secrets, 'utf8')).toContain(`ANTHROPIC_API_KEY='${SECRET}'`);

    const shown = await home.ptb(['config', '--json']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).not.toContain(SECRET.slice(0, -4));
    expect(JSON.parse(shown.stdout)).toMatchObject({ secrets: { status: 'ok', keys: { ANTHROPIC_API_KEY: '****Q7x9', OPENAI_API_KEY: '****abcd' } } });
  });

  it('cancelling the first setup saves nothing', async () => {
    const home = newHome();
    const session = await ptbIn(home, []);
    await session.waitForText('step 1/6');
    session.press(keys.enter);
    await session.waitForText('step 2/6');
    session.press(keys.ctrlC);
    await session.waitForExit();
    expect(existsSync(join(home.configDir, 'config.json'))).toBe(false);
  });
});

describe('a configuration that went wrong', () => {
  it('names the file and the line of a truncated config, leaves it untouched, and offers the backup', async () => {
    const home = newHome();
    await home.configure(['--hours', '3']);
    await home.configure(['--hours', '4']);
    const file = join(home.configDir, 'config.json');
    const truncated = readFileSync(file, 'utf8').slice(0, 200);
    writeFileSync(file, truncated);

    const printed = await home.ptb(['config']);
    expect(printed.code).toBe(1);
    expect(printed.stderr).toContain(`${file} is not a valid ptb configuration`);
    expect(printed.stderr).toMatch(/line \d+/);
    expect(printed.stderr).not.toMatch(/\bat .*\.js:\d+/);

    const session = await ptbIn(home, []);
    await session.waitForText('is not a valid ptb configuration');
    await session.waitForText('b  start the wizard from the backup');
    expect(readFileSync(file, 'utf8')).toBe(truncated);
    session.press('b');
    await session.waitForText('Setup - step 1/6');
    // One enter leaves the checkout step, five walk the paths: the backup's hours are on step 3.
    for (let i = 0; i < 6; i++) session.press(keys.enter);
    await session.waitForText('step 3/6: Agents and budget');
    await session.waitForText(/Hours\s+3 ok/);
    session.press(keys.ctrlC);
    await session.waitForExit();
    expect(readFileSync(file, 'utf8')).toBe(truncated);
  });

  it('refuses wrong types with the field named, and a secrets file others can read', async () => {
    const home = newHome();
    await home.configure([], { OPENAI_API_KEY: 'sk-proj-e2e-0123456789-wxyz' });
    const file = join(home.configDir, 'config.json');
    const config = JSON.parse(readFileSync(file, 'utf8')) as { hours: unknown; slurm: { cpusPerTask: unknown } };
    chmodSync(join(home.configDir, 'secrets.env'), 0o644);
    const insecure = await home.ptb(['config', '--json']);
    expect(JSON.parse(insecure.stdout)).toMatchObject({ secrets: { status: 'insecure', keys: { OPENAI_API_KEY: null } } });
    expect(insecure.stdout).toContain('chmod 600');
    expect(insecure.stdout).not.toContain('0123456789');

    config.hours = 'ten';
    config.slurm.cpusPerTask = -1;
    writeFileSync(file, JSON.stringify(config));
    const wrong = await home.ptb(['config', '--json']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/hours: expected number/);
    expect(wrong.stderr).toMatch(/slurm\.cpusPerTask: must be a whole number/);
  });
});

describe('ptb setup --non-interactive and ptb config', () => {
  it('says which flag is wrong and writes nothing, then saves a good one', async () => {
    const home = newHome();
    const bad = await home.ptb([
      '--checkout',
      FIXTURE_CHECKOUT,
      'setup',
      '--non-interactive',
      '--hf-home',
      home.hfHome,
      '--containers-dir',
      home.containersDir,
      '--results-dir',
      'results',
      '--partition',
      'nope',
      '--time',
      '-5',
      '--experiment',
      'a/b',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--results-dir "results": must be an absolute path');
    expect(bad.stderr).toContain('--partition "nope": sinfo knows no partition "nope"');
    expect(bad.stderr).toContain('--time "-5": "-5" is not a Slurm time limit');
    expect(bad.stderr).toContain('--experiment "a/b": must not contain "/"');
    expect(existsSync(join(home.configDir, 'config.json'))).toBe(false);

    await home.configure(['--partition', 'cpu', '--hours', '2', '--agents', 'gemini']);
    const shown = JSON.parse((await home.ptb(['config', '--json'])).stdout) as {
      config: { hours: number; slurm: { partition: string; time: string } };
      secrets: { keys: Record<string, unknown> };
    };
    expect(shown.config).toMatchObject({ hours: 2, slurm: { partition: 'cpu', time: '4:00:00' } });
    expect(Object.keys(shown.secrets.keys)).toEqual(['OPENAI_API_KEY', 'GEMINI_API_KEY']);
    expect((await home.ptb(['config', 'path'])).stdout).toBe(`${join(home.configDir, 'config.json')}\n`);
  });
});
