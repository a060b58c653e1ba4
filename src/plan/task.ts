/** One PostTrainBench run: what `run_task.sh` (or `run_baseline.sh`) gets, plus the experiment. */
export interface Task {
  kind: 'agent' | 'baseline';
  eval: string;
  model: string;
  /** Empty for a baseline. */
  agent: string;
  config: string;
  hours: number;
  gpus: number;
  experiment: string;
}

/**
 * The task's identity, stable across runs: the ledger's key and the job's `--comment`, so that
 * a job submitted just before a crash is recognised in squeue afterwards.
 */
export function taskKey(t: Task): string {
  return ['ptb1', t.kind, t.eval, t.model, t.agent, t.config, String(t.hours), String(t.gpus), t.experiment].join('|');
}

export function parseTaskKey(key: string): Task | undefined {
  const [tag, kind, evalId, model, agent, config, hours, gpus, experiment] = key.split('|');
  if (tag !== 'ptb1' || (kind !== 'agent' && kind !== 'baseline') || evalId === undefined || model === undefined) return undefined;
  return { kind, eval: evalId, model, agent: agent ?? '', config: config ?? '', hours: Number(hours), gpus: Number(gpus), experiment: experiment ?? '' };
}

/** `tr '/:[]' '____'`, as upstream names result folders. */
export const upstreamSafe = (text: string): string => text.replace(/[/:[\]]/g, '_');

/** Upstream's method folder: `claude_claude-opus-4-6_1m__10h_run1` (a baseline: `baseline`). */
export function methodFolder(t: Task): string {
  if (t.kind === 'baseline') return 'baseline';
  return `${t.agent}_${upstreamSafe(t.config)}_${t.hours}h${t.gpus > 1 ? `_${t.gpus}gpu` : ''}${t.experiment}`;
}

/** The run folder's prefix, before the cluster id: `gsm8k_Qwen_Qwen3-1.7B-Base_`. */
export function runFolderPrefix(t: Task): string {
  const model = t.kind === 'baseline' ? t.model.replace(/[/:]/g, '_') : upstreamSafe(t.model);
  return `${t.eval}_${model}_`;
}

/** `gsm8k x Qwen3-1.7B-Base x claude/claude-opus-4-6 x 10h`. */
export function describeTask(t: Task): string {
  const model = t.model.split('/').pop() ?? t.model;
  return t.kind === 'baseline' ? `${t.eval} x ${model} (baseline)` : `${t.eval} x ${model} x ${t.agent}/${t.config} x ${t.hours}h${t.gpus > 1 ? ` x ${t.gpus} GPUs` : ''}`;
}
