import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import { runClusterId, runDir } from '../plan/task.js';
import { experimentLogsDir } from '../submit/experiment-dir.js';
import type { UndiagnosedJob } from './ptb-job.js';
import { latestFinalEval } from '../run/folder.js';

/** The log tabs, in the order `]` cycles through them. */
export const LOG_TABS = ['stdout', 'stderr', 'output.log', 'error.log', 'solve_out.txt', 'solve_parsed.txt', 'final_eval'] as const;
export type LogTab = (typeof LOG_TABS)[number];

export const TAB_TITLES: Record<LogTab, string> = {
  stdout: 'Slurm stdout',
  stderr: 'Slurm stderr',
  'output.log': 'output.log',
  'error.log': 'error.log',
  'solve_out.txt': 'solve_out',
  'solve_parsed.txt': 'solve_parsed',
  final_eval: 'final_eval',
};

/**
 * Where a tab's file is for a job, or why it cannot be known yet: the Slurm logs are named by the
 * job's own id (`%j`), the run's files live in its EVAL_DIR, named by the same id.
 */
export function logPath(job: UndiagnosedJob, config: Config, tab: LogTab): { path: string } | { missing: string } {
  if (!job.task) return { missing: 'not a ptb task' };
  if (job.ownId === null) return { missing: 'the job has not started: its logs are named by the id it gets when it starts' };
  const logs = experimentLogsDir(config, job.task.experiment);
  if (tab === 'stdout') return { path: join(logs, `${job.ownId}.out`) };
  if (tab === 'stderr') return { path: join(logs, `${job.ownId}.err`) };
  if (job.task.kind === 'container-test') return { missing: 'a container test writes only the Slurm logs' };
  const clusterId = runClusterId(job.task, job.ownId);
  if (clusterId === null) return { missing: 'the run this rerun writes into is not known' };
  const dir = runDir(config.resultsDir, job.task, clusterId);
  // An evaluation-only rerun writes its own logs beside the run's, as upstream's script names them.
  const own = job.task.kind === 'eval-only' ? `z_new_${job.ownId}_` : '';
  if (tab === 'final_eval') return { path: latestFinalEval(dir, own) ?? join(dir, `${own}final_eval_1.txt`) };
  if (own && (tab === 'output.log' || tab === 'error.log')) return { path: join(dir, `${own}${tab}`) };
  return { path: join(dir, tab) };
}

/**
 * The log that best explains a job, for the jump key: the file a diagnosis quotes, a running
 * agent's trace, the evaluation of a run whose model was saved, else output.log's phases.
 */
export function telltaleTab(job: Pick<UndiagnosedJob, 'state' | 'inQueue'> & { evidence?: string | null }): LogTab {
  const quoted = job.evidence?.split(':')[0] ?? '';
  if (/^final_eval_\d+\.txt$/.test(quoted)) return 'final_eval';
  if ((LOG_TABS as readonly string[]).includes(quoted)) return quoted as LogTab;
  if (job.inQueue && job.state === 'RUNNING') return 'solve_out.txt';
  if (job.state === 'FAILED' || job.state === 'OUT_OF_MEMORY' || job.state === 'NODE_FAIL') return 'stderr';
  return 'output.log';
}
