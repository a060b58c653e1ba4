import { formatGres, parseGresList } from './gres.js';
import { invoke, SEP, type SlurmContext } from './context.js';
import { parseDuration } from './duration.js';
import { failure, success, type SlurmResult } from './errors.js';
import { emptyToNull, intOrNull, parseMemoryMb, splitFields } from './fields.js';
import { memoized } from '../text/bounded-cache.js';

/**
 * One line of squeue: a job, an array task, or the pending remainder of an array. Shared between
 * listings while its line stays the same (see parseSqueue): never changed in place.
 */
export interface QueueJob {
  /** As Slurm displays it: `12`, `6_0`, `6_[2-9%2]`. */
  readonly jobId: string;
  /** The id `scontrol`/`scancel` take for this very record (an array task has its own). */
  readonly rawJobId: number;
  readonly arrayJobId: number | null;
  /** `0` for a task, `2-9%2` for a pending remainder, `null` outside arrays. */
  readonly arrayTaskId: string | null;
  readonly user: string;
  readonly partition: string;
  /** Upper-case long form: PENDING, RUNNING, COMPLETING, COMPLETED, FAILED, CANCELLED, TIMEOUT... */
  readonly state: string;
  readonly reason: string | null;
  readonly nodes: string | null;
  readonly elapsedSeconds: number;
  /** `null` for unlimited; `undefined` when Slurm stored a limit it cannot print (`INVALID`). */
  readonly timeLimitSeconds: number | null | undefined;
  readonly cpus: number;
  readonly memoryMb: number | null;
  /** tres-per-node as requested, e.g. `gpu:1` (22.05 prints `gres:gpu:1`, 24.11 `gres/gpu:1`). */
  readonly gres: string | null;
  readonly features: string | null;
  readonly submitTime: string | null;
  readonly startTime: string | null;
  readonly workDir: string | null;
  readonly comment: string | null;
  /** What the job runs: for a batch job, its script's absolute path (where ptb wrote it tells whose it is). */
  readonly command: string | null;
  readonly name: string;
}

export interface JobFilter {
  /** A user name, or `me` for `--me`. Omitted: everybody's jobs. */
  user?: string;
  jobIds?: readonly (string | number)[];
  names?: readonly string[];
  partition?: string;
  /** Include jobs that finished within MinJobAge (`-t all`). */
  includeFinished?: boolean;
  /** One row per array task (`-r`). */
  expandArrays?: boolean;
}

// The free-text job name goes last: splitFields lets it keep any separator it contains.
const FORMAT = ['%i', '%A', '%F', '%K', '%u', '%P', '%T', '%r', '%N', '%M', '%l', '%C', '%m', '%b', '%f', '%V', '%S', '%Z', '%k', '%o', '%j'];

/** squeue's argv for a filter: one call whatever the number of jobs, with an explicit format. */
export function squeueArgs(filter: JobFilter): string[] {
  const args = ['--noheader', '--format', FORMAT.join(SEP)];
  if (filter.user === 'me') args.push('--me');
  else if (filter.user !== undefined) args.push('--user', filter.user);
  if (filter.jobIds && filter.jobIds.length > 0) args.push('--jobs', filter.jobIds.join(','));
  if (filter.names && filter.names.length > 0) args.push('--name', filter.names.join(','));
  if (filter.partition !== undefined) args.push('--partition', filter.partition);
  if (filter.includeFinished) args.push('--states', 'all');
  if (filter.expandArrays) args.push('--array');
  return args;
}

// A queue of thousands of jobs asks for a handful of distinct GRES, limits and (pending) elapsed
// times: each is read once.
/** `gres:gpu:1` (22.05) and `gres/gpu:1` (24.11) both as `gpu:1`. */
const requestedGres = memoized(500, (raw: string): string | null => parseGresList(raw).map(formatGres).join(',') || null);
const queueDuration = memoized(2000, parseDuration);

// The last listing, and its jobs by their line. A look where little changed (held and pending jobs
// print the same line each time) parses only the lines that did, and hands out the same objects for
// the rest, which the monitor's tracker then passes over: the work of a look follows what changed.
let last: { stdout: string; jobs: readonly QueueJob[]; byLine: ReadonlyMap<string, QueueJob> } = { stdout: '', jobs: [], byLine: new Map() };

export function parseSqueue(stdout: string): QueueJob[] {
  // A queue where nothing moved prints the very same text: one comparison, no line read.
  if (stdout === last.stdout) return [...last.jobs];
  const byLine = new Map<string, QueueJob>();
  const jobs: QueueJob[] = [];
  for (const line of stdout.split('\n')) {
    let job = last.byLine.get(line);
    if (!job) {
      if (line.trim() === '') continue;
      const fields = splitFields(line, SEP, FORMAT.length);
      // A line Slurm mangled is skipped rather than misread.
      if (!fields) continue;
      job = queueJob(fields);
    }
    byLine.set(line, job);
    jobs.push(job);
  }
  last = { stdout, jobs, byLine };
  return [...jobs];
}

/** Two listings with the same jobs in the same order: what parseSqueue gives for a queue that did not change. */
export function sameListing(a: readonly QueueJob[] | null, b: readonly QueueJob[]): boolean {
  return a !== null && a.length === b.length && a.every((job, i) => job === b[i]);
}

function queueJob(f: string[]): QueueJob {
  const [
    jobId,
    raw,
    arrayJob,
    arrayTask,
    user,
    partition,
    state,
    reason,
    nodes,
    elapsed,
    limit,
    cpus,
    mem,
    gres,
    features,
    submit,
    start,
    workDir,
    comment,
    command,
    name,
  ] = f;
  const task = emptyToNull(arrayTask);
  return {
    jobId: (jobId ?? '').trim(),
    rawJobId: intOrNull(raw) ?? 0,
    arrayJobId: task === null ? null : intOrNull(arrayJob),
    arrayTaskId: task,
    user: (user ?? '').trim(),
    partition: (partition ?? '').trim(),
    state: (state ?? '').trim(),
    reason: emptyToNull(reason),
    nodes: emptyToNull(nodes),
    elapsedSeconds: queueDuration(elapsed ?? '') ?? 0,
    timeLimitSeconds: queueDuration(limit ?? ''),
    cpus: intOrNull(cpus) ?? 0,
    memoryMb: parseMemoryMb(mem),
    gres: requestedGres(gres ?? ''),
    features: emptyToNull(features),
    submitTime: emptyToNull(submit),
    startTime: emptyToNull(start),
    workDir: emptyToNull(workDir),
    comment: emptyToNull(comment),
    command: emptyToNull(command),
    name: name ?? '',
  };
}

/**
 * The jobs matching `filter`, from exactly one squeue call. Ids unknown to Slurm are simply
 * absent (squeue fails on a single unknown id, and prints the rest for a list).
 */
export async function listJobs(ctx: SlurmContext, filter: JobFilter = {}): Promise<SlurmResult<QueueJob[]>> {
  const out = await invoke(ctx, 'squeue', squeueArgs(filter), { previousStdout: last.stdout });
  if (!out.ok) {
    if (out.error.kind === 'invalid-request' && /Invalid job id specified/.test(out.error.detail)) return success([]);
    return out;
  }
  // squeue exits 0 after some errors ("Invalid user", an unknown format field): never take that for an empty queue.
  if (/error:/.test(out.value.stderr)) {
    return failure({ kind: 'invalid-request', command: 'squeue', message: out.value.stderr.trim().replace(/^squeue: error: /, ''), detail: out.value.stderr });
  }
  return success(parseSqueue(out.value.stdout));
}
