import { invoke, type SlurmContext } from './context.js';
import { invalidTimeLimit } from './duration.js';
import { isSecretName, JOB_ENVIRONMENT, passedVariables } from './env.js';
import { failure, success, type SlurmResult } from './errors.js';

/** What to submit: a batch script file (with arguments) or a one-line command. */
export type BatchPayload = { script: string; args?: readonly string[] } | { wrap: string };

/** A typed sbatch request. Every field maps to one sbatch option; nothing goes through a shell. */
export interface BatchSpec {
  payload: BatchPayload;
  jobName?: string;
  partition?: string;
  gres?: string;
  constraint?: string;
  cpusPerTask?: number;
  /** Slurm notation: `128G`, `512M`. */
  mem?: string;
  /** Slurm notation: `12:00:00`, `1-00:00:00`. */
  time?: string;
  tmp?: string;
  account?: string;
  qos?: string;
  output?: string;
  error?: string;
  chdir?: string;
  comment?: string;
  hold?: boolean;
  array?: string;
  dependency?: string;
  /**
   * `--export`: the job gets only these variables of the submitting environment (names, or
   * prefixes as `APPTAINER_*`; JOB_ENVIRONMENT when not given) and those `set` here, never the
   * whole login shell: its secrets would be stored with the job by the controller.
   */
  environment?: { pass?: readonly string[]; set?: Readonly<Record<string, string>> };
  requeue?: boolean;
}

const MEMORY = /^\d+[KMGT]?$/;
const GRES = /^[A-Za-z0-9_.-]+(:[A-Za-z0-9_.-]+)*$/;
const ARRAY = /^[\d,\-:%]+$/;

/**
 * Problems sbatch would not report, or would accept with exit 0 and store garbage for
 * (`--time=-5`); plus the rule that no secret travels through `--export`.
 */
export function validateBatchSpec(spec: BatchSpec): string[] {
  const problems: string[] = [];
  const text = (label: string, value: string | undefined) => {
    if (value === undefined) return;
    if (value.trim() === '') problems.push(`${label} is empty`);
    if (/[\n\r\0]/.test(value)) problems.push(`${label} contains a line break or NUL byte`);
  };
  text('job name', spec.jobName);
  text('partition', spec.partition);
  text('constraint', spec.constraint);
  text('account', spec.account);
  text('qos', spec.qos);
  text('output path', spec.output);
  text('error path', spec.error);
  text('working directory', spec.chdir);
  text('comment', spec.comment);
  if ('script' in spec.payload) text('batch script path', spec.payload.script);
  else text('command', spec.payload.wrap);
  if (spec.time !== undefined) {
    const reason = invalidTimeLimit(spec.time);
    if (reason) problems.push(`time limit: ${reason}`);
  }
  if (spec.mem !== undefined && !MEMORY.test(spec.mem)) problems.push(`memory "${spec.mem}" is not Slurm notation (e.g. 128G, 512M)`);
  if (spec.tmp !== undefined && !MEMORY.test(spec.tmp)) problems.push(`tmp disk "${spec.tmp}" is not Slurm notation (e.g. 400G)`);
  if (spec.gres !== undefined && !GRES.test(spec.gres)) problems.push(`GRES "${spec.gres}" is not of the form gpu:1 or gpu:h100:1`);
  if (spec.cpusPerTask !== undefined && !(Number.isInteger(spec.cpusPerTask) && spec.cpusPerTask > 0)) {
    problems.push(`CPUs per task must be a positive whole number (got ${spec.cpusPerTask})`);
  }
  if (spec.array !== undefined && !ARRAY.test(spec.array)) problems.push(`array "${spec.array}" is not of the form 0-9 or 0-9%2`);
  for (const [name, value] of Object.entries(spec.environment?.set ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) problems.push(`"${name}" is not a valid environment variable name`);
    if (isSecretName(name)) problems.push(`${name} looks like a secret: secrets never go through --export (the batch script reads them at run time)`);
    if (/[,\n]/.test(value)) problems.push(`the value of ${name} contains a comma or line break, which --export cannot carry`);
  }
  return problems;
}

/**
 * The argv of sbatch for a spec; `--parsable` or `--test-only` decide what sbatch prints. `env`
 * is sbatch's own environment: the variables the job may get are those of it that are there.
 */
export function sbatchArgs(spec: BatchSpec, mode: 'submit' | 'test-only', env: Readonly<Record<string, string>> = {}): string[] {
  const args: string[] = [mode === 'submit' ? '--parsable' : '--test-only'];
  const opt = (flag: string, value: string | number | undefined) => {
    if (value !== undefined) args.push(`--${flag}=${value}`);
  };
  opt('job-name', spec.jobName);
  opt('partition', spec.partition);
  opt('gres', spec.gres);
  opt('constraint', spec.constraint);
  opt('cpus-per-task', spec.cpusPerTask);
  opt('mem', spec.mem);
  opt('time', spec.time);
  opt('tmp', spec.tmp);
  opt('account', spec.account);
  opt('qos', spec.qos);
  opt('output', spec.output);
  opt('error', spec.error);
  opt('chdir', spec.chdir);
  opt('comment', spec.comment);
  opt('array', spec.array);
  opt('dependency', spec.dependency);
  if (spec.hold) args.push('--hold');
  if (spec.requeue === true) args.push('--requeue');
  if (spec.requeue === false) args.push('--no-requeue');
  const set = spec.environment?.set ?? {};
  const passed = passedVariables(env, spec.environment?.pass ?? JOB_ENVIRONMENT).filter((name) => !(name in set));
  const exported = [...passed, ...Object.entries(set).map(([k, v]) => `${k}=${v}`)];
  args.push(`--export=${exported.length > 0 ? exported.join(',') : 'NONE'}`);
  if ('wrap' in spec.payload) args.push(`--wrap=${spec.payload.wrap}`);
  else args.push(spec.payload.script, ...(spec.payload.args ?? []));
  return args;
}

/** `16` or `16;cluster` (what --parsable prints) → 16. */
export function parseParsable(stdout: string): number | undefined {
  const match = /^(\d+)(;\S+)?\s*$/m.exec(stdout.trim());
  return match ? Number(match[1]) : undefined;
}

export interface TestOnlyEstimate {
  jobId: number | null;
  startTime: string | null;
  processors: number | null;
  nodes: string | null;
  partition: string | null;
}

/** `sbatch: Job 20 to start at 2026-11-28T17:32:47 using 1 processors on nodes vm in partition cpu` (on stderr). */
export function parseTestOnly(stderr: string): TestOnlyEstimate | undefined {
  const match = /Job (\d+) to start at (\S+) using (\d+) processors on nodes (\S+) in partition (\S+)/.exec(stderr);
  if (!match) return undefined;
  return {
    jobId: Number(match[1]),
    startTime: match[2] ?? null,
    processors: Number(match[3]),
    nodes: match[4] ?? null,
    partition: match[5] ?? null,
  };
}

function invalid(message: string): SlurmResult<never> {
  return failure({ kind: 'invalid-request', command: 'sbatch', message, detail: '' });
}

/** Asks Slurm whether the request could run, without submitting it (`--test-only`). */
export async function testSubmit(ctx: SlurmContext, spec: BatchSpec): Promise<SlurmResult<TestOnlyEstimate>> {
  const problems = validateBatchSpec(spec);
  if (problems.length > 0) return invalid(problems.join('; '));
  const out = await invoke(ctx, 'sbatch', sbatchArgs(spec, 'test-only', ctx.env));
  if (!out.ok) return out;
  const estimate = parseTestOnly(out.value.stderr);
  if (!estimate)
    return failure({ kind: 'failed', command: 'sbatch', message: `sbatch --test-only gave no estimate: ${out.value.stderr.trim()}`, detail: out.value.stderr });
  return success(estimate);
}

/**
 * Submits a job and returns its id. The request is validated here and checked with
 * `--test-only` first, because sbatch accepts some impossible requests with exit 0 (a job
 * that then pends forever with Reason=PartitionConfig). Pass `precheck: false` only when the
 * same resource shape was just checked.
 *
 * A `timeout` or `unreachable` error leaves the outcome unknown: sbatch may have reached the
 * controller. Callers that must never submit twice look for the job (by name or comment) first.
 */
export async function submit(ctx: SlurmContext, spec: BatchSpec, options: { precheck?: boolean } = {}): Promise<SlurmResult<{ jobId: number }>> {
  const problems = validateBatchSpec(spec);
  if (problems.length > 0) return invalid(problems.join('; '));
  if (options.precheck !== false) {
    const check = await testSubmit(ctx, spec);
    if (!check.ok) return check;
  }
  const out = await invoke(ctx, 'sbatch', sbatchArgs(spec, 'submit', ctx.env));
  if (!out.ok) return out;
  const jobId = parseParsable(out.value.stdout);
  if (jobId === undefined) {
    return failure({
      kind: 'failed',
      command: 'sbatch',
      message: `sbatch printed no job id: ${(out.value.stdout + out.value.stderr).trim()}`,
      detail: out.value.stderr,
    });
  }
  return success({ jobId });
}
