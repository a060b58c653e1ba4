import { readTextIfAny } from '../fs/read-text.js';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { V10_JUDGE, type RunNeeds } from '../config/agent-needs.js';
import { withoutComments } from './shell-text.js';

/**
 * Which generation of PostTrainBench a checkout is, from what only some generations have:
 * `1.0` (the text judge, HTCondor passes the keys), `1.1` ("new judging system": `.env`, JSON
 * judges in their own image), `qol` (the multi-GPU branch), `newer` (past 1.1: what ptb knows of
 * 1.1 holds, the rest is read from the scripts), or `unknown` (none of the signals).
 */
export type GenerationId = '1.0' | '1.1' | 'qol' | 'newer' | 'unknown';

export interface Generation {
  id: GenerationId;
  /** What told: `example.env`, `set_env_vars.sh reads .env`... shown beside the generation. */
  signals: string[];
  /** Reads `<checkout>/.env` at run time, and stops without it (1.1). */
  readsDotEnv: boolean;
  /**
   * What run_task.sh needs on every run beyond the agent's own credentials, as it says so: the
   * auth files it names literally (1.1: the GPT judge logs in with codex_non_api's) and the keys
   * it stops without (`OPENCODE_API_KEY is not set`: the Kimi judge's).
   */
  judgeNeeds: RunNeeds;
}

const read = (file: string): string => readTextIfAny(file) ?? '';

const listSubs = (dir: string): string[] => {
  try {
    return readdirSync(dir).filter((f) => /^single_task.*\.sub$/.test(f));
  } catch {
    return [];
  }
};

/** `v1.1`: the header's short name. */
export const GENERATION_SHORT: Record<GenerationId, string> = {
  '1.0': 'v1.0',
  '1.1': 'v1.1',
  qol: 'qol',
  newer: 'newer than v1.1',
  unknown: 'generation unknown',
};

export const GENERATION_TITLES: Record<GenerationId, string> = {
  '1.0': 'v1.0',
  '1.1': 'v1.1 (new judging system)',
  qol: 'qol (multi-GPU branch)',
  newer: 'newer than v1.1',
  unknown: 'not one ptb knows',
};

export function detectGeneration(root: string): Generation {
  const has = (path: string) => existsSync(join(root, path));
  const setEnv = read(join(root, 'src', 'commit_utils', 'set_env_vars.sh'));
  const runTask = read(join(root, 'src', 'run_task.sh'));
  const v11: string[] = [];
  if (has('example.env')) v11.push('example.env');
  if (/\.env\b/.test(setEnv) && !/set_default\s*\(\)/.test(setEnv)) v11.push('set_env_vars.sh reads .env');
  if (/judge_result\.json|gpt_5_5\.sif/.test(runTask)) v11.push('run_task.sh runs the JSON judges');
  if (has('src/trace_parsing')) v11.push('src/trace_parsing/');
  if (has('src/eval/tasks/aime2026')) v11.push('the aime2026 eval');
  const v10: string[] = [];
  if (/set_default\s*\(\)/.test(setEnv)) v10.push('set_env_vars.sh has set_default');
  if (/contamination_judgement\.txt/.test(runTask)) v10.push('run_task.sh runs the text judge');
  const qol = ['scripts/collect.py', 'scripts/baselines.json', 'src/commit_utils/rerun_eval.sub'].filter(has);
  // Later upstream: a cell re-submitter and .sub files that pin an agent's image.
  const later = [
    'src/commit_utils/rerun_cells.sh',
    ...listSubs(join(root, 'src', 'commit_utils'))
      .filter((f) => !['single_task.sub', 'single_task_gemini.sub'].includes(f))
      .map((f) => `src/commit_utils/${f}`),
  ].filter(has);
  const code = withoutComments(runTask);
  const judges = {
    keys: [...new Set([...code.matchAll(/\b([A-Z][A-Z0-9_]*_API_KEY) is not set\b/g)].map((m) => m[1] ?? ''))],
    authFiles: [...new Set([...code.matchAll(/\bagents\/[A-Za-z0-9_.-]+\/(?:auth\.json|oauth_token)\b/g)].map((m) => m[0]))],
  };
  if (v11.length > 0 && later.length > 0) return { id: 'newer', signals: [...v11, ...later], readsDotEnv: true, judgeNeeds: judges };
  if (v11.length > 0) return { id: '1.1', signals: v11, readsDotEnv: true, judgeNeeds: judges };
  // The text judge (v1.0, qol) runs codex on OpenAI's key; with no signal at all, that is assumed too.
  if (qol.length > 0) return { id: 'qol', signals: qol, readsDotEnv: false, judgeNeeds: V10_JUDGE };
  if (v10.length > 0) return { id: '1.0', signals: v10, readsDotEnv: false, judgeNeeds: V10_JUDGE };
  return { id: 'unknown', signals: [], readsDotEnv: false, judgeNeeds: V10_JUDGE };
}
