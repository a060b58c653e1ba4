import type { ConfigLocations } from '../config/locations.js';
import { KNOWN_KEYS } from '../config/agent-needs.js';
import { checkSecretValue } from '../config/secrets.js';
import type { Draft, DraftField } from '../setup/draft.js';
import { configFromDraft, timeForHours } from '../setup/draft.js';
import type { PreparedSetup } from '../setup/prepare.js';
import { saveSetup } from '../setup/save-setup.js';
import { keysToAsk, STEPS, stepProblems } from '../setup/wizard-model.js';

/** `ptb setup --non-interactive` flags and the draft field each one sets. */
export const SETUP_FLAGS: readonly { flag: string; field: DraftField; description: string }[] = [
  { flag: 'hf-home', field: 'hfHome', description: 'the Hugging Face cache (HF_HOME)' },
  { flag: 'results-dir', field: 'resultsDir', description: 'where results go (absolute)' },
  { flag: 'containers-dir', field: 'containersDir', description: 'where the .sif images are' },
  { flag: 'container', field: 'containerName', description: "the agents' image (default standard)" },
  { flag: 'experiment', field: 'experimentName', description: 'suffix of the method folder, e.g. _run1' },
  { flag: 'agents', field: 'agents', description: 'planned agents, comma-separated' },
  { flag: 'hours', field: 'hours', description: 'the agent budget in hours' },
  { flag: 'partition', field: 'partition', description: 'Slurm partition' },
  { flag: 'gres', field: 'gres', description: 'e.g. gpu:1 or gpu:h100:1' },
  { flag: 'constraint', field: 'constraint', description: 'node feature, e.g. h100' },
  { flag: 'account', field: 'account', description: 'Slurm account' },
  { flag: 'qos', field: 'qos', description: 'Slurm QOS' },
  { flag: 'cpus', field: 'cpusPerTask', description: 'CPUs per task' },
  { flag: 'mem', field: 'mem', description: 'memory per task, e.g. 128G' },
  { flag: 'time', field: 'time', description: 'time limit (default: hours + 2h)' },
  { flag: 'tmp', field: 'tmp', description: 'node-local disk (--tmp), e.g. 400G' },
  { flag: 'scratch', field: 'scratch', description: 'tmp or tmpdir' },
  { flag: 'home', field: 'home', description: 'HOME exported in the batch script' },
  { flag: 'mail-user', field: 'mailUser', description: "Slurm's mail when a job ends or fails ('' for none)" },
];

/**
 * Fills the configuration from flags (over the current configuration or the defaults) and
 * the keys from the environment, with the wizard's own checks. Nothing is written unless
 * every check passes.
 */
export function nonInteractiveSetup(
  locations: ConfigLocations,
  prepared: PreparedSetup,
  values: Partial<Record<DraftField, string>>,
  env: NodeJS.ProcessEnv,
): { code: number; stdout: string; stderr: string } {
  const draft: Draft = { ...prepared.draft };
  for (const [field, value] of Object.entries(values) as [DraftField, string][]) draft[field] = value;
  if (values.hours !== undefined && values.time === undefined && prepared.draft.time === timeForHours(prepared.draft.hours)) {
    draft.time = timeForHours(draft.hours) || draft.time;
  }
  const flagOf = (field: string) => (field === 'checkout' ? '--checkout' : `--${SETUP_FLAGS.find((f) => f.field === field)?.flag ?? field}`);
  const problems = STEPS.flatMap((step) => stepProblems(step, draft, prepared.context)).map(
    (p) => `  ${flagOf(p.field)} ${JSON.stringify(draft[p.field])}: ${p.message}`,
  );
  const built = configFromDraft(draft);
  if (problems.length > 0 || !built.ok) {
    // The schema repeats what the field checks said; keep its word only for fields they passed.
    const named = new Set(problems.map((line) => line.trim().split(' ')[0]));
    const schema = built.ok ? [] : built.problems.filter((p) => !named.has(flagOf(p.where))).map((p) => `  ${flagOf(p.where)}: ${p.message}`);
    const sinfo = prepared.sinfoProblem ? `  (sinfo failed, so partitions could not be listed or checked: ${prepared.sinfoProblem})\n` : '';
    return { code: 2, stdout: '', stderr: `ptb: the configuration was not saved:\n${[...problems, ...schema].join('\n')}\n${sinfo}` };
  }
  const needed = keysToAsk(draft);
  const fromEnv = Object.fromEntries(KNOWN_KEYS.filter((k) => needed.includes(k) && env[k]).map((k) => [k, env[k] ?? '']));
  const badKeys = Object.entries(fromEnv).flatMap(([name, value]) => {
    const problem = checkSecretValue(value);
    return problem ? [`  ${name} (from the environment): ${problem}`] : [];
  });
  if (badKeys.length > 0) return { code: 2, stdout: '', stderr: `ptb: the configuration was not saved:\n${badKeys.join('\n')}\n` };
  const saved = saveSetup(locations, built.config, fromEnv);
  if (!saved.ok) return { code: 1, stdout: '', stderr: `ptb: ${saved.message}\n` };
  const missing = needed.filter((k) => !fromEnv[k] && !prepared.context.knownKeys[k]);
  const stderr =
    (missing.length > 0
      ? `ptb: warning: no value for ${missing.join(', ')} (export it and run \`ptb setup --non-interactive\` again, or type it in \`ptb setup\`).\n`
      : '') + (prepared.siteProblem ? `ptb: warning: ${prepared.siteProblem}\n` : '');
  const stored = saved.keysStored.length > 0 ? `; keys from the environment stored in ${locations.secrets}: ${saved.keysStored.join(', ')}` : '';
  const dotEnv = saved.dotEnvWritten ? `; wrote ${saved.dotEnvWritten} (the checkout reads it; no key in it)` : '';
  return { code: 0, stdout: `saved ${locations.config}${stored}${dotEnv}\n`, stderr };
}
