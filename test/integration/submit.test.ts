import { AGENT_CONFIGS } from '../../src/catalog/agent-configs.js';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configLocations } from '../../src/config/locations.js';
import type { Config } from '../../src/config/schema.js';
import { writeSecrets } from '../../src/config/secrets.js';
import { expandPlan, knownTo } from '../../src/plan/plan.js';
import { readCheckout } from '../../src/checkout/detect.js';
import { taskKey } from '../../src/plan/task.js';
import { run } from '../../src/process/run.js';
import { readLedger } from '../../src/submit/ledger.js';
import { jobLabel, submitTasks } from '../../src/submit/submit-tasks.js';
import { jobComment } from '../../src/submit/job-mark.js';
import { experimentDir } from '../../src/submit/experiment-dir.js';
import { setupIdentity } from '../../src/submit/setup-identity.js';
import { createSlurm } from '../../src/slurm/adapter.js';
import { testSlurm } from '../helpers/cluster.js';
import { FIXTURE_CHECKOUT, FIXTURE_CHECKOUT_V11, clusterPath } from '../helpers/paths.js';
import { waitFor } from '../helpers/wait.js';

const slurm = testSlurm();
const root = mkdtempSync(join(tmpdir(), 'ptb-submit-'));
afterAll(async () => {
  await slurm.cleanup();
  rmSync(root, { recursive: true, force: true });
});

const PLANTED = { ANTHROPIC_API_KEY: 'sk-ant-planted-secret-0001', OPENAI_API_KEY: 'sk-proj-planted-secret-0002' };
const locations = configLocations({ XDG_CONFIG_HOME: join(root, 'config'), HOME: root });
writeSecrets(locations.secrets, PLANTED);
const ledger = join(root, 'state', 'ledger.jsonl');
for (const d of ['hf', 'containers', 'results']) mkdirSync(join(root, d));
const config: Config = {
  version: 1,
  checkout: FIXTURE_CHECKOUT,
  hfHome: join(root, 'hf'),
  resultsDir: join(root, 'results'),
  containersDir: join(root, 'containers'),
  containerName: 'standard',
  experimentName: '_itest',
  hours: 1,
  agents: ['claude'],
  slurm: {
    partition: 'gpu',
    gres: 'gpu:h100:1',
    constraint: 'h100',
    account: '',
    qos: '',
    cpusPerTask: 2,
    mem: '4G',
    time: '0:10:00',
    tmp: '',
    home: root,
    scratch: 'tmp',
  },
  // The fixture's runs take their outcome from the submitting shell.
  passEnvironment: ['PTB_FIXTURE_*'],
};
const expanded = expandPlan(
  {
    models: ['Qwen/Qwen3-1.7B-Base', 'Qwen/Qwen3-4B-Base'],
    evals: ['gsm8k', 'humaneval'],
    agentConfigs: ['claude/claude-opus-4-6', 'claude/claude-sonnet-4-5'],
    hours: [1],
    gpus: 1,
    baseline: false,
    containerTests: [],
  },
  { evals: ['gsm8k', 'humaneval'], agents: ['claude'], agentConfigs: AGENT_CONFIGS },
  config.experimentName,
);
const tasks = expanded.ok ? expanded.tasks : [];
const options = { ledgerFile: ledger, secretsFile: locations.secrets };

describe('submitting a plan on the local cluster', () => {
  it('runs at most N jobs of a throttled agent at once: slot names and --dependency=singleton', async () => {
    const gemini = expandPlan(
      {
        models: ['Qwen/Qwen3-1.7B-Base'],
        evals: ['gsm8k', 'humaneval'],
        agentConfigs: ['gemini/models/gemini-3-pro-preview', 'gemini/models/gemini-3-flash-preview'],
        hours: [1],
        gpus: 1,
        baseline: false,
        containerTests: [],
      },
      { evals: ['gsm8k', 'humaneval'], agents: ['gemini'], agentConfigs: AGENT_CONFIGS },
      '_throttle',
    );
    const geminiTasks = gemini.ok ? gemini.tasks : [];
    // The jobs get PTB_FIXTURE_* from the submitting environment (passEnvironment): these fixture runs stay busy long enough to be counted.
    const slow = createSlurm({ env: { ...process.env, PTB_FIXTURE_OUTCOME: 'slow', PTB_FIXTURE_SLEEP: '60' } });
    const result = await submitTasks(slow, { ...config, throttle: { gemini: 2 } }, geminiTasks, {
      ...options,
      ledgerFile: join(root, 'state', 'throttle-ledger.jsonl'),
    });
    const ids = result.outcomes.flatMap((o) => (o.status === 'submitted' ? [o.jobId] : []));
    slurm.submittedIds.push(...ids);
    expect(ids).toHaveLength(4);
    const running = async () => {
      const r = await slurm.jobs({ jobIds: ids });
      return r.ok ? r.value : [];
    };
    await waitFor(async () => (await running()).filter((j) => j.state === 'RUNNING').length === 2, { timeoutMs: 30_000, what: 'two throttled jobs to start' });
    // Give the scheduler a few passes: a third must not start while two run.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const jobs = await running();
    const started = jobs.filter((j) => j.state === 'RUNNING');
    expect(started).toHaveLength(2);
    expect(new Set(started.map((j) => j.name))).toEqual(new Set(['ptb-gemini-slot0', 'ptb-gemini-slot1']));
    expect(jobs.filter((j) => j.state === 'PENDING').map((j) => j.reason)).toEqual(['Dependency', 'Dependency']);
    await slurm.cancel(ids);
  });

  it('submits a 2x2x2 plan as 8 jobs carrying their task keys, and never twice', async () => {
    expect(tasks).toHaveLength(8);
    const first = await submitTasks(slurm, config, tasks, options);
    const ids = first.outcomes.flatMap((o) => (o.status === 'submitted' ? [o.jobId] : []));
    slurm.submittedIds.push(...ids);
    expect(first.stopped).toBeNull();
    expect(ids).toHaveLength(8);
    const listed = await slurm.jobs({ jobIds: ids, includeFinished: true });
    expect(listed.ok && listed.value.map((j) => j.comment).sort()).toEqual(tasks.map((t) => jobComment(t, setupIdentity(config))).sort());
    expect(listed.ok && listed.value.every((j) => /^ptb-(gsm8k|humaneval)-claude$/.test(j.name))).toBe(true);
    const keys = new Set(tasks.map(taskKey));
    expect(
      readLedger(ledger)
        .filter((e) => keys.has(e.key))
        .map((e) => e.jobId)
        .sort(),
    ).toEqual([...ids].sort());
    // The ledger keeps what each job asked for, and it is what Slurm holds.
    for (const job of listed.ok ? listed.value : []) {
      const entry = readLedger(ledger).find((e) => e.jobId === job.rawJobId);
      expect(entry?.resolved).toMatchObject({ image: 'standard', gres: 'gpu:h100:1', cpus: job.cpus, mem: '4G', timeLimit: '0:10:00' });
      expect(job.timeLimitSeconds).toBe(600);
    }

    const again = await submitTasks(slurm, config, tasks, options);
    expect(again.outcomes.filter((o) => o.status === 'submitted')).toHaveLength(0);

    // Once the runs scored, they are skipped for that reason.
    await waitFor(
      async () => {
        const r = await slurm.jobs({ jobIds: ids, includeFinished: true });
        return r.ok && r.value.length === 8 && r.value.every((j) => j.state === 'COMPLETED');
      },
      { timeoutMs: 90_000, what: 'the 8 fixture runs to complete' },
    );
    const third = await submitTasks(slurm, config, tasks, options);
    expect(third.outcomes.map((o) => (o.status === 'skipped' ? o.reason : o.status))).toEqual(Array(8).fill('scored'));
    // What upstream's aggregate_methods.py reads: every folder of the results is a method, every folder in it a run.
    for (const method of readdirSync(config.resultsDir)) {
      for (const run of readdirSync(join(config.resultsDir, method))) expect(run, `${method}/${run}`).toMatch(/^[^_]+_[^_]+_[^_]+_\d+$/);
    }

    // The keys reached the runs (the fixture ran with them) but nothing Slurm or ptb stored shows them.
    for (const id of ids.slice(0, 2)) {
      const shown = await run('scontrol', ['show', 'job', '-dd', String(id)], { timeoutMs: 10_000 });
      const script = await run('scontrol', ['write', 'batch_script', String(id), '-'], { timeoutMs: 10_000 });
      for (const out of [shown, script]) {
        expect(out.kind).toBe('ok');
        for (const secret of Object.values(PLANTED)) expect(out.kind === 'ok' && out.stdout).not.toContain(secret);
      }
    }
    const stored = [readFileSync(ledger, 'utf8'), ...first.outcomes.flatMap((o) => (o.status === 'submitted' ? [readFileSync(o.script, 'utf8')] : []))].join(
      '\n',
    );
    for (const secret of Object.values(PLANTED)) expect(stored).not.toContain(secret);
  });

  it('submits one job array per agent: %N throttle, never twice, recovered from squeue after a crash', async () => {
    const arrayTasks = tasks.map((t) => ({ ...t, experiment: '_array' }));
    const arrayLedger = join(root, 'state', 'array-ledger.jsonl');
    const slow = createSlurm({ env: { ...process.env, PTB_FIXTURE_OUTCOME: 'slow', PTB_FIXTURE_SLEEP: '60' } });
    const first = await submitTasks(slow, { ...config, throttle: { claude: 3 } }, arrayTasks, { ...options, ledgerFile: arrayLedger, array: true });
    expect(first.stopped).toBeNull();
    const submitted = first.outcomes.flatMap((o) => (o.status === 'submitted' ? [o] : []));
    const arrayId = submitted[0]?.jobId ?? 0;
    slurm.submittedIds.push(arrayId);
    expect(submitted.map((o) => [o.jobId, o.arrayIndex])).toEqual(arrayTasks.map((_, i) => [arrayId, i]));

    const expanded = async () => {
      const r = await slurm.jobs({ jobIds: [arrayId], expandArrays: true });
      return r.ok ? r.value : [];
    };
    await waitFor(async () => (await expanded()).filter((j) => j.state === 'RUNNING').length === 3, { timeoutMs: 30_000, what: 'three array tasks to start' });
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    const jobs = await expanded();
    expect(jobs.filter((j) => j.state === 'RUNNING')).toHaveLength(3);
    expect(new Set(jobs.filter((j) => j.state === 'PENDING').map((j) => j.reason))).toEqual(new Set(['JobArrayTaskLimit']));

    // A crash lost the ledger: the array's comment names its manifest, so every task is still found.
    rmSync(arrayLedger);
    const again = await submitTasks(slurm, config, arrayTasks, { ...options, ledgerFile: arrayLedger, array: true });
    expect(again.outcomes.map((o) => (o.status === 'skipped' ? `${o.reason} ${jobLabel(o.jobId, o.arrayIndex)}` : o.status))).toEqual(
      arrayTasks.map((_, i) => `active ${arrayId}_${i}`),
    );
    expect(readLedger(arrayLedger).map((e) => [e.key, e.jobId, e.arrayIndex, e.reconciled])).toEqual(
      expect.arrayContaining(arrayTasks.map((t, i) => [taskKey(t), arrayId, i, true])),
    );
    await slurm.cancel([arrayId]);
  });

  it('gives each array task its own job id as the cluster id of its run folder', async () => {
    const baselines = expandPlan(
      { models: ['Qwen/Qwen3-1.7B-Base'], evals: ['gsm8k', 'humaneval'], agentConfigs: [], hours: [], gpus: 1, baseline: true, containerTests: [] },
      { evals: ['gsm8k', 'humaneval'], agents: ['claude'], agentConfigs: AGENT_CONFIGS },
      '',
    );
    const result = await submitTasks(slurm, config, baselines.ok ? baselines.tasks : [], { ...options, array: true });
    const arrayId = result.outcomes[0]?.status === 'submitted' ? result.outcomes[0].jobId : 0;
    slurm.submittedIds.push(arrayId);
    const done = await waitFor(
      async () => {
        const r = await slurm.jobs({ jobIds: [arrayId], includeFinished: true, expandArrays: true });
        return r.ok && r.value.length === 2 && r.value.every((j) => j.state === 'COMPLETED') ? r.value : undefined;
      },
      { timeoutMs: 60_000, what: 'the two baselines to complete' },
    );
    const own = done.map((j) => j.rawJobId).sort();
    expect(new Set(own).size).toBe(2);
    const folders = readdirSync(join(config.resultsDir, 'baseline'))
      .map((name) => Number(name.split('_').pop()))
      .sort();
    expect(folders).toEqual(own);
  });

  it('finds a job submitted just before a crash (no ledger entry) by its comment, and records it; an earlier ptb one by its script', async () => {
    const task = { ...tasks[0]!, experiment: '_crash' };
    const orphan = await slurm.submit({
      payload: { wrap: 'sleep 60' },
      jobName: 'ptb-gsm8k-claude',
      comment: jobComment(task, setupIdentity(config)),
      partition: 'cpu',
      time: '00:05:00',
      output: '/dev/null',
    });
    if (!orphan.ok) throw new Error(orphan.error.message);
    const result = await submitTasks(slurm, config, [task], options);
    expect(result.outcomes).toEqual([expect.objectContaining({ status: 'skipped', reason: 'active', jobId: orphan.value.jobId })]);
    expect(readLedger(ledger).find((e) => e.jobId === orphan.value.jobId)).toMatchObject({
      reconciled: true,
      key: taskKey(task),
      setup: setupIdentity(config).id,
    });

    // An earlier ptb's comment carries no setup: its script, in this setup's folder, tells.
    const legacy = { ...tasks[1]!, experiment: '_crash' };
    const script = join(experimentDir(config, '_crash'), 'scripts', 'legacy.sbatch');
    mkdirSync(dirname(script), { recursive: true });
    writeFileSync(script, '#!/bin/bash\nsleep 60\n');
    const old = await slurm.submit({
      payload: { script },
      jobName: 'ptb-gsm8k-claude',
      comment: taskKey(legacy),
      partition: 'cpu',
      time: '00:05:00',
      output: '/dev/null',
    });
    if (!old.ok) throw new Error(old.error.message);
    const again = await submitTasks(slurm, config, [legacy], options);
    expect(again.outcomes).toEqual([expect.objectContaining({ status: 'skipped', reason: 'active', jobId: old.value.jobId })]);
    expect(readLedger(ledger).find((e) => e.jobId === old.value.jobId)).toMatchObject({ reconciled: true, key: taskKey(legacy), script });
    await slurm.cancel([orphan.value.jobId, old.value.jobId]);
  });

  it('gives a job only the variables it needs from the submitting shell: a secret-looking one is in no stored environment', async () => {
    const leaky = createSlurm({
      env: { ...process.env, OPENAI_KEY_BACKUP: 'sk-proj-planted-leak-0003', MY_NOTES: 'not for jobs', PTB_FIXTURE_OUTCOME: 'slow', PTB_FIXTURE_SLEEP: '60' },
    });
    const result = await submitTasks(leaky, config, [{ ...tasks[0]!, experiment: '_env' }], options);
    const jobId = result.outcomes[0]?.status === 'submitted' ? result.outcomes[0].jobId : 0;
    slurm.submittedIds.push(jobId);
    expect(jobId).toBeGreaterThan(0);
    // What the controller keeps for the job, and starts it with: StateSaveLocation/hash.N/job.ID/environment.
    const saved = await run('scontrol', ['show', 'config'], { timeoutMs: 10_000 });
    const stateDir = saved.kind === 'ok' ? (/^StateSaveLocation\s*=\s*(\S+)/m.exec(saved.stdout)?.[1] ?? '') : '';
    const stored = readFileSync(clusterPath(join(stateDir, `hash.${jobId % 10}`, `job.${jobId}`, 'environment')), 'latin1').split('\0');
    const names = stored.map((entry) => entry.split('=')[0]);
    expect(names).toContain('PATH');
    expect(names).toContain('PTB_FIXTURE_OUTCOME');
    expect(names).not.toContain('MY_NOTES');
    expect(stored.join('\n')).not.toContain('sk-proj-planted-leak-0003');
    const shown = await run('scontrol', ['show', 'job', '-dd', String(jobId)], { timeoutMs: 10_000 });
    expect(shown.kind === 'ok' && shown.stdout).not.toContain('sk-proj-planted-leak-0003');
    await slurm.cancel([jobId]);
  });

  it.each([
    ['v1.0', FIXTURE_CHECKOUT],
    ['v1.1', FIXTURE_CHECKOUT_V11],
  ])("dry-runs every recipe of the %s checkout's commit.sh, each script running run_task.sh with the recipe's values", async (generation, checkout) => {
    const known = knownTo(config, readCheckout(checkout));
    const plan = {
      models: ['Qwen/Qwen3-1.7B-Base'],
      evals: ['gsm8k'],
      agentConfigs: [],
      hours: [],
      gpus: 1,
      baseline: false,
      containerTests: [],
      recipes: true,
    };
    const expanded = expandPlan(plan, known, `_recipes${generation.replace('.', '')}`);
    if (!expanded.ok) throw new Error(expanded.problems.join('; '));
    expect(expanded.tasks).toHaveLength(34);
    // This node has 4 GPUs and a 2-day partition limit: the 8-GPU and 50-hour recipes are Slurm's to refuse.
    const fits = expanded.tasks.filter((t) => t.gpus <= 4 && t.hours <= 47);
    const checked = await submitTasks(slurm, config, fits, { ...options, dryRun: true });
    expect(checked.stopped).toBeNull();
    expect(checked.outcomes.map((o) => o.status)).toEqual(fits.map(() => 'checked'));
    for (const o of checked.outcomes) {
      if (o.status !== 'checked') continue;
      const t = o.task;
      expect(readFileSync(o.script, 'utf8')).toContain(
        `exec bash src/run_task.sh 'gsm8k' '${t.agent}' 'Qwen/Qwen3-1.7B-Base' "$SLURM_JOB_ID" '${t.hours}' '${t.config}' '${t.gpus}'\n`,
      );
    }
    const eight = expanded.tasks.find((t) => t.gpus === 8);
    if (!eight) throw new Error('no 8-GPU recipe');
    const big = await submitTasks(slurm, config, [{ ...eight, hours: 10 }], { ...options, dryRun: true });
    expect(big.outcomes).toEqual([
      expect.objectContaining({ status: 'failed', message: expect.stringContaining('Requested node configuration is not available') }),
    ]);
    const scripts = join(experimentDir(config, `_recipes${generation.replace('.', '')}`), 'scripts');
    const [script = ''] = readdirSync(scripts).filter((f) => f.includes('claude_non_api') && f.includes('__8'));
    expect(readFileSync(join(scripts, script), 'utf8')).toMatch(
      /#SBATCH --gres=gpu:h100:8\n#SBATCH --constraint=h100\n#SBATCH --cpus-per-task=128\n#SBATCH --mem=524288M\n/,
    );
  });

  it('names script files with shell-safe characters only, whatever the agent configuration holds', async () => {
    const hostile = [
      { ...tasks[0]!, config: 'opus$(id);`x`', experiment: '_hostile' },
      { ...tasks[0]!, config: 'opus$(id);`y`', experiment: '_hostile' },
    ];
    const result = await submitTasks(slurm, config, hostile, { ...options, dryRun: true });
    const scripts = result.outcomes.flatMap((o) => (o.status === 'checked' ? [o.script] : []));
    expect(scripts).toHaveLength(2);
    expect(new Set(scripts).size).toBe(2);
    for (const script of scripts) expect(script.slice(script.lastIndexOf('/') + 1)).toMatch(/^[A-Za-z0-9._+=-]+\.sbatch$/);
    // The configuration itself reaches run_task.sh unchanged, quoted.
    expect(readFileSync(scripts[0]!, 'utf8')).toContain(`'opus$(id);\`x\`'`);
  });

  it('stops at the first refusal with Slurm own message, and says how to resume', async () => {
    const result = await submitTasks(slurm, { ...config, slurm: { ...config.slurm, partition: 'nope' } }, [{ ...tasks[0]!, experiment: '_refused' }], options);
    expect(result.outcomes).toEqual([expect.objectContaining({ status: 'failed', message: expect.stringContaining('invalid partition specified: nope') })]);
    expect(result.stopped).toMatch(/run the same plan again/);
  });
});
