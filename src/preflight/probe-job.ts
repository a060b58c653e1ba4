import { jobEnvironment } from '../slurm/env.js';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import type { Slurm } from '../slurm/adapter.js';
import { parseMemoryMb } from '../slurm/fields.js';
import { fail, pass, type CheckResult } from './check-result.js';
import { isCheckout, readCheckout, requiredGpuName } from '../checkout/detect.js';
import { evaluateProbe, hostsFor } from './probe-evaluate.js';
import { recordComputePreflight } from './last-compute.js';
import { parseProbeOutput, renderProbeScript } from './probe-script.js';

/** Where the probe job is, for the screen and the command line. */
export interface ProbeProgress {
  jobId: number | null;
  /** Slurm's state (PENDING, RUNNING...) or ours (submitting, reading). */
  state: string;
  reason: string | null;
  /** When the job entered its current state. */
  since: Date;
}

export interface ProbeRun {
  results: CheckResult[];
  jobId: number | null;
  outputFile: string | null;
}

const FINAL = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'OUT_OF_MEMORY', 'NODE_FAIL', 'BOOT_FAIL', 'DEADLINE', 'PREEMPTED']);
const base = { id: 'probe-job', title: 'Probe job', where: 'compute' as const };

/** Reasons a pending probe will not start soon, in words. */
export function explainPending(reason: string | null): string {
  switch (reason) {
    case 'Resources':
      return 'waiting for a free node with the requested GPU/CPUs/memory';
    case 'Priority':
      return 'other jobs are ahead in the queue';
    case 'PartitionDown':
    case 'PartitionInactive':
      return 'the partition is down';
    case 'PartitionConfig':
      return 'the request exceeds what the partition allows';
    case 'QOSMaxJobsPerUserLimit':
    case 'QOSMaxGRESPerUser':
    case 'AssocMaxJobsLimit':
      return 'a QOS or account limit holds it';
    case 'ReqNodeNotAvail':
      return 'the requested nodes are unavailable (maintenance or drained)';
    case null:
    case 'None':
      return 'waiting for the scheduler';
    default:
      return reason;
  }
}

/**
 * Submits the probe to the configured partition with the configured GRES, constraint, CPUs
 * and memory (10 minutes), follows it, and judges what it printed. Cancelling `signal`
 * cancels the job. Never throws: a job that could not run is a failed `probe-job` check.
 */
export async function runProbeJob(slurm: Slurm, config: Config, options: ProbeOptions = {}): Promise<ProbeRun> {
  const run = await probe(slurm, config, options);
  // Kept for the next submission to ask about; a probe the user stopped says nothing of the nodes.
  if (!options.signal?.aborted) recordComputePreflight(config, run.results);
  return run;
}

type ProbeOptions = { onProgress?: (p: ProbeProgress) => void; signal?: AbortSignal; pollMs?: number; minScratchGb?: number; maxWaitMs?: number };

async function probe(slurm: Slurm, config: Config, options: ProbeOptions): Promise<ProbeRun> {
  const s = config.slurm;
  const dir = join(config.resultsDir, '.ptb-preflight');
  const hosts = hostsFor(config.agents, isCheckout(config.checkout) ? readCheckout(config.checkout).credentials : undefined);
  let progress: ProbeProgress = { jobId: null, state: 'submitting', reason: null, since: new Date() };
  const report = (next: Omit<ProbeProgress, 'since'>) => {
    if (next.state !== progress.state || next.reason !== progress.reason || next.jobId !== progress.jobId) progress = { ...next, since: new Date() };
    options.onProgress?.(progress);
  };
  report(progress);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    return {
      results: [fail(base, `cannot create ${dir}: ${String(error)}`, 'Check the results folder (`ptb preflight` login checks).')],
      jobId: null,
      outputFile: null,
    };
  }
  const script = join(dir, 'probe.sh');
  writeFileAtomic(script, renderProbeScript({ sif: join(config.containersDir, `${config.containerName}.sif`), hosts, home: s.home, scratch: s.scratch }), {
    mode: 0o755,
    dirMode: 0o755,
  });
  const submitted = await slurm.submit({
    payload: { script },
    jobName: 'ptb-preflight-probe',
    partition: s.partition,
    gres: s.gres,
    constraint: s.constraint || undefined,
    account: s.account || undefined,
    qos: s.qos || undefined,
    cpusPerTask: s.cpusPerTask,
    mem: s.mem,
    tmp: s.tmp || undefined,
    time: '00:10:00',
    output: join(dir, 'probe-%j.out'),
    chdir: dir,
    // The environment a task's job gets: the probe checks what the runs will find.
    environment: jobEnvironment(config.passEnvironment),
  });
  if (!submitted.ok)
    return {
      results: [
        fail(
          base,
          `Slurm refused the probe job: ${submitted.error.message}`,
          'Fix the Slurm settings in `ptb setup` (partition, GRES, constraint, CPUs, memory).',
        ),
      ],
      jobId: null,
      outputFile: null,
    };
  const jobId = submitted.value.jobId;
  const outputFile = join(dir, `probe-${jobId}.out`);
  const started = Date.now();
  let last: { state: string; reason: string | null; nodes: string | null } = { state: 'PENDING', reason: null, nodes: null };
  for (;;) {
    if (options.signal?.aborted) {
      await slurm.cancel([jobId]);
      return { results: [fail(base, `cancelled (job ${jobId})`, 'Run the compute checks again when you are ready.')], jobId, outputFile };
    }
    const listed = await slurm.jobs({ jobIds: [jobId], includeFinished: true });
    if (listed.ok) {
      const job = listed.value.find((j) => j.rawJobId === jobId);
      if (!job) break;
      last = { state: job.state, reason: job.reason, nodes: job.nodes };
      report({ jobId, state: job.state, reason: job.reason });
      if (FINAL.has(job.state)) break;
    }
    if (options.maxWaitMs !== undefined && Date.now() - started > options.maxWaitMs) {
      await slurm.cancel([jobId]);
      return {
        results: [
          fail(
            base,
            `still ${last.state} after ${Math.round((Date.now() - started) / 1000)} s (${explainPending(last.reason)}); cancelled`,
            'Try again later, or choose a partition with free GPUs in `ptb setup`.',
          ),
        ],
        jobId,
        outputFile,
      };
    }
    await new Promise((r) => setTimeout(r, options.pollMs ?? 2_000));
  }
  report({ jobId, state: 'reading', reason: null });
  const text = existsSync(outputFile) ? readFileSync(outputFile, 'utf8') : '';
  const records = parseProbeOutput(text);
  const expectations = {
    gpus: Number(/(\d+)$/.exec(s.gres)?.[1] ?? 1),
    gpuName: requiredGpuName(config.checkout),
    cpus: s.cpusPerTask,
    memMb: parseMemoryMb(s.mem),
    minScratchGb: options.minScratchGb ?? 400,
    scratch: s.scratch,
    hosts,
  };
  const job =
    records.length === 0
      ? fail(
          base,
          `job ${jobId} ended ${last.state} without output`,
          `Look at ${outputFile}; the batch environment may lack bash or coreutils.`,
          text.slice(-2000),
        )
      : pass(base, `job ${jobId} ran on ${last.nodes ?? 'a node'} (${last.state})`, `output: ${outputFile}`);
  return { results: [job, ...(records.length > 0 ? evaluateProbe(records, expectations) : [])], jobId, outputFile };
}
