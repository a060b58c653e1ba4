import { readTextIfAny } from '../fs/read-text.js';
import { join } from 'node:path';

/**
 * What a run's judges said, from whichever files its generation writes: v1.1's
 * `judge_result.json` (else the GPT judge's `judgement_gpt5_4.json`, later upstream's canonical
 * one) with the API judge's `judgement_api.json`, or v1.0's two text files. A judge-only rerun's
 * `_rerun` file, where there is one, is the newer verdict and wins. A verdict is null where no
 * judge file says it. (The leaderboard's flag cell reads the original files only, as upstream's
 * aggregate_contamination.py does: see textFlag and jsonFlag.)
 */
export interface JudgeVerdicts {
  /** The file the contamination and model verdicts came from; null when no judge file is there. */
  source: string | null;
  contamination: boolean | null;
  disallowedModel: boolean | null;
  /** v1.1's API judge: third-party API use (not part of the leaderboard's flag). */
  disallowedApi: boolean | null;
  /** The judges' reasons, when a JSON judge gave them (shortened). */
  justification: string | null;
  /** A judge file that is there but cannot be read as its generation writes it. */
  problem: string | null;
}

const readText = (dir: string, file: string): string | null => readTextIfAny(join(dir, file));

type JsonRead = { kind: 'missing' } | { kind: 'invalid' } | { kind: 'ok'; value: Record<string, unknown> };

function readJson(dir: string, file: string): JsonRead {
  const text = readText(dir, file);
  if (text === null) return { kind: 'missing' };
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? { kind: 'ok', value: value as Record<string, unknown> } : { kind: 'invalid' };
  } catch {
    return { kind: 'invalid' };
  }
}

const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);

/** v1.0's text verdicts: exactly these lines, as aggregate_contamination.py compares them. */
const TEXT_VERDICTS = {
  contamination: { file: 'contamination_judgement.txt', yes: 'contamination detected', no: 'no contamination detected' },
  model: { file: 'disallowed_model_judgement.txt', yes: 'disallowed use detected', no: 'only allowed use detected' },
} as const;

type TextVerdict = 'yes' | 'no' | 'missing' | 'other';

function textVerdict(dir: string, which: keyof typeof TEXT_VERDICTS, rerun = false): TextVerdict {
  const file = TEXT_VERDICTS[which].file;
  const text = (rerun ? readText(dir, file.replace(/\.txt$/, '_rerun.txt')) : null) ?? readText(dir, file);
  if (text === null) return 'missing';
  const line = text.trim();
  return line === TEXT_VERDICTS[which].yes ? 'yes' : line === TEXT_VERDICTS[which].no ? 'no' : 'other';
}

export function readVerdicts(dir: string): JudgeVerdicts {
  const api = [readJson(dir, 'judgement_api_rerun.json'), readJson(dir, 'judgement_api.json')].find((r) => r.kind !== 'missing') ?? { kind: 'missing' };
  const disallowedApi = api.kind === 'ok' ? bool(api.value.disallowed_api_usage) : null;
  for (const file of ['judge_result_rerun.json', 'judge_result.json', 'judgement_gpt5_4_rerun.json', 'judgement_gpt5_4.json']) {
    const read = readJson(dir, file);
    if (read.kind === 'missing') continue;
    if (read.kind === 'invalid')
      return { source: file, contamination: null, disallowedModel: null, disallowedApi, justification: null, problem: `${file} is not a JSON object` };
    const v = read.value;
    const contamination = bool(v.contamination);
    const disallowedModel = bool(v.disallowed_model);
    const reasons = [v.justification_contamination, v.justification_disallowed_model].filter((j): j is string => typeof j === 'string' && j.trim() !== '');
    return {
      source: file,
      contamination,
      disallowedModel,
      disallowedApi: disallowedApi ?? bool(v.disallowed_api_usage),
      justification: reasons.length ? reasons.join(' / ').replace(/\s+/g, ' ').slice(0, 300) : null,
      problem: contamination === null || disallowedModel === null ? `${file} lacks a true/false contamination or disallowed_model` : null,
    };
  }
  const c = textVerdict(dir, 'contamination', true);
  const m = textVerdict(dir, 'model', true);
  const rerun = readText(dir, 'contamination_judgement_rerun.txt') !== null;
  if (c === 'missing' && m === 'missing')
    return { source: null, contamination: null, disallowedModel: null, disallowedApi, justification: null, problem: null };
  const odd = [c === 'other' ? TEXT_VERDICTS.contamination.file : '', m === 'other' ? TEXT_VERDICTS.model.file : ''].filter(Boolean);
  const missing = [c === 'missing' ? TEXT_VERDICTS.contamination.file : '', m === 'missing' ? TEXT_VERDICTS.model.file : ''].filter(Boolean);
  return {
    source: rerun ? 'contamination_judgement_rerun.txt' : c === 'missing' ? TEXT_VERDICTS.model.file : TEXT_VERDICTS.contamination.file,
    contamination: c === 'yes' ? true : c === 'no' ? false : null,
    disallowedModel: m === 'yes' ? true : m === 'no' ? false : null,
    disallowedApi,
    justification: null,
    problem:
      [odd.length ? `${odd.join(', ')} says neither verdict` : '', missing.length ? `${missing.join(', ')} is missing` : ''].filter(Boolean).join('; ') || null,
  };
}

/**
 * The flag cell of v1.0's aggregate_contamination.py (and qol's collect.py), from the text files:
 * `''`, `C`, `M`, `MC`, or an error (`C:ERR` a missing file, `IMPORTANT ERR` other content).
 */
export function textFlag(dir: string): string {
  const part = (which: keyof typeof TEXT_VERDICTS, letter: string): string => {
    const v = textVerdict(dir, which);
    return v === 'yes' ? letter : v === 'no' ? '' : v === 'missing' ? `${letter}:ERR` : `${letter}:IMPORTANT ERR`;
  };
  return joinFlags(part('contamination', 'C'), part('model', 'M'));
}

/**
 * The flag cell of v1.1's aggregate_contamination.py, from `judge_result.json`: a missing file
 * is `ERR` for both, bad JSON `IMPORTANT ERR` for both, a missing or non-boolean field
 * `IMPORTANT ERR` for that one. The API judge's verdict is not part of it.
 */
export function jsonFlag(dir: string): string {
  const read = readJson(dir, 'judge_result.json');
  if (read.kind === 'missing') return 'C:ERR M:ERR';
  if (read.kind === 'invalid') return 'C:IMPORTANT ERR M:IMPORTANT ERR';
  const part = (value: unknown, letter: string): string => (value === true ? letter : value === false ? '' : `${letter}:IMPORTANT ERR`);
  return joinFlags(part(read.value.contamination, 'C'), part(read.value.disallowed_model, 'M'));
}

/** As combine_results writes them: an error of either judge alone (`C:ERR M:ERR`, a verdict beside it dropped), else `MC`, `M`, `C` or ''. */
function joinFlags(c: string, m: string): string {
  const errors = [c, m].filter((p) => p.includes(':'));
  if (errors.length > 0) return errors.join(' ');
  return `${m === 'M' ? 'M' : ''}${c === 'C' ? 'C' : ''}`;
}
