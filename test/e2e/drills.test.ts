import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, join, relative } from 'node:path';
import { readJobMark } from '../../src/submit/job-mark.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/process/run.js';
import { clusterScript, testSlurm } from '../helpers/cluster.js';
import { submittingWorld } from '../helpers/e2e-world.js';
import { fakeBin } from '../helpers/fake-bin.js';
import { PTB_BIN } from '../helpers/paths.js';
import { ptbHome } from '../helpers/ptb-home.js';
import { waitFor } from '../helpers/wait.js';

/**
 * Fault drills: what a user meets when the cluster or their own typing goes wrong. Each drill
 * asserts what the user would notice (exit codes, messages, what ends up on the cluster and on
 * disk, what the screen shows), never how ptb gets there.
 */

const KEYS = { ANTHROPIC_API_KEY: 'sk-ant-e2e-drill-key-0001', OPENAI_API_KEY: 'sk-proj-e2e-drill-key-0002' };
const world = submittingWorld('drill', KEYS);
const { home, experiment, ledgerFile } = world;

/** A Node stack frame, as an uncaught error prints it. */
const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;

function expectNoCrash(text: string): void {
  expect(text).not.toMatch(STACK_FRAME);
  expect(text).not.toContain('TypeError');
  expect(text).not.toContain('node:internal');
  expect(text).not.toContain('internal error');
}

// Keys in the developer's own shell must not reach the runs (as in ptbHome).
const BASE_ENV = Object.fromEntries(Object.entries(process.env).filter(([k, v]) => v !== undefined && !/_API_KEY$/.test(k))) as Record<string, string>;

/** ptb with a time limit of the test's choosing; `code` is null when it was still running then. */
async function ptbRun(env: Record<string, string>, args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const result = await run(process.execPath, [PTB_BIN, ...args], { timeoutMs, env: { ...BASE_ENV, ...env } });
  if (result.kind === 'ok') return { code: 0, stdout: result.stdout, stderr: result.stderr };
  if (result.kind === 'failed') return { code: result.exitCode, stdout: result.stdout, stderr: result.stderr };
  if (result.kind === 'timed-out')
    return { code: null, stdout: result.stdout, stderr: `${result.stderr}\n(still running after ${timeoutMs} ms: killed by the test)` };
  throw new Error(`ptb did not run: ${result.kind}`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ledgerEntries = () => (existsSync(ledgerFile) ? readFileSync(ledgerFile, 'utf8').split('\n').filter(Boolean).length : 0);

function onPathAt(command: string): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return join(dir, command);
    } catch {
      // not here
    }
  }
  throw new Error(`${command} is not on PATH: start the local cluster (bash scripts/local-slurm.sh up)`);
}

describe('drill: the controller restarts during a submission', () => {
  // 4 models x 7 evals x 1 agent configuration (in the standard image) = 28 tasks.
  const TASKS = 28;
  const plan = join(home.root, 'drill-plan.json');
  beforeAll(() => {
    const models = ['google/gemma-3-4b-pt', 'Qwen/Qwen3-4B-Base', 'Qwen/Qwen3-1.7B-Base', 'HuggingFaceTB/SmolLM3-3B-Base'];
    const evals = ['aime2025', 'arenahardwriting', 'bfcl', 'gpqamain', 'gsm8k', 'healthbench', 'humaneval'];
    writeFileSync(plan, JSON.stringify({ models, evals, agentConfigs: ['claude/claude-sonnet-4-5'], hours: [1] }));
  });

  it('stops the first run with a message and exit 1, a rerun completes the plan with every task once, a third run skips all', async () => {
    // ptb submits 28 tasks in well under the ~3 s the script needs to stop slurmctld: a login
    // node's slower sbatch (0.4 s a call) keeps the submission going while the controller dies.
    const slowBin = fakeBin(join(home.root, 'slow-sbatch'), { sbatch: `sleep 0.4\nexec ${onPathAt('sbatch')} "$@"` });
    const first = ptbRun({ ...world.env, PATH: `${slowBin}${delimiter}${process.env.PATH ?? ''}` }, ['submit', '--plan', plan, '--yes'], 150_000);
    let firstEnded = false;
    void first.then(() => {
      firstEnded = true;
    });
    await waitFor(() => ledgerEntries() >= 3 || firstEnded, { timeoutMs: 60_000, what: 'a few submissions in the ledger', intervalMs: 20 });
    expect(firstEnded, 'the first run ended before the controller was stopped: the drill did not happen').toBe(false);
    try {
      await clusterScript('stop-controller');
      await sleep(15_000);
    } finally {
      await clusterScript('start-controller');
    }
    const out = await first;
    expect(out.code, `first run: ${out.stderr}`).toBe(1);
    const submittedFirst = Number(/^(\d+) submitted, 0 skipped$/m.exec(out.stdout)?.[1]);
    expect(submittedFirst).toBeGreaterThanOrEqual(3);
    expect(submittedFirst).toBeLessThan(TASKS);
    expect(out.stderr).toMatch(/^ptb: stopped: .*(controller|Slurm).*run the same plan again/m);
    expectNoCrash(out.stderr + out.stdout);

    // Slurm 22.05 refuses GPU jobs for a few seconds after slurmctld restarts ("Requested node
    // configuration is not available") until the node has registered again. A user reruns until
    // the plan goes through; every refused rerun must still be a clean stop.
    let rerun = await ptbRun(world.env, ['submit', '--plan', plan, '--yes'], 60_000);
    for (let attempt = 1; rerun.code !== 0 && attempt < 15; attempt++) {
      expect(rerun.code, rerun.stderr).toBe(1);
      expect(rerun.stderr).toMatch(/^ptb: stopped: .*run the same plan again/m);
      expectNoCrash(rerun.stderr + rerun.stdout);
      await sleep(2_000);
      rerun = await ptbRun(world.env, ['submit', '--plan', plan, '--yes'], 60_000);
    }
    expect(rerun.code, rerun.stderr).toBe(0);
    expectNoCrash(rerun.stderr + rerun.stdout);
    expect(rerun.stdout).toMatch(new RegExp(`^\\d+ submitted, \\d+ skipped$`, 'm'));
    const jobs = await world.slurm.jobs({ user: 'me', includeFinished: true });
    expect(jobs.ok).toBe(true);
    const ours = jobs.ok
      ? jobs.value.flatMap((j) => {
          const mark = readJobMark(j.comment);
          return mark?.kind === 'task' && mark.task.kind === 'agent' && mark.task.experiment === experiment ? [{ key: mark.key, id: j.rawJobId }] : [];
        })
      : [];
    const perTask = new Map<string, number[]>();
    for (const j of ours) perTask.set(j.key, [...(perTask.get(j.key) ?? []), j.id]);
    expect(perTask.size).toBe(TASKS);
    expect([...perTask.entries()].filter(([, ids]) => ids.length !== 1)).toEqual([]);

    const third = await ptbRun(world.env, ['submit', '--plan', plan, '--yes'], 60_000);
    expect(third.code, third.stderr).toBe(0);
    expect(third.stdout).toMatch(new RegExp(`^0 submitted, ${TASKS} skipped$`, 'm'));
  }, 180_000);
});

/** Every file and folder under `dir` with its mode and content: what a bad call must leave as it was. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      const mode = (statSync(path).mode & 0o7777).toString(8);
      if (entry.isDirectory()) {
        files[`${relative(dir, path)}/`] = mode;
        walk(path);
      } else files[relative(dir, path)] = entry.isFile() ? `${mode} ${readFileSync(path, 'utf8')}` : `${mode} (not a file)`;
    }
  };
  if (existsSync(dir)) walk(dir);
  return files;
}

describe('drill: bad input in every field and flag', () => {
  // Its own world: the jobs of the controller drill write into their results folder meanwhile.
  const bad = ptbHome();
  const badExperiment = `_badin${process.pid}`;
  const env = { XDG_STATE_HOME: join(bad.root, 'state') };
  const inputs = join(bad.root, 'inputs');
  const input = (name: string) => join(inputs, name);
  const aFile = input('a-file.txt');
  const okPlan = input('ok.yaml');
  const planOf = (fields: Record<string, unknown>) =>
    JSON.stringify({ models: ['Qwen/Qwen3-1.7B-Base'], evals: ['gsm8k'], agentConfigs: ['claude/claude-sonnet-4-5'], hours: [1], ...fields });
  beforeAll(async () => {
    await bad.configure(['--experiment', badExperiment, '--cpus', '1', '--mem', '1G', '--time', '0:10:00', '--tmp', '', '--hours', '1'], KEYS);
    for (const image of ['standard', 'vllm_debug']) writeFileSync(join(bad.containersDir, `${image}.sif`), '');
    mkdirSync(input('a-dir'), { recursive: true });
    writeFileSync(aFile, 'not a folder\n');
    writeFileSync(okPlan, 'models: [Qwen/Qwen3-1.7B-Base]\nevals: [gsm8k]\nagentConfigs: [claude/claude-sonnet-4-5]\nhours: [1]\n');
    writeFileSync(input('broken.yaml'), 'models: [Qwen/Qwen3-1.7B-Base\nevals: [gsm8k]\n');
    writeFileSync(input('broken.json'), '{"models": ["Qwen/Qwen3-1.7B-Base"],');
    writeFileSync(input('list.yaml'), '- gsm8k\n- bfcl\n');
    writeFileSync(input('unknown-model.json'), planOf({ models: ['nope/model-7b'] }));
    writeFileSync(input('space-config.json'), planOf({ agentConfigs: ['claude/ '] }));
    writeFileSync(input('unknown-eval.json'), planOf({ evals: ['mmlu'] }));
    writeFileSync(input('unknown-agent.json'), planOf({ agentConfigs: ['nosuchagent/x'] }));
    writeFileSync(input('empty-lists.json'), JSON.stringify({ models: [], evals: [], agentConfigs: [], hours: [] }));
    writeFileSync(input('hours-0.json'), planOf({ hours: [0] }));
    writeFileSync(input('hours-minus-3.json'), planOf({ hours: [-3] }));
    writeFileSync(input('hours-1e9.json'), planOf({ hours: [1e9] }));
    writeFileSync(input('gpus-0.json'), planOf({ gpus: 0 }));
    writeFileSync(input('unknown-field.json'), planOf({ bogus: true }));
  });
  afterAll(async () => {
    // Only if a bad call was taken for a good one (the drill failed): nothing of it stays queued.
    const slurm = testSlurm();
    const jobs = await slurm.jobs({ user: 'me' });
    if (jobs.ok) await slurm.cancel(jobs.value.filter((j) => j.comment?.includes(`|${badExperiment}`)).map((j) => j.rawJobId));
    bad.remove();
  });

  interface BadCase {
    args: string[];
    /** What the first paragraph of stderr must say, each: the bad value or flag, and what is wrong. */
    says: string | string[];
    /** Commander's own usage errors print the help after the message. */
    help?: boolean;
  }
  const setupCase = (flag: string, value: string, says?: string): BadCase => ({
    args: ['setup', '--non-interactive', `--${flag}`, value],
    says: [`--${flag} ${JSON.stringify(value)}: `, ...(says ? [says] : [])],
  });
  const notAJob =
    (name: string, shown = name) =>
    (command: 'cancel' | 'resubmit'): BadCase => ({
      args: [command, name, '--yes'],
      says: `so nothing was ${command === 'cancel' ? 'cancelled' : 'resubmitted'}:\n  ${shown} is not a job of this setup, in the queue or the ledger\n`,
    });
  const CASES: BadCase[] = [
    // Global flags, before any command.
    ...['abc', '-1', '0', '', '1e9'].map((v): BadCase => ({
      args: ['--interval', v, 'status'],
      says: `option '--interval <seconds>' argument '${v}' is invalid`,
      help: true,
    })),
    { args: ['--checkout', 'relative/nowhere', 'overview'], says: '--checkout "relative/nowhere" (' },
    { args: ['--checkout', '/nonexistent/PostTrainBench', 'status'], says: '--checkout /nonexistent/PostTrainBench is not a PostTrainBench checkout' },
    // --dry-run: were the bad checkout taken (as it once was), no job may run and write into the snapshot meanwhile.
    { args: ['--checkout', aFile, 'submit', '--plan', okPlan, '--dry-run'], says: `--checkout ${aFile} is not a PostTrainBench checkout` },
    { args: ['--checkout', '', 'results'], says: '--checkout "" (' },
    { args: ['--checkout', '/nonexistent/PostTrainBench', 'setup', '--non-interactive'], says: '--checkout "/nonexistent/PostTrainBench": does not exist' },
    { args: ['--checkout', aFile, 'setup', '--non-interactive'], says: `--checkout ${JSON.stringify(aFile)}: is not a directory` },
    // setup --non-interactive, flag by flag.
    ...['hf-home', 'containers-dir', 'home'].flatMap((flag) => [
      setupCase(flag, 'relative/dir', 'must be an absolute path'),
      setupCase(flag, '/nonexistent/dir', 'does not exist'),
      setupCase(flag, aFile, 'is not a directory'),
      setupCase(flag, '', 'required'),
    ]),
    setupCase('results-dir', 'relative/dir', 'must be an absolute path'),
    setupCase('results-dir', '/nonexistent/a/b', 'neither it nor /nonexistent/a exists'),
    setupCase('results-dir', aFile, 'is a file, not a directory'),
    setupCase('results-dir', '', 'required'),
    setupCase('time', '25:99', '"25:99" is not a valid time limit'),
    setupCase('time', '-1', '"-1" is not a Slurm time limit'),
    setupCase('time', 'abc', '"abc" is not a Slurm time limit'),
    setupCase('time', '', 'required'),
    setupCase('mem', '12X', 'use Slurm notation'),
    setupCase('mem', '', 'use Slurm notation'),
    // Slurm reads a bare number as megabytes: a 12-hour run with 128 MB.
    setupCase('mem', '128', '128 has no unit, and Slurm would read it as 128 megabytes: write 128G for 128 gigabytes, or 128M if megabytes are meant'),
    setupCase('tmp', '400', '400 has no unit'),
    setupCase('tmp', '12X', 'use Slurm notation'),
    ...['0', '-1', 'abc', ''].map((v) => setupCase('cpus', v, 'must be a whole number')),
    ...['0', '-3', 'abc', ''].map((v) => setupCase('hours', v, 'must be a whole number of hours')),
    setupCase('hours', '1e9', 'must be a whole number of hours'),
    setupCase('experiment', 'run1', 'start it with _'),
    setupCase('experiment', '_a;rm -rf ~', 'must not contain'),
    setupCase('experiment', '_$(id)', 'use letters, digits'),
    setupCase('experiment', '_a b', 'must not contain "/" or whitespace'),
    setupCase('experiment', '_日本', 'use letters, digits'),
    setupCase('experiment', '_a|b', 'use letters, digits'),
    setupCase('partition', 'nosuchpartition', 'sinfo knows no partition "nosuchpartition"'),
    setupCase('partition', 'gpu;ls', 'must not contain spaces, quotes or shell characters'),
    setupCase('partition', '', 'the partition is required'),
    setupCase('gres', '', 'use gpu:1'),
    setupCase('gres', 'gpu:h200:1', 'not h200'),
    setupCase('constraint', 'h100;id', 'use a feature name'),
    setupCase('constraint', 'nosuchfeature', 'no node of gpu has feature nosuchfeature'),
    setupCase('account', 'a;b', 'must not contain spaces, quotes or shell characters'),
    setupCase('qos', '$(id)', 'must not contain spaces, quotes or shell characters'),
    setupCase('container', '', 'the container name is required'),
    setupCase('container', 'a b', 'must not contain spaces'),
    setupCase('agents', '', 'name at least one agent'),
    setupCase('agents', 'nosuchagent', 'not in '),
    setupCase('scratch', 'ramdisk', 'choose tmp or tmpdir'),
    setupCase('scratch', '', 'choose tmp or tmpdir'),
    // submit --plan.
    { args: ['submit', '--plan', input('missing.yaml'), '--yes'], says: `${input('missing.yaml')}: cannot be read (ENOENT)` },
    { args: ['submit', '--plan', input('a-dir'), '--yes'], says: `${input('a-dir')}: cannot be read (EISDIR)` },
    { args: ['submit', '--plan', '', '--yes'], says: '--plan is empty' },
    { args: ['submit', '--plan', input('broken.yaml'), '--yes'], says: `${input('broken.yaml')}, line 2: not valid YAML` },
    { args: ['submit', '--plan', input('broken.json'), '--yes'], says: `${input('broken.json')}, line 1: not valid JSON` },
    { args: ['submit', '--plan', input('list.yaml'), '--yes'], says: 'a plan is an object with models, evals, agentConfigs and hours' },
    { args: ['submit', '--plan', input('unknown-model.json'), '--yes'], says: 'unknown model(s): nope/model-7b (valid: ' },
    { args: ['submit', '--plan', input('unknown-eval.json'), '--dry-run'], says: 'unknown eval(s): mmlu (valid: ' },
    { args: ['submit', '--plan', input('unknown-agent.json'), '--yes'], says: 'agent nosuchagent is not in the checkout' },
    { args: ['submit', '--plan', input('empty-lists.json'), '--yes'], says: 'the plan is empty' },
    { args: ['submit', '--plan', input('space-config.json'), '--yes'], says: '"claude/ ": the agent configuration must not contain spaces or |' },
    { args: ['submit', '--plan', input('hours-0.json'), '--yes'], says: 'hours: 0: must be a whole number of hours' },
    { args: ['submit', '--plan', input('hours-minus-3.json'), '--yes'], says: 'hours: -3: must be a whole number of hours' },
    { args: ['submit', '--plan', input('hours-1e9.json'), '--yes'], says: 'hours: 1000000000: more than 1000 hours' },
    { args: ['submit', '--plan', input('gpus-0.json'), '--yes'], says: 'gpus: a whole number, at least 1' },
    { args: ['submit', '--plan', input('unknown-field.json'), '--yes'], says: '"bogus" is not a plan field' },
    { args: ['submit', '--yes'], says: "required option '--plan <file>' not specified", help: true },
    // cancel and resubmit.
    ...[notAJob('abc'), notAJob('-5'), notAJob('1;ls'), notAJob('日本'), notAJob('', '""'), notAJob('1 2', '"1 2"')].flatMap((c) => [
      c('cancel'),
      c('resubmit'),
    ]),
    { args: ['cancel', '--yes'], says: "missing required argument 'job-or-task'", help: true },
    { args: ['resubmit', '--yes'], says: 'name the jobs to resubmit' },
    { args: ['resubmit', '1', '--failed', '--yes'], says: 'either job ids or --failed, not both' },
    // results and preflight.
    { args: ['results', '--json', '--csv'], says: 'choose one of --json, --csv, --markdown' },
    { args: ['results', '--csv', '--markdown'], says: 'choose one of --json, --csv, --markdown' },
    ...['abc', '0', '-1', ''].map((v): BadCase => ({
      args: ['preflight', '--max-wait', v],
      says: `option '--max-wait <minutes>' argument '${v}' is invalid`,
      help: true,
    })),
  ];

  const label = (args: string[]) =>
    `ptb ${args.map((a) => (a === '' || /[\s;$|'"()~]/.test(a) ? JSON.stringify(a) : a.replace(inputs, '<inputs>'))).join(' ')}`;
  for (const c of CASES) {
    it(`${label(c.args)}: exit 2, says what is wrong, leaves every file as it was`, async () => {
      const before = snapshot(bad.root);
      const out = await bad.ptb(c.args, env);
      expect(out.code).toBe(2);
      expect(out.stdout).toBe('');
      const [message = '', ...rest] = out.stderr.trim().split(/\n\s*\n/);
      for (const text of typeof c.says === 'string' ? [c.says] : c.says) expect(message).toContain(text);
      // One paragraph for the user; only commander's usage errors add the help after it.
      if (c.help) expect(rest.join('\n\n')).toMatch(/^Usage: ptb/);
      else expect(rest).toEqual([]);
      expectNoCrash(out.stderr);
      const after = snapshot(bad.root);
      expect(Object.keys(after).filter((f) => /\.tmp/.test(f))).toEqual([]);
      expect(after).toEqual(before);
    });
  }
});

/** A small deterministic generator: the same burst every run, so a failure replays. */
function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) & 0x7fffffff;
    return state / 2 ** 31;
  };
}

/** What the user sees: escape sequences removed, one line per row. */
const plainOutput = (raw: string) =>
  raw
    .replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '')
    .replace(/\x1b[\]PX^_][^\x07\x1b]*(\x07|\x1b\\)/g, '')
    .replace(/\r/g, '');

describe('drill: a tiny terminal and a burst of resizes', () => {
  it('says the terminal is too small at 40x12, and q still quits there', async () => {
    const session = await world.ptb(40, 12);
    await session.waitForText(/Terminal too small \(40x12\)/, 20_000);
    session.press('q');
    expect(await session.waitForExit()).toMatchObject({ exitCode: 0 });
    expectNoCrash(plainOutput(session.output()));
  });

  it('comes back at 100x30, survives ~60 resizes in 2 s, and ends with the normal screen fitting 80x24', async () => {
    const session = await world.ptb(40, 12, ['--interval', '2']);
    await session.waitForText(/Terminal too small \(40x12\)/, 20_000);
    session.resize(100, 30);
    await session.waitForText('ptb 0.1.0');
    expect(session.screen()).not.toContain('too small');

    const random = lcg(20_240_601);
    const fixed: [number, number][] = [
      [20, 5],
      [40, 12],
      [250, 70],
      [80, 24],
    ];
    const sizes: [number, number][] = [];
    for (let i = 0; i < 59; i++)
      sizes.push(i % 3 === 0 ? (fixed[(i / 3) % fixed.length] ?? [80, 24]) : [10 + Math.floor(random() * 240), 4 + Math.floor(random() * 70)]);
    sizes.push([80, 24]);
    for (const [cols, rows] of sizes) {
      session.resize(cols, rows);
      await sleep(33);
    }
    expect(session.exitStatus(), `ptb ended during the resizes:\n${plainOutput(session.output()).slice(-2000)}`).toBeUndefined();

    // The last size wins: the header on the first row, nothing wrapped, no "too small" left behind.
    await waitFor(
      () => {
        const lines = session.screen().split('\n');
        return lines[0]?.startsWith('ptb 0.1.0') && !session.screen().includes('too small') && session.wrappedRows().length === 0;
      },
      {
        timeoutMs: 15_000,
        what: 'the normal screen at 80x24',
        describe: () => `screen was:\n${session.screen()}\nwrapped rows: ${session.wrappedRows().join(', ')}`,
      },
    );
    const lines = session.screen().split('\n');
    expect(lines).toHaveLength(24);
    expect(lines.filter((l) => l.length > 80)).toEqual([]);
    // Still answering keys after the storm.
    session.press('?');
    await session.waitForText('next row');
    session.press('?');
    expect(session.exitStatus()).toBeUndefined();
    expectNoCrash(plainOutput(session.output()));
    session.press('q');
    expect(await session.waitForExit()).toMatchObject({ exitCode: 0 });
  }, 120_000);
});
