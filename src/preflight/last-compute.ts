import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import type { CheckResult } from './check-result.js';

/**
 * The last compute preflight of a setup, kept beside the probe's files in the results folder, so
 * that a submission can ask for it: what was checked, when, and for which setup.
 */
interface ComputeRecord {
  at: string;
  setup: string;
  results: { id: string; status: CheckResult['status']; finding: string }[];
}

const recordFile = (config: Pick<Config, 'resultsDir'>): string => join(config.resultsDir, '.ptb-preflight', 'last-compute.json');

/**
 * What the compute checks depend on: the job's request, the images, the checkout. Another value
 * here is another setup, whose nodes and images the last probe did not see.
 */
function setupPrint(config: Config): string {
  const s = config.slurm;
  const fields = [
    config.checkout,
    config.containersDir,
    config.containerName,
    config.hfHome,
    s.partition,
    s.gres,
    s.constraint,
    s.account,
    s.qos,
    s.cpusPerTask,
    s.mem,
    s.tmp,
    s.home,
    s.scratch,
    ...(config.passEnvironment ?? []),
  ];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex').slice(0, 16);
}

/** Keeps a finished compute preflight; a record that cannot be written is no reason to fail the preflight. */
export function recordComputePreflight(config: Config, results: readonly CheckResult[], at = new Date()): void {
  const record: ComputeRecord = {
    at: at.toISOString(),
    setup: setupPrint(config),
    results: results.map(({ id, status, finding }) => ({ id, status, finding })),
  };
  try {
    writeFileAtomic(recordFile(config), `${JSON.stringify(record, null, 1)}\n`, { mode: 0o644, dirMode: 0o755 });
  } catch {
    // The preflight's own results are shown either way; the next submission then asks as if none ran.
  }
}

/** What a submission should know of the compute preflight: passed, failing (with the checks), or not run for this setup. */
export type ComputeVerdict =
  { kind: 'passed'; at: string } | { kind: 'failing'; at: string; failing: { id: string; finding: string }[] } | { kind: 'none'; why: string };

export function computeVerdict(config: Config): ComputeVerdict {
  let record: ComputeRecord;
  try {
    record = JSON.parse(readFileSync(recordFile(config), 'utf8')) as ComputeRecord;
    if (!Array.isArray(record.results) || typeof record.at !== 'string') throw new Error('not a record');
  } catch {
    return { kind: 'none', why: 'no compute preflight has run for this setup' };
  }
  if (record.setup !== setupPrint(config)) return { kind: 'none', why: `the last compute preflight (${record.at}) ran before the setup changed` };
  const failing = record.results.filter((r) => r.status === 'fail').map(({ id, finding }) => ({ id, finding }));
  return failing.length > 0 ? { kind: 'failing', at: record.at, failing } : { kind: 'passed', at: record.at };
}

/**
 * What a command that spends GPU-hours does about the compute preflight (`verb`: submit, resubmit):
 * nothing when it passed; with `ignore`, a note to print; else a warning to ask about on a
 * terminal (`ask`) and the refusal a script gets, `--yes` or not.
 */
export function preflightGate(
  config: Config,
  verb: 'submit' | 'resubmit',
  ignore: boolean,
): { note: string | null; ask: string | null; refusal: string | null } {
  const warning = preflightWarning(computeVerdict(config));
  if (warning === null) return { note: null, ask: null, refusal: null };
  if (ignore) return { note: `--ignore-preflight: ${verb === 'submit' ? 'submitting' : 'resubmitting'} although ${warning}`, ask: null, refusal: null };
  return {
    note: null,
    ask: warning,
    refusal: `${warning}.\nNothing ${verb}ted: run \`ptb preflight --compute\` first, or add --ignore-preflight to ${verb} anyway (--yes alone does not skip this).`,
  };
}

/** The warning a submission gives for a verdict that is not a pass; null for a pass. */
export function preflightWarning(verdict: ComputeVerdict): string | null {
  if (verdict.kind === 'passed') return null;
  if (verdict.kind === 'none')
    return `${verdict.why}: \`ptb preflight --compute\` checks a node of the partition (GPU model, apptainer, FUSE, tools) before GPU-hours are spent`;
  return `the compute preflight of ${verdict.at} failed: ${verdict.failing.map((f) => `${f.id} (${f.finding})`).join('; ')}`;
}
