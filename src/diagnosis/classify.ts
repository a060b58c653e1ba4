import { closeSync, fstatSync, openSync, readdirSync, readSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { latestFinalEval } from '../run/folder.js';
import { createRedactor } from '../logs/redact.js';
import { displayLine } from '../logs/sanitize.js';
import { readRunFiles } from '../run/folder.js';
import { readVerdicts } from '../run/judges.js';
import { errorMessage } from '../text/error-message.js';

/** The diagnoses of a run with a score (its judges' findings aside, it counts as done). */
export const SCORED_KINDS: ReadonlySet<string> = new Set([
  'scored',
  'scored-missing-tool',
  'judge-missing',
  'judge-unreadable',
  'contaminated',
  'disallowed-model',
  'api-misuse',
]);

/** Why a finished run ended as it did: posttrainbench.md 2.3's classes and §6's failure detectors. */
export interface Diagnosis {
  kind: string;
  summary: string;
  /** The line that shows it, redacted, with the file it came from. */
  evidence: string | null;
  action: string;
}

/** The first and last `bytes` of a file (logs grow to gigabytes; the telling lines are at the ends). */
function ends(path: string, bytes: number): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return '';
  }
  try {
    const size = fstatSync(fd).size;
    const read = (from: number, length: number) => {
      const buffer = Buffer.alloc(Math.max(0, length));
      const got = readSync(fd, buffer, 0, buffer.length, from);
      return buffer.subarray(0, got).toString('utf8');
    };
    if (size <= 2 * bytes) return read(0, size);
    return `${read(0, bytes)}\n${read(size - bytes, bytes)}`;
  } finally {
    closeSync(fd);
  }
}

type Rule = { kind: string; file: string; pattern: RegExp; summary: string; action: string };

/** What reruns only the evaluation: upstream's script, run by ptb on the saved model. */
const EVAL_ONLY = 'the model is saved in final_model/: r in the monitor or `ptb resubmit --eval-only` evaluates it again without the agent';

/** A tool the node lacks, as bash and timeout say it: the run goes on and fails later, often with exit 0. */
const MISSING_TOOL = /(?:^|: )([\w.+-]+): command not found|failed to run command '([^']+)'|exec: "?([\w.+-]+)"?: executable file not found/;

const TOOL_CHECK: Record<string, string> = {
  apptainer: 'apptainer',
  singularity: 'apptainer',
  'fuse-overlayfs': 'fuse',
  fusermount: 'fuse',
  fusermount3: 'fuse',
  uuidgen: 'tools',
  python: 'tools',
  python3: 'tools',
  timeout: 'tools',
  'nvidia-smi': 'gpu',
};

/** What `timeout` says when it cannot start the agent's container: the one line of solve_out.txt that is not the agent's. */
const WRAPPER_FAILED = /^(?:\[[^\]]*\] )?timeout: failed to run command '([^']+)'/;

/**
 * The tools the run's files say are missing, each with its first line: error.log and the last
 * final_eval (run_task.sh's own output), and in solve_out.txt only timeout's failure to start the
 * container: the agent's own `command not found` inside its sandbox says nothing of the node.
 */
function toolsMissingIn(dir: string, finalEval: string | null, evidence: (file: string, line: string) => string): Map<string, string> {
  const found = new Map<string, string>();
  for (const path of [join(dir, 'error.log'), join(dir, 'solve_out.txt'), ...(finalEval ? [finalEval] : [])]) {
    const file = path.slice(dir.length + 1);
    const pattern = file === 'solve_out.txt' ? WRAPPER_FAILED : MISSING_TOOL;
    for (const line of ends(path, 64 * 1024).split('\n')) {
      const m = pattern.exec(line);
      const tool = m?.[1] ?? m?.[2] ?? m?.[3];
      if (tool && !found.has(tool)) found.set(tool, evidence(file, line));
    }
  }
  return found;
}

/** The tools that stop a run first: the container runtime before the rest. */
const TOOL_ORDER = ['apptainer', 'singularity', 'fuse-overlayfs', 'fusermount', 'fusermount3', 'nvidia-smi'];

/**
 * Every tool the node lacks, as the run's files say it, most telling first, with its first line
 * as evidence and the compute preflight checks that find them; null when none is missing.
 */
function missingTools(found: ReadonlyMap<string, string>): Diagnosis | null {
  const tools = [...found.keys()].sort((a, b) => (TOOL_ORDER.indexOf(a) + 1 || 99) - (TOOL_ORDER.indexOf(b) + 1 || 99));
  const first = tools[0];
  if (!first) return null;
  const checks = [...new Set(tools.map((t) => TOOL_CHECK[t]).filter((c): c is string => c !== undefined))];
  return {
    kind: 'missing-tool',
    summary: `${tools.join(', ')} ${tools.length > 1 ? 'are' : 'is'} missing on the node: every step that needs ${tools.length > 1 ? 'them' : 'it'} failed`,
    evidence: found.get(first) ?? null,
    action: checks.length
      ? `ptb preflight --compute finds it (check${checks.length > 1 ? 's' : ''} ${checks.map((c) => `"${c}"`).join(', ')}): fix the node or partition, then resubmit`
      : 'make it available on the compute nodes (a module, or PATH in the batch environment), then resubmit',
  };
}

// In order: the first rule whose pattern matches its file explains the run.
const RULES: Rule[] = [
  {
    kind: 'terminated',
    file: 'error.log',
    pattern: /^Terminated/,
    summary: 'terminated (SIGTERM): the time limit or a cancellation',
    action: 'resubmit with a longer time limit if the budget did not fit',
  },
  { kind: 'killed', file: 'error.log', pattern: /\bKilled\b/, summary: 'killed (out of memory or SIGKILL)', action: 'raise the memory (--mem) and resubmit' },
  {
    kind: 'fuse',
    file: 'error.log',
    pattern: /fuse(-overlayfs)?:.*(cannot mount|not permitted|device not found)|fuse: device not found/i,
    summary: 'FUSE / overlay error: fuse-overlayfs cannot mount on the node',
    action: 'run ptb preflight --compute on that partition; ask the admins for FUSE',
  },
  {
    kind: 'stale-file',
    file: 'error.log',
    pattern: /Stale file handle/,
    summary: 'stale file handle on the network filesystem',
    action: 'resubmit; a node-local copy of the HF cache avoids it',
  },
  {
    kind: 'usage-limit',
    file: 'solve_out.txt',
    pattern:
      /You've hit your limit|spending_limit|billing_hard_limit|insufficient_quota|budget_exceeded|plan does not yet include|token_expired|Failed to refresh token|Quota exceeded\. Check your plan|Reconnecting\.\.\. 5\/5/i,
    summary: 'API usage limit reached or login expired',
    action: 'check the plan, quota or auth file of the agent, then resubmit',
  },
  {
    kind: 'api-error',
    file: 'solve_out.txt',
    pattern:
      /API Error: exception TypeError: fetch failed sending request|Loop detected, stopping execution|unexpected status 401 Unauthorized|API Error: 529|overloaded_erro|Stale file handle/,
    summary: 'API errors (overload, network or an invalid key)',
    action: 'check the key (401) or resubmit later (529, fetch failed)',
  },
  {
    kind: 'hf-rate-limit',
    file: 'solve_out.txt',
    pattern: /HfHubHTTPError|Too Many Requests|429 Client Error|Huggingface Error/i,
    summary: 'Hugging Face rate limit',
    action: 'set HF_TOKEN for the jobs, or pre-download into the HF cache, then resubmit',
  },
  {
    kind: 'vllm',
    file: 'final_eval',
    pattern: /Failed to start vLLM server|Server process exited unexpectedly/,
    summary: 'evaluation failed on every attempt: vLLM did not start',
    action: EVAL_ONLY,
  },
  {
    kind: 'cuda-oom',
    file: 'final_eval',
    pattern: /CUDA out of memory|OutOfMemoryError/,
    summary: 'evaluation failed: CUDA out of memory',
    action: `${EVAL_ONLY}, on a free GPU`,
  },
];

/**
 * Classifies a finished run from Slurm's state and the files of its EVAL_DIR (`dir`, null when its
 * cluster id is unknown), with the line that shows it. Reads only the ends of large files.
 */
export function classifyRun(
  job: { state: string; exitCode: { code: number; signal: number } | null },
  dir: string | null,
  redact: (text: string) => string = createRedactor([]),
  options: { baseline?: boolean } = {},
): Diagnosis {
  try {
    return classify(job, dir, redact, options.baseline === true);
  } catch (error) {
    // An unreadable run folder (EIO, a stale handle) is itself a finding, never a crash.
    return {
      kind: 'unreadable',
      summary: `the run folder cannot be read: ${errorMessage(error)}`,
      evidence: null,
      action: 'check the filesystem from the login node',
    };
  }
}

/** find_api_illegal.py's patterns: the agent calling a commercial model's API itself. */
const API_CALLS: { provider: string; pattern: RegExp }[] = [
  { provider: 'OpenAI', pattern: /completions\.create|from openai import|import openai|OpenAI\(\)/ },
  { provider: 'Anthropic', pattern: /messages\.create|from anthropic import|import anthropic|Anthropic\(\)/ },
  { provider: 'Google Gemini', pattern: /generate_content|from google\.generativeai|import google\.generativeai|genai\.GenerativeModel/ },
];
/** Paths find_api_illegal.py skips: evaluation code and libraries, where such calls are expected. */
const API_SKIP =
  /evaluation_code\/utils\/completion\.py|task\/evaluation_code\/grader\.py|\/site-packages\/|\/patched_lib\/|\/env\/lib\/|\/inspect_ai\/|\/inspect_evals\/|evaluate\.py$/;

/** The Python files the agent left in task/ (a bounded walk: a run may leave a whole virtualenv there). */
function taskPythonFiles(dir: string, limit = 400): string[] {
  const found: string[] = [];
  const walk = (at: string, depth: number) => {
    if (found.length >= limit || depth > 6) return;
    let entries: Dirent[];
    try {
      entries = readdirSync(at, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const path = join(at, e.name);
      if (API_SKIP.test(`${path}${e.isDirectory() ? '/' : ''}`)) continue;
      if (e.isDirectory()) walk(path, depth + 1);
      else if (e.name.endsWith('.py')) found.push(path);
      if (found.length >= limit) return;
    }
  };
  walk(join(dir, 'task'), 0);
  return found;
}

/** The first call of a commercial API in the traces or the agent's code, with its file. */
function apiCall(dir: string): { provider: string; file: string; line: string } | null {
  const traces = ['solve_out.txt', 'solve_parsed.txt'].map((f) => join(dir, f));
  for (const path of [...traces, ...taskPythonFiles(dir)]) {
    const text = ends(path, traces.includes(path) ? 2 * 1024 * 1024 : 256 * 1024);
    for (const { provider, pattern } of API_CALLS) {
      const line = text.split('\n').find((l) => pattern.test(l));
      if (line !== undefined) return { provider, file: path.slice(dir.length + 1), line };
    }
  }
  return null;
}

/** A scored run, as its judges (and find_api_illegal's patterns) see it. */
function judged(dir: string, score: string, evidence: (file: string, line: string) => string): Diagnosis {
  const v = readVerdicts(dir);
  const results = 'ptb results shows what the leaderboard counts for it';
  const rejudge = '`ptb resubmit --judge-only JOB` judges it again, without agent or evaluation (v1.1 and qol checkouts; v1.0 has no judge-only script)';
  if (v.source === null)
    return {
      kind: 'judge-missing',
      summary: `scored (${score}) but no judge verdict (no judge_result.json or judgement files): ${results}`,
      evidence: null,
      action: rejudge,
    };
  if (v.problem) return { kind: 'judge-unreadable', summary: `scored (${score}) but ${v.problem}`, evidence: null, action: rejudge };
  const said = evidence(v.source, v.justification ?? (v.contamination ? 'contamination detected' : 'disallowed use detected'));
  if (v.contamination)
    return {
      kind: 'contaminated',
      summary: `scored (${score}) but the judge found contamination: ${results}`,
      evidence: said,
      action: `read ${v.source.endsWith('.json') ? 'the judge_output files' : 'judge_output.txt'}`,
    };
  if (v.disallowedModel)
    return {
      kind: 'disallowed-model',
      summary: `scored (${score}) but the judge found a disallowed model: ${results}`,
      evidence: said,
      action: 'read the judge output and the trace',
    };
  if (v.disallowedApi)
    return {
      kind: 'api-misuse',
      summary: `scored (${score}) but the API judge found third-party API use (judgement_api.json)`,
      evidence: null,
      action: 'read judge_output_api.txt and the trace',
    };
  const call = apiCall(dir);
  if (call)
    return {
      kind: 'api-misuse',
      summary: `scored (${score}) but the agent calls ${call.provider}'s API itself (find_api_illegal.py's patterns)`,
      evidence: evidence(call.file, call.line),
      action: 'read the trace around that line; upstream reviews such runs by hand',
    };
  // Scored all the same: a missing uuidgen makes runs on one node share (and delete) one scratch folder.
  const missing = missingTools(toolsMissingIn(dir, null, evidence));
  if (missing)
    return {
      ...missing,
      kind: 'scored-missing-tool',
      summary: `scored (${score}), but ${missing.summary.replace(/: every step.*$/, '')}: runs on that node may clash`,
    };
  return { kind: 'scored', summary: `scored: ${score}`, evidence: null, action: 'none' };
}

function classify(
  job: { state: string; exitCode: { code: number; signal: number } | null },
  dir: string | null,
  redact: (text: string) => string,
  baseline: boolean,
): Diagnosis {
  const files = dir ? readRunFiles(dir) : null;
  const evidence = (file: string, line: string) => `${file}: ${displayLine(line.trim(), redact).slice(0, 200)}`;
  if (dir && files?.accuracy !== null && files?.accuracy !== undefined) {
    const score = `accuracy ${files.accuracy.toFixed(4)}`;
    return baseline ? { kind: 'scored', summary: `scored: ${score} (the base model)`, evidence: null, action: 'none' } : judged(dir, score, evidence);
  }
  if (dir && files?.exists) {
    // A tool missing on the node explains everything after it: look for it first, where bash and timeout say it.
    const finalEval = latestFinalEval(dir);
    const missing = missingTools(toolsMissingIn(dir, finalEval, evidence));
    if (missing) return missing;
  }
  if (files?.cudaNotAvailable && dir) {
    // check_cuda.py says why in solve_out.txt: no GPU, the wrong count, no H100, a busy GPU, a failed write.
    const said = ends(join(dir, 'solve_out.txt'), 256 * 1024)
      .split('\n')
      .find((l) =>
        /CUDA is not available|Expected \d+ GPU\(s\), got \d+|No H100 found|GPU \d+ has \d+ process\(es\) running|Writing a cuda tensor to GPU \d+ failed/.test(
          l,
        ),
      );
    const noH100 = said !== undefined && /No H100 found/.test(said);
    return {
      kind: 'cuda-unavailable',
      summary: noH100
        ? "the node's GPUs are not H100s: upstream's CUDA check stopped the agent before it started"
        : 'GPU check failed in the container (task/cuda_not_available): the agent never started',
      evidence: said ? evidence('solve_out.txt', said) : 'task/cuda_not_available exists',
      action: noH100
        ? 'ptb preflight --compute shows the GPU model (check "gpu"): choose an H100 partition or constraint in `ptb setup`'
        : 'resubmit (a busy GPU), or run ptb preflight --compute (check "gpu") if it happens again',
    };
  }
  if (dir && files?.exists) {
    const finalEval = latestFinalEval(dir);
    // Each file once, however many rules read it: solve_out.txt can be gigabytes.
    const read = new Map<string, string>();
    for (const rule of RULES) {
      const path = rule.file === 'final_eval' ? finalEval : join(dir, rule.file);
      if (!path) continue;
      if (!read.has(path)) read.set(path, ends(path, rule.file === 'solve_out.txt' ? 2 * 1024 * 1024 : 64 * 1024));
      const text = read.get(path) ?? '';
      const line = text.split('\n').find((l) => rule.pattern.test(l));
      if (line !== undefined)
        return {
          kind: rule.kind,
          summary: rule.summary,
          evidence: evidence(rule.file === 'final_eval' ? (finalEval?.split('/').pop() ?? 'final_eval') : rule.file, line),
          action: rule.action,
        };
    }
  }
  switch (job.state) {
    case 'TIMEOUT':
      return {
        kind: 'slurm-timeout',
        summary: 'hit the Slurm time limit',
        evidence: null,
        action: 'give the job more than the agent budget + 2 h, and resubmit',
      };
    case 'OUT_OF_MEMORY':
      return { kind: 'slurm-oom', summary: 'out of memory', evidence: null, action: 'raise --mem and resubmit' };
    case 'NODE_FAIL':
    case 'BOOT_FAIL':
      return { kind: 'node-fail', summary: 'the node failed', evidence: null, action: 'resubmit' };
    case 'PREEMPTED':
      return { kind: 'preempted', summary: 'preempted', evidence: null, action: 'resubmit, or use a partition without preemption' };
    case 'CANCELLED':
      return { kind: 'cancelled', summary: 'cancelled', evidence: null, action: 'resubmit if it was not meant' };
    default:
      break;
  }
  if (job.exitCode?.code === 255 && !files?.exists)
    return {
      kind: 'apptainer',
      summary: 'exit 255: apptainer could not start the container',
      evidence: null,
      action: 'check FUSE and the image with ptb preflight --compute',
    };
  if (!dir || !files?.exists) {
    const summary =
      job.state === 'COMPLETED'
        ? 'no run folder: run_task.sh ended before creating it'
        : job.state === 'FAILED'
          ? 'failed before run_task.sh made the run folder'
          : 'left the queue without a run folder (no accounting to say why)';
    return { kind: 'no-run-folder', summary, evidence: null, action: 'read the Slurm stderr of the job' };
  }
  const status = ends(join(dir, 'output.log'), 64 * 1024)
    .split('\n')
    .find((l) => l.startsWith('status: '));
  const budget = status?.includes('killed by timeout') ?? false;
  if (!files.hasTimeTaken)
    return {
      kind: 'agent-unfinished',
      summary: 'the agent phase never finished',
      evidence: status ? evidence('output.log', status) : null,
      action: 'read error.log and the Slurm stderr; resubmit',
    };
  if (!files.hasFinalModel)
    return {
      kind: budget ? 'budget-no-model' : 'no-model',
      summary: budget ? 'the agent used its whole budget and saved no model' : 'the agent produced no model (final_model is empty)',
      evidence: status ? evidence('output.log', status) : null,
      action: 'read solve_out.txt; ptb results shows what the leaderboard counts for it (the base model, where its rules fall back)',
    };
  const attempts = readdirSync(dir).filter((f) => /^final_eval_\d+\.txt$/.test(f)).length;
  return {
    kind: 'eval-failed',
    summary: `evaluation failed on ${attempts || 'every'} attempt(s)`,
    evidence: null,
    action: `read the final_eval files; ${EVAL_ONLY}`,
  };
}
