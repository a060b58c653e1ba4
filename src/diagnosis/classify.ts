import { closeSync, existsSync, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { latestFinalEval } from '../logs/log-sources.js';
import { createRedactor } from '../logs/redact.js';
import { displayLine } from '../logs/sanitize.js';
import { readRunFiles } from '../monitor/run-files.js';

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

// In order: the first rule whose pattern matches its file explains the run.
const RULES: Rule[] = [
  { kind: 'terminated', file: 'error.log', pattern: /^Terminated/, summary: 'terminated (SIGTERM): the time limit or a cancellation', action: 'resubmit with a longer time limit if the budget did not fit' },
  { kind: 'killed', file: 'error.log', pattern: /\bKilled\b/, summary: 'killed (out of memory or SIGKILL)', action: 'raise the memory (--mem) and resubmit' },
  { kind: 'fuse', file: 'error.log', pattern: /fuse(-overlayfs)?:.*(cannot mount|not permitted|device not found)|fuse: device not found/i, summary: 'FUSE / overlay error: fuse-overlayfs cannot mount on the node', action: 'run ptb preflight --compute on that partition; ask the admins for FUSE' },
  { kind: 'stale-file', file: 'error.log', pattern: /Stale file handle/, summary: 'stale file handle on the network filesystem', action: 'resubmit; a node-local copy of the HF cache avoids it' },
  { kind: 'usage-limit', file: 'solve_out.txt', pattern: /You've hit your limit|spending_limit|billing_hard_limit|insufficient_quota|budget_exceeded|plan does not yet include|token_expired|Failed to refresh token|Quota exceeded\. Check your plan|Reconnecting\.\.\. 5\/5/i, summary: 'API usage limit reached or login expired', action: 'check the plan, quota or auth file of the agent, then resubmit' },
  { kind: 'api-error', file: 'solve_out.txt', pattern: /API Error: exception TypeError: fetch failed sending request|Loop detected, stopping execution|unexpected status 401 Unauthorized|API Error: 529|overloaded_erro|Stale file handle/, summary: 'API errors (overload, network or an invalid key)', action: 'check the key (401) or resubmit later (529, fetch failed)' },
  { kind: 'hf-rate-limit', file: 'solve_out.txt', pattern: /HfHubHTTPError|Too Many Requests|429 Client Error|Huggingface Error/i, summary: 'Hugging Face rate limit', action: 'set HF_TOKEN for the jobs, or pre-download into the HF cache, then resubmit' },
  { kind: 'vllm', file: 'final_eval', pattern: /Failed to start vLLM server|Server process exited unexpectedly/, summary: 'evaluation failed on every attempt: vLLM did not start', action: 'rerun the evaluation only (the model is saved)' },
  { kind: 'cuda-oom', file: 'final_eval', pattern: /CUDA out of memory|OutOfMemoryError/, summary: 'evaluation failed: CUDA out of memory', action: 'rerun the evaluation only, on a free GPU' },
];

/**
 * Classifies a finished run from Slurm's state and the files of its EVAL_DIR (`dir`, null when its
 * cluster id is unknown), with the line that shows it. Reads only the ends of large files.
 */
export function classifyRun(job: { state: string; exitCode: { code: number; signal: number } | null }, dir: string | null, redact: (text: string) => string = createRedactor([])): Diagnosis {
  try {
    return classify(job, dir, redact);
  } catch (error) {
    // An unreadable run folder (EIO, a stale handle) is itself a finding, never a crash.
    return { kind: 'unreadable', summary: `the run folder cannot be read: ${error instanceof Error ? error.message : String(error)}`, evidence: null, action: 'check the filesystem from the login node' };
  }
}

function classify(job: { state: string; exitCode: { code: number; signal: number } | null }, dir: string | null, redact: (text: string) => string): Diagnosis {
  const files = dir ? readRunFiles(dir) : null;
  const evidence = (file: string, line: string) => `${file}: ${displayLine(line.trim(), redact).slice(0, 200)}`;
  if (dir && files?.accuracy !== null && files?.accuracy !== undefined) {
    const score = `accuracy ${files.accuracy.toFixed(4)}`;
    const judges = ['contamination_judgement.txt', 'disallowed_model_judgement.txt'].filter((f) => !existsSync(join(dir, f)));
    if (judges.length > 0) return { kind: 'judge-missing', summary: `scored (${score}) but ${judges.join(', ')} is missing: the aggregators use the baseline score`, evidence: null, action: 'rerun the judge, or check the judge container' };
    const flagged = ends(join(dir, 'contamination_judgement.txt'), 4096).trim() === 'contamination detected';
    return flagged
      ? { kind: 'contaminated', summary: `scored (${score}) but flagged contaminated: the aggregators use the baseline score`, evidence: 'contamination_judgement.txt: contamination detected', action: 'read judge_output.txt' }
      : { kind: 'scored', summary: `scored: ${score}`, evidence: null, action: 'none' };
  }
  if (files?.cudaNotAvailable) return { kind: 'cuda-unavailable', summary: 'GPU check failed in the container (task/cuda_not_available)', evidence: 'task/cuda_not_available exists', action: 'resubmit (a busy or non-H100 GPU)' };
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
      if (line !== undefined) return { kind: rule.kind, summary: rule.summary, evidence: evidence(rule.file === 'final_eval' ? (finalEval?.split('/').pop() ?? 'final_eval') : rule.file, line), action: rule.action };
    }
  }
  switch (job.state) {
    case 'TIMEOUT':
      return { kind: 'slurm-timeout', summary: 'hit the Slurm time limit', evidence: null, action: 'give the job more than the agent budget + 2 h, and resubmit' };
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
  if (job.exitCode?.code === 255 && !files?.exists) return { kind: 'apptainer', summary: 'exit 255: apptainer could not start the container', evidence: null, action: 'check FUSE and the image with ptb preflight --compute' };
  if (!dir || !files?.exists) {
    const summary = job.state === 'COMPLETED' ? 'no run folder: run_task.sh ended before creating it' : job.state === 'FAILED' ? 'failed before run_task.sh made the run folder' : 'left the queue without a run folder (no accounting to say why)';
    return { kind: 'no-run-folder', summary, evidence: null, action: 'read the Slurm stderr of the job' };
  }
  const status = ends(join(dir, 'output.log'), 64 * 1024)
    .split('\n')
    .find((l) => l.startsWith('status: '));
  const budget = status?.includes('killed by timeout') ?? false;
  if (!files.hasTimeTaken) return { kind: 'agent-unfinished', summary: 'the agent phase never finished', evidence: status ? evidence('output.log', status) : null, action: 'read error.log and the Slurm stderr; resubmit' };
  if (!files.hasFinalModel)
    return {
      kind: budget ? 'budget-no-model' : 'no-model',
      summary: budget ? 'the agent used its whole budget and saved no model' : 'the agent produced no model (final_model is empty)',
      evidence: status ? evidence('output.log', status) : null,
      action: 'read solve_out.txt; the score falls back to the base model',
    };
  const attempts = readdirSync(dir).filter((f) => /^final_eval_\d+\.txt$/.test(f)).length;
  return { kind: 'eval-failed', summary: `evaluation failed on ${attempts || 'every'} attempt(s)`, evidence: null, action: 'read the final_eval files; rerun the evaluation only' };
}
