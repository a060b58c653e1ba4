import { describe, expect, it } from 'vitest';
import { parseSacct } from '../../src/slurm/sacct.js';
import { parseParsable, parseTestOnly } from '../../src/slurm/sbatch.js';
import { parseScancel } from '../../src/slurm/scancel.js';
import { parseShowJob } from '../../src/slurm/scontrol-job.js';
import { baseNodeState, parseSinfo, summarisePartitions } from '../../src/slurm/sinfo.js';
import { parseSqueue } from '../../src/slurm/squeue.js';
import { jobResultsDir, readJobMark } from '../../src/submit/job-mark.js';
import { parseRequeue } from '../../src/slurm/requeue.js';
import { parseSlurmVersion } from '../../src/slurm/controller.js';
import { golden as goldenOf, GOLDEN_VERSIONS } from '../helpers/golden.js';

// Each version's own capture (scripts/capture-goldens.ts); where the two differ, each says so.
describe.each(GOLDEN_VERSIONS)('Slurm %s', (version) => {
  const golden = (name: string) => goldenOf(name, version);
  describe('sinfo', () => {
    it('summarises the idle cluster: GPU partition first, default flag, GRES, feature, limits, TmpDisk', () => {
      const partitions = summarisePartitions(parseSinfo(golden('sinfo-idle').stdout));
      expect(partitions.map((p) => p.name)).toEqual(['gpu', 'cpu']);
      const gpu = partitions[0]!;
      expect(gpu.isDefault).toBe(true);
      expect(gpu.maxTimeSeconds).toBe(2 * 86400);
      expect(gpu.gpus).toEqual([{ type: 'h100', perNode: 4, total: 4, used: 0 }]);
      expect(gpu.features).toEqual(['h100']);
      expect(gpu.nodeStates).toEqual({ idle: 1 });
      expect(gpu.maxCpusPerNode).toBe(64);
      expect(gpu.maxMemoryMbPerNode).toBe(512000);
      expect(gpu.maxTmpDiskMb).toBe(800000);
      expect(partitions[1]!.isDefault).toBe(false);
    });

    it('counts used GPUs and allocated CPUs on a busy node', () => {
      const nodes = parseSinfo(golden('sinfo-busy').stdout);
      expect(nodes[0]).toMatchObject({ cpusAllocated: 18, cpus: 64 });
      // 24.11 marks a node the backfill scheduler plans jobs on with "-" (planned): still mixed.
      expect(nodes[0]!.state).toBe(version === '22.05' ? 'mixed' : 'mixed-');
      expect(baseNodeState(nodes[0]!.state)).toBe('mixed');
      expect(summarisePartitions(nodes)[0]!.gpus[0]).toMatchObject({ used: 4, total: 4 });
    });
  });

  describe('squeue', () => {
    const jobs = parseSqueue(golden('squeue-me').stdout);
    const byName = (name: string) => jobs.find((j) => j.name === name);

    it('keeps names with spaces and "|" whole', () => {
      expect(byName('waits|behind')).toMatchObject({ state: 'PENDING', partition: 'gpu', cpus: 4, memoryMb: 8192 });
      expect(byName('waits for resources')?.reason).toBe('Resources');
    });

    it('parses again only the lines that changed since the last listing, and skips a mangled one', () => {
      const stdout = golden('squeue-me').stdout;
      const lines = stdout.split('\n').filter((l) => l.trim() !== '');
      const first = parseSqueue(stdout);
      // The first job's line changes (padding its id changes no field), the others stay, and Slurm mangles one more.
      const edited = [` ${lines[0]}`, ...lines.slice(1), 'half a line'].join('\n');
      const again = parseSqueue(edited);
      expect(again).toHaveLength(first.length);
      expect(again[0]).not.toBe(first[0]);
      expect(again[0]).toEqual(first[0]);
      expect(again.slice(1).every((job, i) => job === first[i + 1])).toBe(true);
      // The very same text again: the same jobs, in an array of the caller's own.
      const same = parseSqueue(edited);
      expect(same).not.toBe(again);
      expect(same.every((job, i) => job === again[i])).toBe(true);
    });

    it('reads the pending reasons Slurm gives', () => {
      expect(byName('held')?.reason).toBe('JobHeldUser');
      // 22.05 queues a job no node can run (PartitionConfig); 24.11 refuses it at submission.
      if (version === '22.05') expect(byName('too big')?.reason).toBe('PartitionConfig');
      else expect(golden('sbatch-too-many-cpus')).toMatchObject({ exitCode: 1, stderr: expect.stringContaining('CPU count per node can not be satisfied') });
      expect(byName('after held')?.reason).toBe('Dependency');
      expect(byName('waits|behind')?.reason).toBe('Priority');
    });

    it('reads a running GPU job: node, elapsed, limit, GRES, feature', () => {
      const running = byName('gpu-1')!;
      expect(running.state).toBe('RUNNING');
      expect(running.nodes).toBe('node01');
      expect(running.reason).toBeNull();
      expect(running.timeLimitSeconds).toBe(600);
      expect(running.gres).toBe('gpu:1');
      expect(running.features).toBe('h100');
      expect(running.arrayJobId).toBeNull();
    });

    it("reads a batch script's job: its script's path (%o) and its comment, ptb's mark of whose it is", () => {
      const job = byName('held script')!;
      expect(job.command).toBe('/tmp/ptb-golden-results.ptb-slurm/_golden/scripts/held-script.sbatch');
      expect(readJobMark(job.comment)).toEqual({
        kind: 'task',
        key: 'ptb1|baseline|gsm8k|Qwen/Qwen3-1.7B-Base|||0|1|_golden',
        task: expect.objectContaining({ kind: 'baseline', eval: 'gsm8k', experiment: '_golden' }),
        setup: 's0123456789ab',
      });
      expect(jobResultsDir(job)).toBe('/tmp/ptb-golden-results');
      // A --wrap job has no script: squeue prints (null).
      expect(byName('held')?.command).toBeNull();
    });

    it('tells array tasks from the pending remainder of an array', () => {
      const arr = jobs.filter((j) => j.name === 'arr');
      const remainder = arr.find((j) => j.jobId.includes('['))!;
      expect(remainder.jobId).toMatch(/^\d+_\[2-5%2\]$/);
      expect(remainder.arrayTaskId).toBe('2-5%2');
      expect(remainder.reason).toBe('JobArrayTaskLimit');
      const tasks = arr.filter((j) => /^\d+_\d+$/.test(j.jobId));
      expect(tasks.map((t) => t.arrayTaskId).sort()).toEqual(['0', '1']);
      for (const t of tasks) {
        expect(t.arrayJobId).toBe(remainder.rawJobId);
        expect(t.rawJobId).not.toBe(remainder.rawJobId);
      }
    });

    it('expands every task of an array into its own row with --array', () => {
      const rows = parseSqueue(golden('squeue-array-expanded').stdout);
      expect(rows).toHaveLength(6);
      expect(rows.every((r) => /^\d+_\d$/.test(r.jobId))).toBe(true);
    });

    it('shows finished jobs with their final state under --states all', () => {
      const all = parseSqueue(golden('squeue-all-states').stdout);
      // Earlier captures' jobs with the same names may linger within MinJobAge: take the ids sacct reported.
      const ids = new Map(parseSacct(golden('sacct-finished').stdout).map((r) => [r.name, Number(r.jobId)]));
      const state = (name: string) => all.find((j) => j.rawJobId === ids.get(name))?.state;
      expect(state('exits 0')).toBe('COMPLETED');
      expect(state('exits 3')).toBe('FAILED');
      expect(state('to cancel')).toBe('CANCELLED');
    });
  });

  describe('scontrol show job', () => {
    it('reads a failed job: exit code 3, reason, times, paths', () => {
      const [job] = parseShowJob(golden('scontrol-failed').stdout);
      expect(job).toMatchObject({
        name: 'exits 3',
        state: 'FAILED',
        reason: 'NonZeroExitCode',
        exitCode: { code: 3, signal: 0 },
        partition: 'cpu',
        nodeList: 'node01',
      });
      expect(job!.stdOut).toMatch(/^\/tmp\/ptb-golden-\d+\.out$/);
      // Captured where the capture script ran: an absolute path.
      expect(job!.workDir).toMatch(/^\/\S+$/);
      expect(job!.command).toBeNull();
    });

    it('reads a running job and a pending one whose name has "|"', () => {
      const [running] = parseShowJob(golden('scontrol-running').stdout);
      expect(running).toMatchObject({ name: 'gpu-1', state: 'RUNNING', reason: null, timeLimitSeconds: 600 });
      expect(running!.fields.TresPerNode).toBe(version === '22.05' ? 'gres:gpu:1' : 'gres/gpu:1');
      const [pending] = parseShowJob(golden('scontrol-pending-name-with-pipe').stdout);
      expect(pending).toMatchObject({ name: 'waits|behind', state: 'PENDING', reason: 'Priority', nodeList: null });
    });

    it('returns one record per array element', () => {
      const records = parseShowJob(golden('scontrol-array').stdout);
      expect(records.length).toBeGreaterThanOrEqual(3);
      expect(records[0]).toMatchObject({ name: 'arr', arrayTaskId: '2-5%2', reason: 'JobArrayTaskLimit' });
      expect(records.every((r) => r.arrayJobId === records[0]!.jobId)).toBe(true);
    });
  });

  describe('sacct', () => {
    it('reads final states and exit codes, without the "by 0" of CANCELLED', () => {
      const records = parseSacct(golden('sacct-finished').stdout);
      expect(records.map((r) => [r.name, r.state, r.exitCode?.code])).toEqual([
        ['exits 0', 'COMPLETED', 0],
        ['exits 3', 'FAILED', 3],
        ['to cancel', 'CANCELLED', 0],
      ]);
      expect(records[2]!.elapsedSeconds).toBeGreaterThan(0);
    });
  });

  describe('sbatch, scancel, requeue, version', () => {
    it('reads the id --parsable prints, with or without a cluster name', () => {
      expect(parseParsable('16\n')).toBe(16);
      expect(parseParsable('16;cluster\n')).toBe(16);
      expect(parseParsable('sbatch: error: nope')).toBeUndefined();
    });

    it('reads the estimate of --test-only from stderr', () => {
      expect(parseTestOnly(golden('sbatch-test-only-ok').stderr)).toMatchObject({ processors: 1, nodes: 'node01', partition: 'cpu' });
    });

    it('tells an unknown id and a finished job from a real cancellation, though scancel exits 0', () => {
      const g = golden('scancel-mixed');
      expect(g.exitCode).toBe(0);
      const ids = g.args.slice(1);
      const outcomes = parseScancel(ids, g.stderr);
      expect(outcomes[ids[0]!]).toBe('signalled');
      expect(outcomes['999999']).toBe('not-found');
      expect(outcomes[ids[2]!]).toBe('already-finished');
    });

    it('maps requeue errors back to their job', () => {
      const g = golden('requeue-pending');
      const id = g.args[1]!;
      expect(parseRequeue([id], g.stderr)[id]).toEqual({ error: 'Job is pending execution' });
    });

    it('reads the Slurm version', () => {
      expect(parseSlurmVersion(golden('sinfo-version').stdout)).toBe(version === '22.05' ? '22.05.8' : '24.11.5');
      expect(parseSlurmVersion('slurm 23.11.4\n')).toBe('23.11.4');
    });
  });
});
