import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import type { PlannedTask } from '../plan/resolve.js';
import { upstreamSafe } from '../plan/task.js';
import { renderArrayScript, renderBatchScript } from './batch-script.js';
import { experimentDir, experimentLogsDir } from './experiment-dir.js';
import { arrayComment, jobComment } from './job-mark.js';
import type { SetupIdentity } from './setup-identity.js';
import { agentLimit } from '../plan/throttle.js';
import type { BatchSpec } from '../slurm/sbatch.js';
import { jobEnvironment } from '../slurm/env.js';

/**
 * One sbatch call: a single task, or a job array of tasks that share one set of #SBATCH lines.
 * The review shows units and `ptb submit` submits them: both build them here.
 */
export interface JobUnit {
  members: PlannedTask[];
  asArray: boolean;
  /** The array's `%N` throttle (the agent's limit); null for a single job or an unlimited agent. */
  limit: number | null;
}

/** What a task asks Slurm for: its #SBATCH values (the image goes in the script's body). */
const asked = (r: PlannedTask['resolved']): string => [r.gres, r.cpus, r.mem, r.tmp, r.timeLimit].join('|');

/**
 * Tasks that can share one job array: one set of #SBATCH lines, so the same kind, agent,
 * experiment, GRES, CPUs, memory, disk and time limit. Each array task keeps its own image.
 */
function arrayGroups(planned: readonly PlannedTask[]): PlannedTask[][] {
  const groups = new Map<string, PlannedTask[]>();
  for (const p of planned) {
    const id = [p.task.kind, p.task.agent, p.task.experiment, asked(p.resolved)].join('|');
    groups.set(id, [...(groups.get(id) ?? []), p]);
  }
  return [...groups.values()];
}

/** The sbatch calls of these tasks: one each, or with `array` one job array per group (container tests stay single). */
export function jobUnits(planned: readonly PlannedTask[], config: Pick<Config, 'throttle'>, array: boolean): JobUnit[] {
  if (!array) return planned.map((p) => ({ members: [p], asArray: false, limit: null }));
  // Container tests and evaluation-only reruns are few: each stays a job of its own.
  const alone = (p: PlannedTask) => p.task.kind === 'container-test' || p.task.kind === 'eval-only' || p.task.kind === 'judge-only';
  const single = planned.filter(alone).map((p): JobUnit => ({ members: [p], asArray: false, limit: null }));
  const arrays = arrayGroups(planned.filter((p) => !alone(p))).map((members): JobUnit => ({
    members,
    asArray: true,
    limit: members[0]?.task.kind === 'agent' ? agentLimit(config, members[0].task.agent) : null,
  }));
  return [...single, ...arrays];
}

/** What Slurm is asked for by a unit: units of one shape are accepted or refused alike. */
export function unitShape(unit: JobUnit): string {
  const head = unit.members[0];
  return head ? [head.task.kind, asked(head.resolved), unit.asArray].join('|') : '';
}

/**
 * A file name that is safe to paste into a shell: letters, digits and `._+=-` only. An agent
 * configuration may hold `$(...)`, backticks or `;` (upstream passes it quoted): they become `_`,
 * and a short hash of the original keeps two such names apart.
 */
function shellSafeName(text: string): string {
  const readable = upstreamSafe(text);
  const safe = readable.replace(/[^A-Za-z0-9._+=-]/g, '_');
  return safe === readable ? safe : `${safe}-${createHash('sha256').update(text).digest('hex').slice(0, 8)}`;
}

/** Where a unit's files go: its script, and an array's manifest. `stamp` keeps one array's files apart from the next. */
export function unitFiles(unit: JobUnit, config: Config, stamp: string): { script: string; manifest: string | null; logsDir: string } {
  const head = unit.members[0];
  if (!head) throw new Error('a job needs at least one task');
  const dir = experimentDir(config, head.task.experiment);
  const logsDir = experimentLogsDir(config, head.task.experiment);
  // A rerun's key leaves out the run it reruns: its file name does not, so one rerun's script is not another's.
  const rerun = head.task.rerunOf !== undefined ? `__of${head.task.rerunOf}` : '';
  if (!unit.asArray)
    return {
      script: join(dir, 'scripts', `${shellSafeName(head.key.slice('ptb1|'.length).split('|').filter(Boolean).join('__'))}${rerun}.sbatch`),
      manifest: null,
      logsDir,
    };
  const stem = `${head.task.kind === 'baseline' ? 'baseline' : shellSafeName(head.task.agent)}-${stamp}`;
  return { script: join(dir, 'arrays', `${stem}.sbatch`), manifest: join(dir, 'arrays', `${stem}.json`), logsDir };
}

/** A unit's batch script, as it is submitted. Throws only for a value an #SBATCH line cannot carry. */
export function unitScript(unit: JobUnit, config: Config, paths: { secretsFile: string; logsDir: string; manifest: string | null }): string {
  const head = unit.members[0];
  if (!head) throw new Error('a job needs at least one task');
  return unit.asArray
    ? renderArrayScript(unit.members, config, { logsDir: paths.logsDir, secretsFile: paths.secretsFile, manifest: paths.manifest ?? '', limit: unit.limit })
    : renderBatchScript(head, config, { logsDir: paths.logsDir, secretsFile: paths.secretsFile });
}

/** The `--comment` a unit is submitted with: the task and its setup, or the array's manifest. */
export function unitComment(unit: JobUnit, setup: SetupIdentity, manifest: string | null): string {
  const head = unit.members[0];
  if (!head) throw new Error('a job needs at least one task');
  return unit.asArray ? arrayComment(manifest ?? '') : jobComment(head.task, setup);
}

/** The sbatch request of a unit whose script is at `script`: `ptb submit` sends it, the review shows its argv. */
export function unitBatchSpec(unit: JobUnit, config: Config, setup: SetupIdentity, files: { script: string; manifest: string | null }): BatchSpec {
  return { payload: { script: files.script }, comment: unitComment(unit, setup, files.manifest), environment: jobEnvironment(config.passEnvironment) };
}
