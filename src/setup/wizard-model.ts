import { dotEnvFile } from '../checkout/dot-env.js';
import { detectGeneration, type Generation } from '../checkout/generation.js';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isCheckout, readCheckout, type Checkout } from '../checkout/detect.js';
import { KNOWN_KEYS, neededCredentials, TABLE_CREDENTIALS, type CheckoutCredentials, type KeyName } from '../config/agent-needs.js';
import {
  checkAbsolutePath,
  checkConstraint,
  checkCpus,
  checkExistingDir,
  checkExperimentName,
  checkGres,
  checkHours,
  checkMailUser,
  checkMemory,
  checkName,
  checkOptionalName,
  checkTimeLimit,
} from '../config/field-checks.js';
import { SCRATCH_STRATEGIES } from '../config/schema.js';
import { parseDuration } from '../slurm/duration.js';
import { parseMemoryMb } from '../slurm/fields.js';
import type { Partition } from '../slurm/sinfo.js';
import { agentList, orderPartitions, partitionSuggestions, timeForHours, type Draft, type DraftField } from './draft.js';

/** What the wizard knows besides the draft: the cluster, and the keys found already. */
export interface WizardContext {
  partitions: readonly Partition[];
  /** Keys from the environment and from the existing secrets file, with where each came from. */
  knownKeys: Partial<Record<KeyName, { value: string; source: 'environment' | 'secrets file' }>>;
}

export interface FieldSpec {
  key: DraftField;
  label: string;
  help: string;
  check: (value: string, draft: Draft, ctx: WizardContext) => string | undefined;
  /** A field with choices is edited with left/right rather than typed. */
  choices?: (draft: Draft, ctx: WizardContext) => string[];
}

export type StepId = 'checkout' | 'paths' | 'run' | 'slurm' | 'keys' | 'review';

export interface StepSpec {
  id: StepId;
  title: string;
  fields: FieldSpec[];
}

const isDirectory = (path: string) => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

const partitionOf = (draft: Draft, ctx: WizardContext) => ctx.partitions.find((p) => p.name === draft.partition);

// The wizard checks at every key: the checkout of the path typed is read once, while that path stays.
let lastCheckout: { path: string; checkout: Checkout | null } | null = null;
function checkoutOf(path: string): Checkout | null {
  if (lastCheckout?.path !== path) lastCheckout = { path, checkout: isCheckout(path) ? readCheckout(path) : null };
  return lastCheckout.checkout;
}

const checkoutAgents = (draft: Draft) => checkoutOf(draft.checkout)?.agents ?? [];

export const STEPS: readonly StepSpec[] = [
  {
    id: 'checkout',
    title: 'PostTrainBench checkout',
    fields: [
      {
        key: 'checkout',
        label: 'Checkout',
        help: 'The PostTrainBench clone jobs run from (it has src/run_task.sh and src/eval/tasks/).',
        check: (value) =>
          checkExistingDir(value) ?? (isCheckout(value) ? undefined : 'not a PostTrainBench checkout: no src/run_task.sh and src/eval/tasks/ here'),
      },
    ],
  },
  {
    id: 'paths',
    title: 'Paths',
    fields: [
      { key: 'hfHome', label: 'HF_HOME', help: 'The Hugging Face cache, on storage every compute node reads.', check: (v) => checkExistingDir(v) },
      {
        key: 'resultsDir',
        label: 'Results dir',
        help: 'Absolute: upstream evaluates from inside src/eval/tasks/<eval>, where a relative path breaks.',
        check: (v) =>
          checkAbsolutePath(v) ??
          (existsSync(v)
            ? isDirectory(v)
              ? undefined
              : 'is a file, not a directory'
            : existsSync(dirname(v))
              ? undefined
              : `neither it nor ${dirname(v)} exists`),
      },
      { key: 'containersDir', label: 'Containers dir', help: 'Where <name>.sif and vllm_debug.sif are.', check: (v) => checkExistingDir(v) },
      {
        key: 'containerName',
        label: 'Container',
        help: "The agents' image (default standard); vllm_debug is always used for evaluation too.",
        check: (v) => checkName(v, 'the container name'),
      },
      {
        key: 'experimentName',
        label: 'Experiment name',
        help: 'Appended verbatim to the method folder (claude_..._10h_slurm_run1): start it with _.',
        check: (v) =>
          checkExperimentName(v) ?? (v === '' || v.startsWith('_') ? undefined : `start it with _ (e.g. _${v}): upstream appends it to a folder name as is`),
      },
    ],
  },
  {
    id: 'run',
    title: 'Agents and budget',
    fields: [
      {
        key: 'agents',
        label: 'Agents',
        help: 'The agents you plan to run (comma-separated): they decide which API keys are needed.',
        check: (v, draft) => {
          const agents = agentList(v);
          if (agents.length === 0) return 'name at least one agent (e.g. claude)';
          const known = checkoutAgents(draft);
          const unknown = agents.filter((a) => known.length > 0 && !known.includes(a));
          return unknown.length > 0 ? `not in ${join(draft.checkout, 'agents')}: ${unknown.join(', ')} (there: ${known.join(', ')})` : undefined;
        },
      },
      { key: 'hours', label: 'Hours', help: "The agent's training budget (upstream: 10).", check: (v) => checkHours(v) },
    ],
  },
  {
    id: 'slurm',
    title: 'Slurm resources',
    fields: [
      {
        key: 'partition',
        label: 'Partition',
        help: 'Partitions with GPUs come first.',
        choices: (_draft, ctx) => orderPartitions(ctx.partitions).map((p) => p.name),
        check: (v, _draft, ctx) =>
          checkName(v, 'the partition') ??
          (ctx.partitions.length === 0 || ctx.partitions.some((p) => p.name === v) ? undefined : `sinfo knows no partition "${v}"`),
      },
      {
        key: 'gres',
        label: 'GRES',
        help: 'One GPU per task: gpu:1, or gpu:<type>:1 as the partition advertises.',
        check: (v, draft, ctx) => {
          const format = checkGres(v);
          if (format) return format;
          const p = partitionOf(draft, ctx);
          if (p && p.gpus.length === 0) return `partition ${p.name} advertises no GPUs`;
          const type = v.split(':').length === 3 ? v.split(':')[1] : undefined;
          if (p && type && !p.gpus.some((g) => g.type === type))
            return `partition ${p.name} has ${p.gpus.map((g) => `gpu:${g.type ?? ''}`).join(', ')}, not ${type}`;
          return undefined;
        },
      },
      {
        key: 'constraint',
        label: 'Constraint',
        help: 'A node feature, e.g. h100 (empty for none).',
        check: (v, draft, ctx) => {
          const format = checkConstraint(v);
          if (format) return format;
          const p = partitionOf(draft, ctx);
          if (p && v !== '' && /^[A-Za-z0-9_.-]+$/.test(v) && !p.features.includes(v))
            return `no node of ${p.name} has feature ${v} (they have: ${p.features.join(', ') || 'none'})`;
          return undefined;
        },
      },
      { key: 'account', label: 'Account', help: 'Optional (--account).', check: (v) => checkOptionalName(v, 'the account') },
      { key: 'qos', label: 'QOS', help: 'Optional (--qos).', check: (v) => checkOptionalName(v, 'the QOS') },
      {
        key: 'cpusPerTask',
        label: 'CPUs',
        help: 'Per task (upstream: 16).',
        check: (v, draft, ctx) => {
          const p = partitionOf(draft, ctx);
          return (
            checkCpus(v) ?? (p && p.maxCpusPerNode > 0 && Number(v) > p.maxCpusPerNode ? `nodes of ${p.name} have at most ${p.maxCpusPerNode} CPUs` : undefined)
          );
        },
      },
      {
        key: 'mem',
        label: 'Memory',
        help: 'Per task (upstream: 128G).',
        check: (v, draft, ctx) => {
          const p = partitionOf(draft, ctx);
          const mb = parseMemoryMb(v);
          return (
            checkMemory(v) ??
            (p && mb !== null && p.maxMemoryMbPerNode > 0 && mb > p.maxMemoryMbPerNode
              ? `nodes of ${p.name} have ${Math.floor(p.maxMemoryMbPerNode / 1024)}G`
              : undefined)
          );
        },
      },
      {
        key: 'time',
        label: 'Time limit',
        help: 'Agent budget + evaluation: hours + 2h by default.',
        check: (v, draft, ctx) => {
          const p = partitionOf(draft, ctx);
          const seconds = parseDuration(v);
          return (
            checkTimeLimit(v) ??
            (p && p.maxTimeSeconds !== null && typeof seconds === 'number' && seconds > p.maxTimeSeconds ? `longer than ${p.name}'s limit` : undefined)
          );
        },
      },
      {
        key: 'tmp',
        label: 'Tmp disk',
        help: 'Node-local disk per task (--tmp); empty where nodes report no TmpDisk.',
        check: (v, draft, ctx) => {
          if (v === '') return undefined;
          const p = partitionOf(draft, ctx);
          if (p && p.maxTmpDiskMb === 0) return `nodes of ${p.name} report no TmpDisk: leave it empty`;
          return checkMemory(v);
        },
      },
      {
        key: 'scratch',
        label: 'Scratch',
        help: "Where a run's ~400 GB of temporary files go.",
        choices: () => Object.keys(SCRATCH_STRATEGIES),
        check: (v) => (v in SCRATCH_STRATEGIES ? undefined : 'choose tmp or tmpdir'),
      },
      { key: 'home', label: 'HOME', help: "Exported in the batch script: Apptainer's --home needs the real one.", check: (v) => checkExistingDir(v) },
      {
        key: 'mailUser',
        label: 'Mail',
        help: "Optional: Slurm's own mail to this address when a job ends or fails (--mail-type=END,FAIL); empty for none.",
        check: (v) => checkMailUser(v),
      },
    ],
  },
  { id: 'keys', title: 'API keys', fields: [] },
  { id: 'review', title: 'Review and save', fields: [] },
];

/** The first problem of a step, with the field it belongs to. */
export function stepProblems(step: StepSpec, draft: Draft, ctx: WizardContext): { field: DraftField; message: string }[] {
  return step.fields.flatMap((f) => {
    const message = f.check(draft[f.key], draft, ctx);
    return message ? [{ field: f.key, message }] : [];
  });
}

/** The generation of the draft's checkout (what its judges need on every run, whether it reads a .env). */
export function draftGeneration(draft: Pick<Draft, 'checkout'>): Generation {
  return checkoutOf(draft.checkout)?.generation ?? detectGeneration(draft.checkout);
}

/** What the draft's checkout says its judges and agents log in with; ptb's table where it is not a checkout. */
const draftCredentials = (draft: Pick<Draft, 'checkout'>): CheckoutCredentials =>
  checkoutOf(draft.checkout)?.credentials ?? { ...TABLE_CREDENTIALS, everyRun: detectGeneration(draft.checkout).judgeNeeds };

/** The `.env` saving will write into the checkout (one that reads it and has none), else null. */
export function dotEnvToWrite(draft: Pick<Draft, 'checkout'>): string | null {
  return draftGeneration(draft).readsDotEnv && !existsSync(dotEnvFile(draft.checkout)) ? dotEnvFile(draft.checkout) : null;
}

/**
 * The keys the planned agents, and the checkout's judges, need; and OpenAI's for the evals its
 * model grades (arenahardwriting, healthbench: a full run has them). A key ptb does not know is
 * not asked here: the review names it, to be added to the secrets file by hand.
 */
export function keysToAsk(draft: Draft): KeyName[] {
  const needed = neededCredentials(agentList(draft.agents), draftCredentials(draft)).keys;
  return KNOWN_KEYS.filter((k) => needed.includes(k) || k === 'OPENAI_API_KEY');
}

/** The auth files the subscription agents (and the checkout's judges) need, and whether each is there (never read). */
export function authFileStatus(draft: Draft): { file: string; present: boolean }[] {
  return neededCredentials(agentList(draft.agents), draftCredentials(draft)).authFiles.map((file) => ({
    file,
    present: existsSync(join(draft.checkout, file)),
  }));
}

export { KNOWN_KEYS, partitionSuggestions, timeForHours };
