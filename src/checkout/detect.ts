import { readTextIfAny } from '../fs/read-text.js';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseRecipes, type RecipeFile } from './recipes.js';
import type { CheckoutCredentials } from '../config/agent-needs.js';
import { readAgentCredentials } from './agent-credentials.js';
import { detectGeneration, type Generation } from './generation.js';
import { withoutComments } from './shell-text.js';

/** A PostTrainBench checkout as ptb sees it: where it is and what it offers. */
export interface Checkout {
  root: string;
  /** `src/eval/tasks/<id>` with the benchmark name from `benchmark.txt`. */
  tasks: { id: string; benchmark: string }[];
  /** `agents/<name>` folders that have a `solve.sh`. */
  agents: string[];
  /** The configured checkout this one (ptb's --checkout) stands in for, when they differ. */
  configured?: string;
  /** `src/commit_utils/commit.sh`, read: upstream's recipes and matrix; null where the checkout has none. */
  recipes: RecipeFile | null;
  /**
   * The images the checkout's scripts name besides the agent's (`vllm_debug.sif` for every
   * evaluation; a judge's in newer generations): a run would spend its budget, then fail, without them.
   */
  images: { run: string[]; baseline: string[] };
  generation: Generation;
  /** The judges' needs on every run, and what each agent folder logs in with (its api_keys.json or solve.sh). */
  credentials: CheckoutCredentials;
  /** Agent files that could not be read (an api_keys.json that is not JSON): their agents fall back on solve.sh. */
  credentialProblems: string[];
  /** The name a GPU must contain for the checkout's CUDA check (see requiredGpuName). */
  requiredGpu: string | null;
}

/** True when `dir` has upstream's markers: `src/run_task.sh` and `src/eval/tasks/`. */
export function isCheckout(dir: string): boolean {
  return existsSync(join(dir, 'src', 'run_task.sh')) && isDirectory(join(dir, 'src', 'eval', 'tasks'));
}

/** The checkout containing `start` (it or one of its parents), if any. */
export function findCheckout(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    if (isCheckout(dir)) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Reads the tasks and agents of a checkout. Missing folders give empty lists, never an exception. */
export function readCheckout(root: string): Checkout {
  const tasksDir = join(root, 'src', 'eval', 'tasks');
  const tasks = listDirs(tasksDir).map((id) => ({ id, benchmark: readFirstLine(join(tasksDir, id, 'benchmark.txt')) ?? id }));
  const agents = listDirs(join(root, 'agents')).filter((name) => existsSync(join(root, 'agents', name, 'solve.sh')));
  const generation = detectGeneration(root);
  const read = readAgentCredentials(root, agents);
  return {
    root,
    tasks,
    agents,
    recipes: readRecipes(join(root, 'src', 'commit_utils', 'commit.sh')),
    images: {
      run: imagesNamed(readTextIfAny(join(root, 'src', 'run_task.sh')) ?? ''),
      baseline: imagesNamed(readTextIfAny(join(root, 'src', 'baselines', 'run_baseline.sh')) ?? ''),
    },
    generation,
    credentials: {
      everyRun: generation.judgeNeeds,
      agents: read.agents,
      evals: Object.fromEntries(tasks.map((t) => [t.id, keysRequired(readTextIfAny(join(tasksDir, t.id, 'evaluate.py')) ?? '')])),
    },
    credentialProblems: read.problems,
    requiredGpu: requiredGpuName(root),
  };
}

/**
 * The GPU names upstream's CUDA check accepts (`"H100" in name` in `src/utils/check_cuda.py`),
 * `|`-separated when it accepts several: the agent never starts on a node without such a GPU.
 * Without the file, upstream's own "H100"; a checkout whose check names no model (patched for
 * other GPUs) requires none: null.
 */
export function requiredGpuName(root: string): string | null {
  const text = readTextIfAny(join(root, 'src', 'utils', 'check_cuda.py'));
  if (text === null) return 'H100';
  const code = text
    .split('\n')
    .map((l) => l.replace(/(^|\s)#.*$/, ''))
    .join('\n');
  // A fork may accept several (`"H100" in name or "H200" in name`): any of them will do.
  const names = [...code.matchAll(/["']([A-Za-z]\d{2,4}[A-Za-z]*)["']\s+(?:not\s+)?in\s+[\w.()[\]]*name/gi)].map((m) => m[1] ?? '');
  return names.length > 0 ? [...new Set(names)].join('|') : null;
}

/** Whether a GPU (its name, or a GRES type such as `h100`) is one the CUDA check accepts (see requiredGpuName). */
export const gpuAccepted = (name: string, required: string): boolean => required.split('|').some((want) => name.toUpperCase().includes(want.toUpperCase()));

/** `H100 or H200`: the accepted names, as a sentence says them. */
export const acceptedGpus = (required: string): string => required.split('|').join(' or ');

/**
 * The API keys a Python evaluation script refuses to run without (`"OPENAI_API_KEY" not in
 * os.environ`, `os.environ["X_API_KEY"]`): its grader's. A key read with a default
 * (`os.environ.get`) is optional, and not asked for.
 */
export function keysRequired(python: string): string[] {
  const keys = new Set<string>();
  for (const line of python.split('\n')) {
    const code = line.replace(/(^|\s)#.*$/, '');
    // A read, not an assignment (`os.environ["X"] = ...` sets it).
    for (const m of code.matchAll(
      /["']([A-Z][A-Z0-9_]*_API_KEY)["']\s+not\s+in\s+os\.environ\b|os\.environ\[\s*["']([A-Z][A-Z0-9_]*_API_KEY)["']\s*\](?!\s*=(?!=))/g,
    ))
      keys.add((m[1] ?? m[2]) as string);
  }
  return [...keys];
}

/**
 * The `.sif` images a script names literally (`.../vllm_debug.sif`), outside comments; an image
 * named through a variable (`${POST_TRAIN_BENCH_CONTAINER_NAME}.sif`, the agent's) is the setup's.
 */
export function imagesNamed(script: string): string[] {
  const names = new Set<string>();
  for (const line of withoutComments(script).split('\n')) {
    for (const m of line.matchAll(/(?:^|[/"'\s=])([A-Za-z0-9][A-Za-z0-9_.-]*)\.sif\b/g)) if (m[1]) names.add(m[1]);
  }
  return [...names];
}

function readRecipes(file: string): RecipeFile | null {
  try {
    return parseRecipes(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function listDirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() || (entry.isSymbolicLink() && isDirectory(join(dir, entry.name))))
      .map((entry) => entry.name)
      .sort();
  } catch {
    return [];
  }
}

function readFirstLine(path: string): string | undefined {
  return readTextIfAny(path)?.split('\n')[0]?.trim() || undefined;
}
