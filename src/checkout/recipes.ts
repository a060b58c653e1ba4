/**
 * Upstream's recipes, as its HTCondor submitter lists them (`src/commit_utils/commit.sh`): one
 * `condor_submit_bid` line per agent configuration, whose `key=value` tokens are what a job of
 * that recipe gets. ptb reads them from the user's checkout, never from a copy of its own.
 */
export interface Recipe {
  agent: string;
  config: string;
  /** `num_hours`; null when the line does not say (the job's default then applies). */
  hours: number | null;
  /** `num_gpus`, 1 when the line does not say (the .sub's default). */
  gpus: number;
  /** `request_memory` in MB, `request_cpus`, `request_disk` (`800G`): overrides of the .sub's defaults. */
  memoryMb: number | null;
  cpus: number | null;
  disk: string | null;
  /** The scheduler branches whose lines name this recipe (`htcondor_mpi-is`, `htcondor`; `*` outside any branch). */
  branches: string[];
  /** The 1-based line of its first appearance. */
  line: number;
}

/** A recipe line without `num_hours` runs upstream's standard budget. */
export const DEFAULT_RECIPE_HOURS = 10;

export interface RecipeFile {
  recipes: Recipe[];
  /** The `models=( ... )` and `evals=( ... )` entries not commented out: the matrix the loop runs. */
  models: string[];
  evals: string[];
  /** Lines that submit but could not be read as a recipe, with why: shown, never guessed. */
  problems: string[];
}

// `key=value` tokens, double- or single-quoted, with or without `-a` before them.
const TOKEN = /(?:^|\s)(?:-a\s+)?(?:"([a-z_]+)=([^"]*)"|'([a-z_]+)=([^']*)')/g;
const BRANCH = /^(?:if|elif)\s+\[\[?\s+"?\$\{?POST_TRAIN_BENCH_JOB_SCHEDULER\}?"?\s+==?\s+"?([^"\s\]]+)"?\s*\]\]?/;

/**
 * The entries of one line of a `models=( ... )` array into `into`, as bash reads them (several a
 * line, quoted or not, a `#` starting a comment); null once the line closes the array.
 */
function arrayEntries(line: string, into: string[]): string[] | null {
  const words = line.match(/"[^"]*"|'[^']*'|[^\s"'()#]+|[()#]/g) ?? [];
  for (const word of words) {
    if (word === '#') break;
    if (word === ')') return null;
    if (word === '(') continue;
    const value = word.replace(/^["']|["']$/g, '');
    if (value) into.push(value);
  }
  return into;
}

/** Reads a commit.sh text: its recipes (one per distinct set of values, with every branch it is in), and its matrix. */
export function parseRecipes(text: string): RecipeFile {
  const recipes = new Map<string, Recipe>();
  const problems: string[] = [];
  const models: string[] = [];
  const evals: string[] = [];
  let branch: string | null = null;
  let array: string[] | null = null;
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (array) {
      array = arrayEntries(line, array);
      continue;
    }
    const opened = /^(models|evals)=\(\s*(.*)$/.exec(line);
    if (opened) {
      array = arrayEntries(opened[2] ?? '', opened[1] === 'models' ? models : evals);
      continue;
    }
    const branchOf = BRANCH.exec(line);
    if (branchOf) {
      branch = branchOf[1] ?? null;
      continue;
    }
    if (line === 'else') {
      branch = '(other)';
      continue;
    }
    if (line === 'fi') {
      branch = null;
      continue;
    }
    if (!/\bcondor_submit/.test(line)) continue;
    const values = new Map<string, string>();
    for (const m of line.matchAll(TOKEN)) values.set(m[1] ?? m[3] ?? '', m[2] ?? m[4] ?? '');
    const agent = values.get('agent');
    const config = values.get('agent_config');
    // A baseline or evaluation-only line: not an agent recipe.
    if (agent === undefined) continue;
    const number = (key: string): number | null | 'bad' => {
      const v = values.get(key);
      if (v === undefined) return null;
      return /^\d+$/.test(v) && Number(v) > 0 ? Number(v) : 'bad';
    };
    const [hours, gpus, memoryMb, cpus] = [number('num_hours'), number('num_gpus'), number('request_memory'), number('request_cpus')];
    const numbers: [string, number | null | 'bad'][] = [
      ['num_hours', hours],
      ['num_gpus', gpus],
      ['request_memory', memoryMb],
      ['request_cpus', cpus],
    ];
    const bad = numbers.filter(([, v]) => v === 'bad').map(([k]) => `${k}=${values.get(k) ?? ''}`);
    if (!config || bad.length > 0) {
      problems.push(`line ${index + 1}: ${!config ? 'no agent_config' : `not a positive whole number: ${bad.join(', ')}`}`);
      continue;
    }
    const disk = values.get('request_disk') ?? null;
    const recipe: Recipe = {
      agent,
      config,
      hours: hours as number | null,
      gpus: (gpus as number | null) ?? 1,
      memoryMb: memoryMb as number | null,
      cpus: cpus as number | null,
      disk,
      branches: [],
      line: index + 1,
    };
    const key = [agent, config, recipe.hours, recipe.gpus, recipe.memoryMb, recipe.cpus, disk].join('|');
    const known = recipes.get(key) ?? recipe;
    const where = branch ?? '*';
    if (!known.branches.includes(where)) known.branches.push(where);
    recipes.set(key, known);
  }
  return { recipes: [...recipes.values()], models, evals, problems };
}
