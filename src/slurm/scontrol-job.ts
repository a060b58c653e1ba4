import { invoke, type SlurmContext } from './context.js';
import { parseDuration } from './duration.js';
import { success, type SlurmResult } from './errors.js';
import { emptyToNull, intOrNull, parseExitCode } from './fields.js';

/** One record of `scontrol show job`: the raw fields plus the ones the UI reads, typed. */
export interface JobDetails {
  fields: Record<string, string>;
  jobId: number;
  name: string;
  state: string;
  reason: string | null;
  exitCode: { code: number; signal: number } | null;
  restarts: number;
  runTimeSeconds: number;
  timeLimitSeconds: number | null | undefined;
  submitTime: string | null;
  startTime: string | null;
  endTime: string | null;
  partition: string | null;
  nodeList: string | null;
  workDir: string | null;
  stdOut: string | null;
  stdErr: string | null;
  command: string | null;
  comment: string | null;
  arrayJobId: number | null;
  arrayTaskId: string | null;
}

// These fields always stand alone on their line, and their values may contain spaces and '='.
const WHOLE_LINE = new Set(['Command', 'WorkDir', 'StdErr', 'StdIn', 'StdOut', 'Comment', 'AdminComment', 'SystemComment', 'Reservation']);

/** Parses the multi-line form; several records (an array) are separated by blank lines. */
export function parseShowJob(stdout: string): JobDetails[] {
  return stdout
    .split(/\n\s*\n/)
    .map((block) => block.trim())
    .filter((block) => block.startsWith('JobId='))
    .map((block) => toDetails(parseBlock(block)));
}

function parseBlock(block: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const rawLine of block.split('\n')) {
    const line = rawLine.trim();
    if (line === '') continue;
    const first = /^([A-Za-z/:_]+)=/.exec(line);
    if (first && WHOLE_LINE.has(first[1] ?? '')) {
      fields[first[1] ?? ''] = line.slice(first[0].length);
      continue;
    }
    // "JobId=16 [ArrayJobId=... ]JobName=my job": the name runs to the end of the line.
    const named = /^(JobId=\S+.*?) JobName=(.*)$/.exec(line);
    if (named) {
      Object.assign(fields, keyValues(named[1] ?? ''));
      fields.JobName = named[2] ?? '';
      continue;
    }
    Object.assign(fields, keyValues(line));
  }
  return fields;
}

/** A value runs until the next " Key=" (reason texts contain spaces but no "Word="). */
function keyValues(line: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of line.matchAll(/([A-Za-z][A-Za-z/:_]*)=(.*?)(?= [A-Za-z][A-Za-z/:_]*=|$)/g)) fields[m[1] ?? ''] = m[2] ?? '';
  return fields;
}

function toDetails(fields: Record<string, string>): JobDetails {
  return {
    fields,
    jobId: intOrNull(fields.JobId) ?? 0,
    name: fields.JobName ?? '',
    state: fields.JobState ?? '',
    reason: emptyToNull(fields.Reason),
    exitCode: parseExitCode(fields.ExitCode),
    restarts: intOrNull(fields.Restarts) ?? 0,
    runTimeSeconds: parseDuration(fields.RunTime ?? '') ?? 0,
    timeLimitSeconds: parseDuration(fields.TimeLimit ?? ''),
    submitTime: emptyToNull(fields.SubmitTime),
    startTime: emptyToNull(fields.StartTime),
    endTime: emptyToNull(fields.EndTime),
    partition: emptyToNull(fields.Partition),
    nodeList: emptyToNull(fields.NodeList),
    workDir: emptyToNull(fields.WorkDir),
    stdOut: emptyToNull(fields.StdOut),
    stdErr: emptyToNull(fields.StdErr),
    command: emptyToNull(fields.Command),
    comment: emptyToNull(fields.Comment),
    arrayJobId: intOrNull(fields.ArrayJobId),
    arrayTaskId: emptyToNull(fields.ArrayTaskId),
  };
}

/**
 * `scontrol show job ID` (an array id returns every record of the array). A job that Slurm
 * no longer knows gives an empty list, not an error: it has left the queue (see sacct).
 */
export async function showJob(ctx: SlurmContext, jobId: string | number): Promise<SlurmResult<JobDetails[]>> {
  const out = await invoke(ctx, 'scontrol', ['show', 'job', String(jobId)]);
  if (!out.ok) {
    if (out.error.kind === 'invalid-request' && /Invalid job id specified/.test(out.error.detail)) return success([]);
    return out;
  }
  return success(parseShowJob(out.value.stdout));
}
