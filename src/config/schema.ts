import * as v from 'valibot';
import {
  checkAbsolutePath,
  checkAgentConfigName,
  checkConstraint,
  checkCpus,
  checkExperimentName,
  checkGres,
  checkHours,
  checkMemory,
  checkName,
  checkOptionalName,
  checkPassedVariable,
  checkTimeLimit,
  checkMailUser,
} from './field-checks.js';

/** A string field validated by one of the wizard's own checks, with the check's own message. */
const checked = (check: (value: string) => string | undefined) =>
  v.pipe(
    v.string(),
    v.check(
      (value) => check(value) === undefined,
      (issue) => check(String(issue.input)) ?? 'invalid',
    ),
  );

const wholeNumber = (check: (value: number) => string | undefined) =>
  v.pipe(
    v.number(),
    v.check(
      (value) => check(value) === undefined,
      (issue) => check(Number(issue.input)) ?? 'invalid',
    ),
  );

/** Where the run's big temporary files go on the compute node. */
export const SCRATCH_STRATEGIES = {
  tmp: 'node-local /tmp, as upstream hard-codes it (check it has 400 GB free)',
  tmpdir: "the job's $TMPDIR (Slurm's per-job scratch, often node-local SSD)",
} as const;

export const ConfigSchema = v.strictObject({
  version: v.literal(1),
  checkout: checked(checkAbsolutePath),
  hfHome: checked(checkAbsolutePath),
  resultsDir: checked(checkAbsolutePath),
  containersDir: checked(checkAbsolutePath),
  containerName: checked((x) => checkName(x, 'the container name')),
  experimentName: checked(checkExperimentName),
  hours: wholeNumber(checkHours),
  /** The agents planned for this experiment: they decide which API keys are needed. */
  agents: v.array(checked((x) => checkName(x, 'an agent name'))),
  slurm: v.strictObject({
    partition: checked((x) => checkName(x, 'the partition')),
    gres: checked(checkGres),
    constraint: checked(checkConstraint),
    account: checked((x) => checkOptionalName(x, 'the account')),
    qos: checked((x) => checkOptionalName(x, 'the QOS')),
    cpusPerTask: wholeNumber(checkCpus),
    mem: checked(checkMemory),
    time: checked(checkTimeLimit),
    /** `--tmp`, or '' where the nodes report no TmpDisk. */
    tmp: checked((x) => (x === '' ? undefined : checkMemory(x))),
    /** Exported as HOME in the batch script (the guide's pitfall 2: Apptainer's --home). */
    home: checked(checkAbsolutePath),
    scratch: v.picklist(Object.keys(SCRATCH_STRATEGIES) as (keyof typeof SCRATCH_STRATEGIES)[]),
    /** Slurm's own mail when a job ends or fails (--mail-type=END,FAIL --mail-user); '' or absent: none. */
    mailUser: v.optional(checked(checkMailUser)),
  }),
  /** Agent configurations beyond the built-in catalog (hand-edited; the wizard keeps them). */
  agentConfigs: v.optional(
    v.array(
      v.strictObject({
        agent: checked((x) => checkName(x, 'an agent name')),
        config: checked(checkAgentConfigName),
        container: v.optional(checked((x) => checkName(x, 'the container name'))),
      }),
    ),
  ),
  /** At most this many jobs of an agent at once (`{"gemini": 8}` is upstream's; 0 lifts a limit). */
  throttle: v.optional(v.record(v.string(), v.pipe(v.number(), v.integer('a whole number'), v.minValue(0, 'at least 0')))),
  /** The image per `agent/config`, overriding upstream's (e.g. `{"claude/claude-opus-4-6": "standard"}`). */
  containers: v.optional(
    v.record(
      v.string(),
      checked((x) => checkName(x, 'the container name')),
    ),
  ),
  /** More variables jobs get from the submitting shell, beyond JOB_ENVIRONMENT: names, or prefixes as `MY_SITE_*`. */
  passEnvironment: v.optional(v.array(checked(checkPassedVariable))),
  /** A bell and a desktop notification (OSC 9 / 777) when a ptb job ends, fails or is requeued; off unless set. */
  notify: v.optional(v.boolean()),
  /** The API spend an experiment may reach (USD): the review warns before a plan that would pass it. */
  spendLimitUsd: v.optional(v.pipe(v.number(), v.minValue(0, 'at least 0'))),
  /**
   * API prices per model (the agent configuration's name, `gpt-5.3-codex`), for agents that report
   * tokens and no cost: USD per million input and output tokens, and the day the price was read.
   */
  prices: v.optional(
    v.record(
      v.string(),
      v.strictObject({
        inputPerMTok: v.pipe(v.number(), v.minValue(0, 'at least 0')),
        outputPerMTok: v.pipe(v.number(), v.minValue(0, 'at least 0')),
        date: v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD: the day the price was read')),
      }),
    ),
  ),
});

/** Fields the wizard does not ask for: kept from the saved configuration when it saves. */
export const HAND_EDITED_FIELDS = ['agentConfigs', 'containers', 'throttle', 'passEnvironment', 'notify', 'prices', 'spendLimitUsd'] as const;

export type Config = v.InferOutput<typeof ConfigSchema>;
export type SlurmSettings = Config['slurm'];

export interface ConfigProblem {
  /** `slurm.time`, or `line 3, column 5` for a syntax error. */
  where: string;
  message: string;
}

/** Validates parsed JSON against the schema; problems name the field as a dotted path. */
export function validateConfig(data: unknown): { ok: true; config: Config } | { ok: false; problems: ConfigProblem[] } {
  const result = v.safeParse(ConfigSchema, data);
  if (result.success) return { ok: true, config: result.output };
  return {
    ok: false,
    problems: result.issues.map((issue) => ({
      where: issue.path?.map((p) => String(p.key)).join('.') || '(top level)',
      message: issue.kind === 'validation' ? issue.message : describeSchemaIssue(issue),
    })),
  };
}

function describeSchemaIssue(issue: v.BaseIssue<unknown>): string {
  if (issue.type === 'strict_object' && issue.input !== undefined) return 'is not a known setting (a typo?)';
  if (issue.input === undefined) return 'is missing';
  return `expected ${issue.expected ?? 'another value'}, found ${issue.received}`;
}
