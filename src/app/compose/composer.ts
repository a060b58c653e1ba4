import { DEFAULT_RECIPE_HOURS } from '../../checkout/recipes.js';
import Fuse from 'fuse.js';
import { agentConfigId } from '../../catalog/agent-configs.js';
import { BASE_MODELS } from '../../catalog/models.js';
import type { Plan, PlanVocabulary } from '../../plan/plan.js';
import { gpuHours } from '../../plan/plan-checks.js';
import type { TimeSettings } from '../../plan/task.js';

/** The four lists of the composer, in screen order. */
export const LISTS = ['models', 'evals', 'agentConfigs', 'hours'] as const;
export type ListName = (typeof LISTS)[number];

export interface ComposerState {
  options: Record<ListName, string[]>;
  selected: Record<ListName, string[]>;
  /** Fuzzy filter per list ('' shows everything). */
  filter: Record<ListName, string>;
  cursor: Record<ListName, number>;
  focus: ListName;
  /** Typing goes into the focused list's filter. */
  filtering: boolean;
  /** What the last action said (a saved plan's path, why a preset is not offered), until the composer is left. */
  notice: { text: string; error: boolean } | null;
  /** The ladder's first step instead of the lists: the container test of the default image. */
  containerTest: boolean;
  defaultImage: string;
  /** The image each agent configuration runs in (upstream's, or the configuration's override). */
  images: Record<string, string>;
  /** What the container test checks: the default image, the checkout's own (vllm_debug...) and those of the configurations picked when it was chosen. */
  containerImages: string[];
  /** The images the checkout's run_task.sh names (every run is evaluated in vllm_debug.sif): each needs a GPU too. */
  runImages: string[];
  /** The agent configuration the smoke preset runs: commit.sh's shortest recipe's, else the first one listed. */
  smokePair: string | null;
  /** The setup's agents (\`ptb setup\`): the full and smoke presets run their configurations. */
  setupAgents: readonly string[];
  /** commit.sh's recipes (hours null: the default budget) and matrix, for the upstream-recipes preset. */
  recipes: readonly { id: string; hours: number | null; gpus: number }[];
  recipeMatrix: { models: readonly string[]; evals: readonly string[] } | null;
  /** The chosen models x evals run every recipe, as upstream submits them, instead of agent configs x hours. */
  useRecipes: boolean;
  /** GPUs per agent run (upstream's multi-GPU runs: NUM_GPUS, `_Ngpu` method folders). */
  gpus: number;
}

export type ComposerAction =
  | { type: 'focus'; delta: 1 | -1 }
  | { type: 'move'; delta: number }
  | { type: 'toggle' }
  | { type: 'toggle-all' }
  | { type: 'filter-start' }
  | { type: 'filter-type'; text: string }
  | { type: 'filter-backspace' }
  | { type: 'filter-end'; keep: boolean }
  | { type: 'preset'; name: PresetName }
  | { type: 'cycle-gpus' }
  | { type: 'notice'; notice: ComposerState['notice'] };

/** The GPU counts `g` cycles through. */
export const GPU_COUNTS = [1, 2, 4, 8];

export const HOURS = ['1', '2', '5', '10', '50'];

/** The composer's choices: the base models, the checkout's evals, the known configs of the checkout's agents. */
export function initialComposer(
  known: PlanVocabulary,
  defaultImage: string,
  images: Record<string, string> = {},
  runImages: readonly string[] = [],
): ComposerState {
  const options: Record<ListName, string[]> = {
    models: [...(known.models ?? BASE_MODELS)],
    evals: [...known.evals],
    agentConfigs: known.agentConfigs.filter((c) => known.agents.includes(c.agent)).map(agentConfigId),
    hours: HOURS,
  };
  const empty = { models: [], evals: [], agentConfigs: [], hours: [] } as Record<ListName, string[]>;
  return {
    options,
    selected: { ...empty, hours: ['10'] },
    filter: { models: '', evals: '', agentConfigs: '', hours: '' },
    cursor: { models: 0, evals: 0, agentConfigs: 0, hours: 0 },
    focus: 'models',
    filtering: false,
    notice: null,
    containerTest: false,
    defaultImage,
    images,
    containerImages: [...new Set([defaultImage, ...runImages])],
    runImages: [...runImages],
    gpus: 1,
    smokePair: known.smokePair ?? null,
    setupAgents: known.setupAgents ?? [],
    recipes: distinctTasks(known.recipes ?? []),
    recipeMatrix: known.recipeMatrix ?? null,
    useRecipes: false,
  };
}

/** Recipes as tasks: two lines of one pair, budget and GPU count (upstream bids twice) are one task. */
function distinctTasks(recipes: PlanVocabulary['recipes'] & object): ComposerState['recipes'] {
  const seen = new Map<string, ComposerState['recipes'][number]>();
  for (const r of recipes) {
    const shape = { id: agentConfigId(r), hours: r.hours, gpus: r.gpus };
    const key = `${shape.id}|${shape.hours ?? ''}|${shape.gpus}`;
    if (!seen.has(key)) seen.set(key, shape);
  }
  return [...seen.values()];
}

/** What a list shows under its filter: fuzzy (fuse.js), best match first. */
export function visibleOptions(state: ComposerState, list: ListName): string[] {
  const query = state.filter[list].trim();
  if (query === '') return state.options[list];
  return new Fuse(state.options[list], { threshold: 0.4, ignoreLocation: true }).search(query).map((r) => r.item);
}

/** The guide's trial ladder (its section 6), in order, as selections. */
export const PRESETS = {
  container: 'container test: the default image sees a GPU (apptainer exec --nv ... nvidia-smi)',
  baseline: 'baseline: the chosen (else gsm8k x Qwen3-1.7B-Base) untrained models, no API key',
  smoke: 'smoke: gsm8k x Qwen3-1.7B-Base x one agent config x 1 h',
  full: "full: every model x eval at 10 h, for the agent configs picked (else every one of the setup's agents)",
  recipes: "upstream recipes: commit.sh's models x evals x every recipe, each with its hours, GPUs and resources",
} as const;
export type PresetName = keyof typeof PRESETS;

const NOTHING: Record<ListName, string[]> = { models: [], evals: [], agentConfigs: [], hours: [] };

function applyPreset(state: ComposerState, name: PresetName): ComposerState {
  const o = state.options;
  const s = state.selected;
  const first = (list: string[], preferred: string) => (list.includes(preferred) ? [preferred] : list.slice(0, 1));
  // The configurations of the agents the setup names (its keys are for them), else every one listed.
  const ofSetup = o.agentConfigs.filter((id) => state.setupAgents.includes(id.slice(0, id.indexOf('/'))));
  const setupConfigs = ofSetup.length > 0 ? ofSetup : o.agentConfigs;
  const smokeModels = first(o.models, 'Qwen/Qwen3-1.7B-Base');
  const smokeEvals = first(o.evals, 'gsm8k');
  switch (name) {
    case 'container':
      // The images the picked configurations run in are tested too: a plan fails on the one it uses.
      return {
        ...state,
        containerTest: true,
        useRecipes: false,
        containerImages: [...new Set([state.defaultImage, ...state.runImages, ...s.agentConfigs.map((id) => state.images[id] ?? state.defaultImage)])],
        selected: NOTHING,
      };
    case 'baseline':
      return {
        ...state,
        containerTest: false,
        useRecipes: false,
        selected: { models: s.models.length ? s.models : smokeModels, evals: s.evals.length ? s.evals : smokeEvals, agentConfigs: [], hours: [] },
      };
    case 'smoke':
      return {
        ...state,
        containerTest: false,
        useRecipes: false,
        selected: {
          models: smokeModels,
          evals: smokeEvals,
          agentConfigs: !state.useRecipes && s.agentConfigs.length ? s.agentConfigs.slice(0, 1) : first(setupConfigs, state.smokePair ?? ''),
          hours: ['1'],
        },
      };
    case 'full':
      return {
        ...state,
        containerTest: false,
        useRecipes: false,
        selected: {
          models: [...o.models],
          evals: [...o.evals],
          agentConfigs: !state.useRecipes && s.agentConfigs.length ? [...s.agentConfigs] : [...setupConfigs],
          hours: ['10'],
        },
      };
    case 'recipes': {
      if (state.recipes.length === 0) return state;
      const matrix = state.recipeMatrix;
      const within = (list: string[], wanted: readonly string[] | undefined) =>
        wanted && wanted.length > 0 ? list.filter((x) => wanted.includes(x)) : [...list];
      const ids = new Set(state.recipes.map((r) => r.id));
      // Hours stay at 10: picking an agent config afterwards goes back to the lists with a budget.
      return {
        ...state,
        containerTest: false,
        useRecipes: true,
        selected: {
          models: within(o.models, matrix?.models),
          evals: within(o.evals, matrix?.evals),
          agentConfigs: o.agentConfigs.filter((id) => ids.has(id)),
          hours: ['10'],
        },
      };
    }
  }
}

export function composerReducer(state: ComposerState, action: ComposerAction): ComposerState {
  const list = state.focus;
  const visible = visibleOptions(state, list);
  const cursor = Math.min(state.cursor[list], Math.max(0, visible.length - 1));
  switch (action.type) {
    case 'focus': {
      const i = (LISTS.indexOf(list) + action.delta + LISTS.length) % LISTS.length;
      return { ...state, focus: LISTS[i] ?? 'models', filtering: false };
    }
    case 'move':
      return { ...state, cursor: { ...state.cursor, [list]: Math.max(0, Math.min(visible.length - 1, cursor + action.delta)) } };
    case 'toggle': {
      const item = visible[cursor];
      if (item === undefined) return state;
      const on = state.selected[list].includes(item);
      const next = on ? state.selected[list].filter((x) => x !== item) : [...state.selected[list], item];
      return {
        ...state,
        containerTest: false,
        useRecipes: state.useRecipes && (list === 'models' || list === 'evals'),
        selected: { ...state.selected, [list]: state.options[list].filter((x) => next.includes(x)) },
      };
    }
    case 'toggle-all': {
      const allOn = visible.every((x) => state.selected[list].includes(x));
      const next = allOn ? state.selected[list].filter((x) => !visible.includes(x)) : [...new Set([...state.selected[list], ...visible])];
      return {
        ...state,
        containerTest: false,
        useRecipes: state.useRecipes && (list === 'models' || list === 'evals'),
        selected: { ...state.selected, [list]: state.options[list].filter((x) => next.includes(x)) },
      };
    }
    case 'filter-start':
      return { ...state, filtering: true };
    case 'filter-type':
      return { ...state, filter: { ...state.filter, [list]: state.filter[list] + action.text }, cursor: { ...state.cursor, [list]: 0 } };
    case 'filter-backspace':
      return { ...state, filter: { ...state.filter, [list]: state.filter[list].slice(0, -1) } };
    case 'filter-end':
      return { ...state, filtering: false, filter: action.keep ? state.filter : { ...state.filter, [list]: '' } };
    case 'preset':
      return applyPreset(state, action.name);
    case 'notice':
      return { ...state, notice: action.notice };
    case 'cycle-gpus':
      return { ...state, gpus: GPU_COUNTS[(GPU_COUNTS.indexOf(state.gpus) + 1) % GPU_COUNTS.length] ?? 1 };
  }
}

/** The plan the selection describes: a baseline plan when no agent config is chosen. */
export function composerPlan(state: ComposerState): Plan {
  const s = state.selected;
  if (state.useRecipes) return { models: s.models, evals: s.evals, agentConfigs: [], hours: [], gpus: 1, baseline: false, containerTests: [], recipes: true };
  const baseline = s.agentConfigs.length === 0;
  return {
    models: s.models,
    evals: s.evals,
    agentConfigs: s.agentConfigs,
    hours: baseline ? [] : s.hours.map(Number),
    gpus: baseline ? 1 : state.gpus,
    baseline,
    containerTests: state.containerTest ? state.containerImages : [],
  };
}

/** `4 x 7 x 8 x 1 = 224 tasks`. */
export function matrixSize(state: ComposerState): { text: string; tasks: number } {
  const s = state.selected;
  if (state.containerTest)
    return {
      text: `container test of ${state.containerImages.map((i) => `${i}.sif`).join(', ')} = ${state.containerImages.length} task(s)`,
      tasks: state.containerImages.length,
    };
  if (state.useRecipes) {
    const tasks = s.models.length * s.evals.length * state.recipes.length;
    return { text: `${s.models.length} x ${s.evals.length} x ${state.recipes.length} commit.sh recipes = ${tasks} tasks`, tasks };
  }
  if (s.agentConfigs.length === 0) {
    const tasks = s.models.length * s.evals.length;
    return { text: `${s.models.length} models x ${s.evals.length} evals = ${tasks} baseline task(s)`, tasks };
  }
  const tasks = s.models.length * s.evals.length * s.agentConfigs.length * s.hours.length;
  const gpus = state.gpus > 1 ? ` (${state.gpus} GPUs each)` : '';
  return { text: `${s.models.length} x ${s.evals.length} x ${s.agentConfigs.length} x ${s.hours.length} = ${tasks} tasks${gpus}`, tasks };
}

/** GPU-hours the selection may take: each task holds its GPUs for its own time limit. */
export function composerGpuHours(state: ComposerState, settings: TimeSettings): number {
  const plan = composerPlan(state);
  if (state.containerTest)
    return gpuHours(
      state.containerImages.map(() => ({ kind: 'container-test' as const, gpus: 1, hours: 0 })),
      settings,
    );
  const cells = plan.models.length * plan.evals.length;
  if (plan.recipes)
    return (
      cells *
      gpuHours(
        state.recipes.map((r) => ({ kind: 'agent' as const, gpus: r.gpus, hours: r.hours ?? DEFAULT_RECIPE_HOURS })),
        settings,
      )
    );
  if (plan.baseline) return cells * gpuHours([{ kind: 'baseline', gpus: 1, hours: 0 }], settings);
  const perConfig = gpuHours(
    plan.hours.map((hours) => ({ kind: 'agent' as const, gpus: plan.gpus, hours })),
    settings,
  );
  return cells * plan.agentConfigs.length * perConfig;
}
