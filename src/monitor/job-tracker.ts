import { statSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { runPhase, silence } from '../logs/phase.js';
import type { Config } from '../config/schema.js';
import { runClusterId, runDir, type Task } from '../plan/task.js';
import { recordLabels, type AccountingRecord } from '../slurm/sacct.js';
import { sameListing, type QueueJob } from '../slurm/squeue.js';
import { readLedger, type LedgerEntry } from '../submit/ledger.js';
import { isOwnEntry, jobOwner, readJobMark } from '../submit/job-mark.js';
import { setupIdentity, type SetupIdentity } from '../submit/setup-identity.js';
import { readManifest } from '../submit/submit-tasks.js';
import { classifyRun, SCORED_KINDS } from '../diagnosis/classify.js';
import { isFinal, ledgerIndex, queueTask, rowFromLedger, rowFromQueue, withAccounting, type PtbJob, type UndiagnosedJob } from './ptb-job.js';
import { metricsAccuracy } from '../run/folder.js';

/**
 * A row without its diagnosis. One spread, then the fields: a second spread into the same literal is
 * V8's slow path (a runtime call per property), which thousands of rows on the first look pay.
 */
const undiagnosed = (row: UndiagnosedJob, diagnosis: string | null = null, scored = false): PtbJob => ({
  ...row,
  diagnosis,
  diagnosisKind: null,
  evidence: null,
  action: null,
  scored,
});

/** At most this many ids per sacct call: one call per look, the rest of a long history on the next ones. */
export const SACCT_BATCH = 1000;

/** Looks a job that left the queue may wait for a final record in accounting before its files decide. */
export const ACCOUNTING_PATIENCE = 12;

/**
 * The monitor's memory: every ptb job of the setup seen in the queue or recorded in the ledger
 * (without a configuration, every ptb job of the account, each with the setup it belongs to).
 * Jobs that leave the queue stay, as history, with the final state sacct (or, without accounting,
 * the run's files) gives them. Pure bookkeeping plus file reads: the Slurm calls are the caller's.
 */
export function createJobTracker(options: { ledgerFile: string; config: () => Config | null; redactor?: () => (text: string) => string }) {
  const rows = new Map<string, PtbJob>();
  // The list last handed out, kept while no row changed: a look where nothing changed costs the screen nothing.
  let listed: PtbJob[] | null = null;
  // Kept with each row, so that a look asks after these without walking the whole history.
  const running = new Set<string>();
  const awaitingFinal = new Set<string>();
  const put = (id: string, row: PtbJob) => {
    rows.set(id, row);
    listed = null;
    if (row.inQueue && row.state === 'RUNNING') running.add(id);
    else running.delete(id);
    if (!row.inQueue && row.final === null) awaitingFinal.add(id);
    else awaitingFinal.delete(id);
  };
  let ledger = new Map<string, LedgerEntry>();
  let ledgerStamp = '';
  // What the last look made of each squeue job (the row's id; null: not a job of this setup), and the ledger it read.
  // Every job of the last listing is in it unless one is to be read again (its manifest was unreadable).
  let read = new Map<QueueJob, string | null>();
  let ledgerRead = '';
  let lastQueue: readonly QueueJob[] = [];
  const manifests = new Map<string, { key: string; task: Task }[] | null>();
  // A manifest read once is kept; one that could not be read (NFS hiccup) is tried again next time.
  const manifest = (file: string) => {
    const known = manifests.get(file);
    if (known) return known;
    const tasks = readManifest(file)?.tasks ?? null;
    if (tasks) manifests.set(file, tasks);
    return tasks;
  };
  // Looks since a job left the queue without a final record: slurmdbd may lag behind the queue.
  const unsettledLooks = new Map<string, number>();
  const justLeft = new Set<string>();
  // Settled (final state known), diagnosis still to read from the run folder.
  const toDiagnose = new Set<string>();
  const settle = (row: UndiagnosedJob) => {
    put(row.id, undiagnosed(row));
    toDiagnose.add(row.id);
    // An evaluation-only or judge-only rerun writes into the run it reran: that run's diagnosis is read again.
    const reran = row.task?.kind === 'eval-only' || row.task?.kind === 'judge-only' ? row.resubmitOf : null;
    if (reran && rows.has(reran)) toDiagnose.add(reran);
  };
  let setup: SetupIdentity | null = null;
  /**
   * The setup of the configuration now: when it changed (another results folder), the rows start
   * anew. A configuration that breaks later (a typo in a hand edit) keeps the last setup: the rows
   * never widen to other setups' jobs, which a cancel could then reach.
   */
  const currentSetup = (): SetupIdentity | null => {
    const config = options.config();
    const next = config ? setupIdentity(config) : setup;
    if (next?.id !== setup?.id) {
      setup = next;
      for (const memory of [rows, unsettledLooks]) memory.clear();
      listed = null;
      for (const memory of [justLeft, toDiagnose, running, awaitingFinal]) memory.clear();
      read = new Map();
      lastQueue = [];
      ledgerStamp = '';
    }
    return setup;
  };

  /** Re-reads the ledger when it changed (another ptb may have submitted): new entries become rows. */
  const syncLedger = () => {
    let stamp = '';
    try {
      const s = statSync(options.ledgerFile);
      stamp = `${s.size}:${s.mtimeMs}`;
    } catch {
      stamp = 'none';
    }
    if (stamp === ledgerStamp) return;
    ledgerStamp = stamp;
    const own = setup;
    const entries = readLedger(options.ledgerFile).filter((e) => own === null || isOwnEntry(e, own));
    ledger = ledgerIndex(entries);
    for (const [id, entry] of ledger) if (!rows.has(id)) put(id, rowFromLedger(entry));
    linkResubmissions();
  };

  const linkResubmissions = () => {
    for (const [id, row] of rows) {
      const of = ledger.get(id)?.resubmitOf ?? row.resubmitOf;
      if (of !== row.resubmitOf) put(id, { ...row, resubmitOf: of });
      const old = of ? rows.get(of) : undefined;
      if (old && old.resubmittedAs !== id) put(old.id, { ...old, resubmittedAs: id });
    }
  };

  /** Diagnosis of a finished row, from its run folder when its cluster id is known. */
  const withDiagnosis = (row: UndiagnosedJob, redact: ((text: string) => string) | undefined, config: Config | null): PtbJob => {
    if (row.task?.kind === 'container-test') {
      const diagnosis =
        row.state === 'COMPLETED'
          ? `container test passed: ${row.task.config}.sif sees a GPU`
          : isFinal(row.state)
            ? `container test failed: nvidia-smi inside ${row.task.config}.sif (see its stdout)`
            : null;
      return undiagnosed(row, diagnosis, row.state === 'COMPLETED');
    }
    if (!isFinal(row.state) && row.final !== 'unknown') return undiagnosed(row);
    // An evaluation-only rerun writes into the run it evaluates again.
    const clusterId = row.task ? runClusterId(row.task, row.ownId) : null;
    const dir = config && row.task && clusterId !== null ? runDir(config.resultsDir, row.task, clusterId) : null;
    const d = classifyRun(row, dir, redact, { baseline: row.task?.kind === 'baseline' });
    return { ...row, diagnosis: d.summary, diagnosisKind: d.kind, evidence: d.evidence, action: d.action, scored: SCORED_KINDS.has(d.kind) };
  };

  return {
    /** Folds one squeue listing in; returns how many rows left the queue with it. */
    update(queue: readonly QueueJob[]): number {
      const mine = currentSetup();
      syncLedger();
      // The listing squeue printed last time, the same ledger: nothing joins differently, no job left.
      if (ledgerRead === ledgerStamp && sameListing(lastQueue, queue) && read.size === queue.length) return 0;
      const seen = new Set<string>();
      const last = read;
      read = new Map();
      for (const job of queue) {
        // The same squeue line as last look (parseSqueue hands out the same object), the same ledger:
        // the same row, still in the queue. A look where nothing changed costs no join at all.
        const known = last.get(job);
        if (known !== undefined && ledgerRead === ledgerStamp && (known === null || rows.get(known)?.inQueue)) {
          read.set(job, known);
          if (known !== null) seen.add(known);
          continue;
        }
        const ran = queueTask(job, manifest);
        const row = rowFromQueue(job, ran, ledger);
        const ours = row !== null && !(mine && jobOwner(job, mine, ledger.has(row.id)).kind !== 'mine');
        // An array task whose manifest could not be read (NFS hiccup) is read again next look.
        if (ours || ran !== null || readJobMark(job.comment)?.kind !== 'array') read.set(job, ours ? row.id : null);
        if (!ours) continue;
        seen.add(row.id);
        const before = rows.get(row.id);
        // The row is new (rowFromQueue): what the last look knew is set on it, not spread into a copy.
        // The phase seen at the last reading stays until readPhases() reads it again.
        if (row.state === 'RUNNING' && before?.inQueue) row.diagnosis = before.diagnosis;
        row.resubmitOf ??= before?.resubmitOf ?? null;
        row.resubmittedAs = before?.resubmittedAs ?? null;
        // A cancel or requeue Slurm took holds until the queue shows the job in another state.
        if (before?.requested && before.state === row.state) row.requested = before.requested;
        if (!before || !sameJob(before, row)) put(row.id, row);
      }
      let left = 0;
      for (const row of rows.values()) {
        if (!row.inQueue || seen.has(row.id)) continue;
        put(row.id, { ...row, inQueue: false, final: null });
        justLeft.add(row.id);
        left++;
      }
      linkResubmissions();
      lastQueue = queue;
      ledgerRead = ledgerStamp;
      return left;
    },

    /**
     * Reads the running agents' phases (the end of output.log, solve_out.txt's age) without
     * blocking: the files of all running jobs at once, through the event loop.
     */
    async readPhases(): Promise<void> {
      const config = options.config();
      const reading = [...running].flatMap((id) => rows.get(id) ?? []);
      const phases = await Promise.all(reading.map((r) => livePhase(r, config, r.diagnosis)));
      reading.forEach((r, i) => {
        const now = rows.get(r.id);
        const phase = phases[i] ?? null;
        if (now?.inQueue && now.state === 'RUNNING' && now.diagnosis !== phase) put(r.id, { ...now, diagnosis: phase });
      });
    },

    /** The ids sacct should be asked about now (array tasks through their array's id), at most SACCT_BATCH. */
    pendingFinal(): string[] {
      const ids = new Set<string>();
      for (const id of awaitingFinal) {
        const row = rows.get(id);
        if (!row) continue;
        ids.add(row.arrayJobId !== null ? String(row.arrayJobId) : row.id);
        if (ids.size >= SACCT_BATCH) break;
      }
      return [...ids];
    },

    /** sacct's answer for `asked`; rows it does not know are settled from their files. */
    applyAccounting(asked: readonly string[], records: readonly AccountingRecord[]): void {
      const config = options.config();
      const byLabel = new Map<string, AccountingRecord>();
      for (const r of records) for (const label of recordLabels(r.jobId)) byLabel.set(label, r);
      const wanted = new Set(asked);
      for (const row of rows.values()) {
        if (row.inQueue || row.final !== null || !wanted.has(row.arrayJobId !== null ? String(row.arrayJobId) : row.id)) continue;
        const record = byLabel.get(row.id);
        if (record && isFinal(record.state)) {
          unsettledLooks.delete(row.id);
          justLeft.delete(row.id);
          // A task of an array's never-started remainder (`1505_[3-7]`) has no id of its own.
          const settled = withAccounting(row, record);
          settle(record.jobId.includes('_[') ? { ...settled, ownId: row.ownId } : settled);
          continue;
        }
        // Not final yet in accounting, or not there yet for a job that just left the queue: asked again,
        // up to a minute of looks, then the files say. History sacct does not know is settled at once.
        if (!record && !justLeft.has(row.id)) {
          settle(settleFromFiles(row, config));
          continue;
        }
        const looks = (unsettledLooks.get(row.id) ?? 0) + 1;
        unsettledLooks.set(row.id, looks);
        if (looks >= ACCOUNTING_PATIENCE) {
          unsettledLooks.delete(row.id);
          justLeft.delete(row.id);
          settle(settleFromFiles(row, config));
        } else if (record && record.state !== row.state) put(row.id, { ...row, state: record.state });
      }
    },

    /** Without accounting: every job that left the queue is settled from its run's files. */
    settleWithoutAccounting(): void {
      const config = options.config();
      for (const id of [...awaitingFinal]) {
        const row = rows.get(id);
        if (row) settle(settleFromFiles(row, config));
      }
    },

    /**
     * Diagnoses up to `limit` settled jobs (each reads the ends of a few files of its run): a long
     * history is diagnosed over several looks, so that no look holds the screen for long.
     */
    diagnoseSome(limit: number): number {
      // Built per look: a key stored since the last one is redacted too.
      const redact = options.redactor?.();
      const config = options.config();
      let done = 0;
      for (const id of toDiagnose) {
        if (done >= limit) break;
        toDiagnose.delete(id);
        const row = rows.get(id);
        if (row) put(id, withDiagnosis(row, redact, config));
        done++;
      }
      return toDiagnose.size;
    },

    /**
     * What an action did, known the moment it returns rather than at the next look: the jobs Slurm
     * cancelled or requeued, and the new job of each resubmitted one (`[old, new]`). So a key
     * pressed again at once never offers them a second time.
     */
    noteActions(done: { requested?: { ids: readonly string[]; action: 'cancel' | 'requeue' }; resubmitted?: readonly (readonly [string, string])[] }): void {
      for (const id of done.requested?.ids ?? []) {
        const row = rows.get(id);
        if (row && done.requested) put(id, { ...row, requested: done.requested.action });
      }
      for (const [from, to] of done.resubmitted ?? []) {
        const row = rows.get(from);
        if (row) put(from, { ...row, resubmittedAs: to });
      }
    },

    /** The jobs; the same array as last time while none changed (views and derived rows key on it). */
    list(): PtbJob[] {
      listed ??= [...rows.values()];
      return listed;
    },

    get(id: string): PtbJob | undefined {
      return rows.get(id);
    },
  };
}

export type JobTracker = ReturnType<typeof createJobTracker>;

/** A job sacct cannot tell about: COMPLETED when its run scored, else ENDED (state unknown). */
function settleFromFiles(row: UndiagnosedJob, config: Config | null): UndiagnosedJob {
  const clusterId = row.task ? runClusterId(row.task, row.ownId) : null;
  const scored =
    config && row.task && row.task.kind !== 'container-test' && clusterId !== null
      ? metricsAccuracy(join(runDir(config.resultsDir, row.task, clusterId), 'metrics.json')) !== null
      : false;
  if (scored) return { ...row, state: 'COMPLETED', reason: null, final: 'results' };
  return { ...row, state: 'ENDED', reason: null, final: 'unknown' };
}

/**
 * A running agent's phase from its output.log banners, with how long solve_out.txt has been
 * silent: `agent running, agent silent for 47 min`. Reads the last 16 KB; when no banner is
 * there (a long judge trace), the phase seen before stays.
 */
async function livePhase(row: UndiagnosedJob, config: Config | null, before: string | null): Promise<string | null> {
  if (!config || !row.task || row.task.kind !== 'agent' || row.ownId === null) return null;
  const dir = runDir(config.resultsDir, row.task, row.ownId);
  const phase = runPhase((await tailText(join(dir, 'output.log'), 16 * 1024)).split('\n')) ?? before?.split(',')[0] ?? null;
  const quiet =
    phase === 'agent running'
      ? await stat(join(dir, 'solve_out.txt')).then(
          (s) => silence(s.mtime, new Date()),
          () => null,
        )
      : null;
  return phase ? [phase, quiet].filter(Boolean).join(', ') : null;
}

async function tailText(path: string, bytes: number): Promise<string> {
  try {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      const buffer = Buffer.alloc(Math.min(size, bytes));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, size - buffer.length);
      return buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
  } catch {
    return '';
  }
}

/** Whether a job read again says what it said: its fields, its task and exit code by value (squeue gives new objects each look). */
function sameJob(a: PtbJob, b: PtbJob): boolean {
  const keys = Object.keys(b) as (keyof PtbJob)[];
  if (keys.length !== Object.keys(a).length) return false;
  return keys.every((k) => Object.is(a[k], b[k]) || (typeof a[k] === 'object' && JSON.stringify(a[k]) === JSON.stringify(b[k])));
}
