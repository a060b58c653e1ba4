import { checkMailUser } from '../../src/config/field-checks.js';
import { AGENT_CONFIGS } from '../../src/catalog/agent-configs.js';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/schema.js';
import { expandPlan, parsePlan, readPlanFile } from '../../src/plan/plan.js';
import { containerTest, methodFolder, parseTaskKey, taskKey, type Task } from '../../src/plan/task.js';
import { run } from '../../src/process/run.js';
import { gresFor, planTasks } from '../../src/plan/resolve.js';
import { renderArrayScript, renderBatchScript } from '../../src/submit/batch-script.js';
import { appendLedger, readLedger } from '../../src/submit/ledger.js';

const dir = mkdtempSync(join(tmpdir(), 'ptb-script-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const config: Config = {
  version: 1,
  checkout: '/work/PostTrainBench',
  hfHome: '/shared/hf',
  resultsDir: '/shared/results',
  containersDir: '/shared/containers',
  containerName: 'standard',
  experimentName: '_run1',
  hours: 10,
  agents: ['claude'],
  slurm: {
    partition: 'gpu',
    gres: 'gpu:h100:1',
    constraint: 'h100',
    account: 'proj42',
    qos: '',
    cpusPerTask: 16,
    mem: '128G',
    time: '12:00:00',
    tmp: '400G',
    home: '/home/me',
    scratch: 'tmp',
  },
};
const task: Task = {
  kind: 'agent',
  eval: 'gsm8k',
  model: 'Qwen/Qwen3-1.7B-Base',
  agent: 'claude_non_api',
  config: 'claude-opus-4-6[1m]',
  hours: 10,
  gpus: 1,
  experiment: '_run1',
};
/** A task as a plan of its own resolves it. */
const one = (t: Task, c: Config = config) => planTasks([t], c)[0]!;
const paths = { logsDir: '/shared/results.ptb-slurm/_run1/logs', secretsFile: '/home/me/.config/ptb-slurm/secrets.env' };

describe('the batch script', () => {
  it('matches the golden script: #SBATCH lines from the config, the comment, keys sourced at run time', async () => {
    await expect(renderBatchScript(one(task), config, paths)).toMatchFileSnapshot('../golden/scripts/agent-task.sbatch');
    await expect(renderBatchScript(one({ ...task, kind: 'baseline', agent: '', config: '', hours: 0 }), config, paths)).toMatchFileSnapshot(
      '../golden/scripts/baseline-task.sbatch',
    );
    await expect(renderBatchScript(one(containerTest('opus_4_6_1m')), config, paths)).toMatchFileSnapshot('../golden/scripts/container-test.sbatch');
  });

  it("runs every agent configuration in the setup's image, as upstream does, unless the configuration gives a pair its own", () => {
    const image = (t: Task, c: Config = config) => /POST_TRAIN_BENCH_CONTAINER_NAME='([^']*)'/.exec(renderBatchScript(one(t, c), c, paths))?.[1];
    expect(image(task)).toBe('standard');
    expect(image({ ...task, agent: 'claude', config: 'claude-sonnet-4-5' }, { ...config, containerName: 'mine' })).toBe('mine');
    expect(image(task, { ...config, containers: { 'claude_non_api/claude-opus-4-6[1m]': 'opus_4_6_1m' } })).toBe('opus_4_6_1m');
    expect(
      image(
        { ...task, agent: 'claude', config: 'claude-opus-9' },
        { ...config, agentConfigs: [{ agent: 'claude', config: 'claude-opus-9', container: 'opus_9' }] },
      ),
    ).toBe('opus_9');
    expect(image({ ...task, kind: 'baseline' })).toBe('standard');
  });

  it('throttles an agent through slot names: N names, one running job each (--dependency=singleton)', () => {
    const gemini = (i: number): Task => ({ ...task, agent: 'gemini', config: 'models/gemini-3-pro-preview', eval: `e${i}` });
    const plan = [gemini(0), { ...task, agent: 'claude' }, gemini(1), gemini(2), containerTest('standard')];
    const slots = (c: Config) => planTasks(plan, c).map((p) => p.slot);
    expect(slots(config)).toEqual([0, null, 1, 2, null]);
    expect(slots({ ...config, throttle: { gemini: 2 } })).toEqual([0, null, 1, 0, null]);
    expect(slots({ ...config, throttle: { gemini: 0, claude: 1 } })).toEqual([null, 0, null, null, null]);
    const third = planTasks(plan, { ...config, throttle: { gemini: 2 } })[3]!;
    expect(renderBatchScript(third, config, paths)).toContain('#SBATCH --job-name=ptb-gemini-slot0\n#SBATCH --dependency=singleton\n');
    expect(renderBatchScript(one(gemini(0), { ...config, throttle: { gemini: 0 } }), config, paths)).not.toContain('singleton');
  });

  it('asks Slurm to mail when a job ends or fails only where the setup gives an address', () => {
    const mailed = { ...config, slurm: { ...config.slurm, mailUser: 'ana@example.org' } };
    expect(renderBatchScript(one(task, mailed), mailed, paths)).toContain('#SBATCH --mail-type=END,FAIL\n#SBATCH --mail-user=ana@example.org\n');
    expect(renderBatchScript(one(task), config, paths)).not.toContain('--mail');
    expect(checkMailUser('ana example')).toMatch(/without spaces/);
    expect(checkMailUser('')).toBeUndefined();
  });

  it('scales GRES and CPUs with the GPU count', () => {
    expect(gresFor('gpu:h100:1', 8)).toBe('gpu:h100:8');
    expect(gresFor('gpu', 2)).toBe('gpu:2');
    const eight = renderBatchScript(one({ ...task, gpus: 8 }), config, paths);
    expect(eight).toContain('#SBATCH --gres=gpu:h100:8');
    expect(eight).toContain('#SBATCH --cpus-per-task=128');
    expect(eight).toMatch(/'claude-opus-4-6\[1m\]' '8'$/m);
  });

  it('passes hostile values to run_task.sh byte for byte', async () => {
    const checkout = join(dir, 'checkout');
    mkdirSync(join(checkout, 'src'), { recursive: true });
    // A stand-in run_task.sh that prints each argument on its own line, NUL-free.
    writeFileSync(
      join(checkout, 'src', 'run_task.sh'),
      'for a in "$@"; do printf "<%s>\\n" "$a"; done; printf "<HOME=%s><EXP=%s><KEY=%s>\\n" "$HOME" "$POST_TRAIN_BENCH_EXPERIMENT_NAME" "$ANTHROPIC_API_KEY"\n',
    );
    const secrets = join(dir, 'secrets.env');
    writeFileSync(secrets, "ANTHROPIC_API_KEY='sk-ant-from-file'\n");
    chmodSync(secrets, 0o600);
    const hostile: Task = { ...task, model: "Org/it's $HOME `x` a,b", config: 'models/gemini-3 "pro" [1m] $(id)', experiment: '_a,b$c' };
    const script = join(dir, 'task.sbatch');
    const theirs = { ...config, slurm: { ...config.slurm, home: "/home/o'neil" } };
    writeFileSync(script, renderBatchScript(one(hostile, theirs), theirs, { ...paths, secretsFile: secrets }));
    const result = await run('bash', [script], { timeoutMs: 10_000, cwd: checkout, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', SLURM_JOB_ID: '4242' } });
    expect(result.kind).toBe('ok');
    expect(result.kind === 'ok' && result.stdout).toBe(
      [
        '<gsm8k>',
        '<claude_non_api>',
        `<Org/it's $HOME \`x\` a,b>`,
        '<4242>',
        '<10>',
        '<models/gemini-3 "pro" [1m] $(id)>',
        '<1>',
        `<HOME=/home/o'neil><EXP=_a,b$c><KEY=sk-ant-from-file>`,
        '',
      ].join('\n'),
    );
  });

  it('runs, in a job array, the task of its own index, hostile values byte for byte, its own job id as cluster id', async () => {
    const checkout = join(dir, 'checkout');
    const secrets = join(dir, 'secrets.env');
    const hostile: Task = { ...task, model: "Org/it's $HOME `x` a,b", config: 'models/gemini-3 "pro" [1m] $(id)', experiment: '_a,b$c' };
    const tasks = [task, hostile, { ...task, eval: 'humaneval', hours: 2 }];
    const manifest = '/shared/results.ptb-slurm/_run1/arrays/claude_non_api-1.json';
    await expect(renderArrayScript(planTasks(tasks, config), config, { ...paths, manifest, limit: 2 })).toMatchFileSnapshot('../golden/scripts/array.sbatch');
    const script = join(dir, 'array.sbatch');
    writeFileSync(script, renderArrayScript(planTasks(tasks, config), config, { ...paths, secretsFile: secrets, manifest, limit: 2 }));
    const runIndex = (index: string) =>
      run('bash', [script], {
        timeoutMs: 10_000,
        cwd: checkout,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', SLURM_JOB_ID: '5001', SLURM_ARRAY_TASK_ID: index },
      });
    const second = await runIndex('1');
    expect(second.kind === 'ok' && second.stdout).toBe(
      [
        '<gsm8k>',
        '<claude_non_api>',
        `<Org/it's $HOME \`x\` a,b>`,
        '<5001>',
        '<10>',
        '<models/gemini-3 "pro" [1m] $(id)>',
        '<1>',
        `<HOME=/home/me><EXP=_run1><KEY=sk-ant-from-file>`,
        '',
      ].join('\n'),
    );
    const third = await runIndex('2');
    expect(third.kind === 'ok' && third.stdout.split('\n').slice(0, 5)).toEqual(['<humaneval>', '<claude_non_api>', '<Qwen/Qwen3-1.7B-Base>', '<5001>', '<2>']);
    expect(await runIndex('3')).toMatchObject({ kind: 'failed', exitCode: 2, stderr: expect.stringContaining('this array has no task 3') });
  });

  it("reruns a run's evaluation on one GPU, or its judges on none, from the checkout's own scripts, into the run's folder", () => {
    const eight = { ...task, gpus: 8 };
    const evalOnly = renderBatchScript(one({ ...eight, kind: 'eval-only', rerunOf: 4242 }), config, paths);
    const dir = `/shared/results/claude_non_api_claude-opus-4-6_1m__10h_8gpu_run1/gsm8k_Qwen_Qwen3-1.7B-Base_4242`;
    expect(evalOnly).toContain('#SBATCH --job-name=ptb-gsm8k-evalonly\n');
    expect(evalOnly).toContain('#SBATCH --gres=gpu:h100:1\n');
    expect(evalOnly).toContain('#SBATCH --time=1:54:30\n');
    expect(evalOnly).toContain(
      `export REPO_ROOT="$PWD"\nexport RANDOM_UUID="$(cat /proc/sys/kernel/random/uuid)"\nexec bash dev_utils/test_evaluation/run_only_evaluation.sh 'gsm8k' '${dir}' "$HOME" "$SLURM_JOB_ID"\n`,
    );
    const judges = renderBatchScript(one({ ...eight, kind: 'judge-only', rerunOf: 4242 }), config, paths);
    expect(judges).not.toContain('--gres');
    expect(judges).toContain('#SBATCH --cpus-per-task=4\n#SBATCH --mem=81920M\n');
    expect(judges).toContain(`exec bash src/disallowed_usage_judge/run_judge.sh '${dir}'\n`);
  });

  it('never contains a key, and refuses a value an #SBATCH line cannot carry', () => {
    const text = renderBatchScript(one(task), config, paths);
    expect(text).not.toMatch(/sk-|API_KEY=/);
    expect(text).toContain('# PostTrainBench task written by ptb-slurm; its key: ptb1|agent|gsm8k|');
    expect(() => renderBatchScript(one(task), { ...config, checkout: '/my checkout' }, paths)).toThrow(/cannot go into an #SBATCH line/);
  });
});

describe('tasks, plans and the ledger', () => {
  it('keys a task stably, and names its folders like upstream', () => {
    expect(taskKey(task)).toBe('ptb1|agent|gsm8k|Qwen/Qwen3-1.7B-Base|claude_non_api|claude-opus-4-6[1m]|10|1|_run1');
    expect(parseTaskKey(taskKey(task))).toEqual(task);
    expect(methodFolder(task)).toBe('claude_non_api_claude-opus-4-6_1m__10h_run1');
    expect(methodFolder({ ...task, gpus: 8 })).toBe('claude_non_api_claude-opus-4-6_1m__10h_8gpu_run1');
  });

  it('lists the valid values of whatever a plan names wrongly', () => {
    const plan = parsePlan({
      models: ['Qwen/Qwen3-1.7B-Base', 'llama-7b'],
      evals: ['gsm8k', 'mmlu'],
      agentConfigs: ['claude/claude-opus-4-6', 'cursor/x', 'bad'],
      hours: [10],
    });
    expect(plan.ok).toBe(true);
    const expanded = plan.ok ? expandPlan(plan.plan, { evals: ['gsm8k', 'humaneval'], agents: ['claude', 'codex'], agentConfigs: AGENT_CONFIGS }, '') : null;
    expect(expanded).toEqual({
      ok: false,
      problems: [
        'unknown eval(s): mmlu (valid: gsm8k, humaneval)',
        expect.stringMatching(/^unknown model\(s\): llama-7b \(valid: google\/gemma-3-4b-pt, /),
        'agent cursor is not in the checkout (there: claude, codex)',
        '"bad" is not of the form agent/config',
      ],
    });
    expect(parsePlan({ models: 'x', evals: [], extra: 1 })).toMatchObject({
      ok: false,
      problems: expect.arrayContaining([
        '"extra" is not a plan field (fields: models, evals, agentConfigs, hours, gpus, baseline, containerTests, recipes)',
        'models: a list of model ids',
      ]),
    });
    const empty = parsePlan({ models: [], evals: ['gsm8k'], agentConfigs: ['claude/claude-opus-4-6'] });
    expect(empty.ok && expandPlan(empty.plan, { evals: ['gsm8k'], agents: ['claude'], agentConfigs: AGENT_CONFIGS }, '')).toEqual({
      ok: false,
      problems: ['the plan is empty: it names no model or no eval (and no container test)'],
    });
  });

  it('names the line of a plan file that is not JSON', async () => {
    const file = join(dir, 'plan.json');
    writeFileSync(file, '{\n  "models": ["a"],\n  "evals": [\n}\n');
    expect(await readPlanFile(file)).toEqual({ ok: false, problems: [expect.stringMatching(new RegExp(`^${file}, line 4: not valid JSON`))] });
  });

  it('appends to the ledger durably, and survives a line cut short by a crash', () => {
    const file = join(dir, 'state', 'ledger.jsonl');
    appendLedger(file, { at: 'now', key: taskKey(task), task, jobId: 7, script: '/s' });
    writeFileSync(file, readFileSync(file, 'utf8') + '{"at":"now","key":"ptb1|ag', { flag: 'w' });
    expect(readLedger(file).map((e) => e.jobId)).toEqual([7]);
  });
});
