import { checkoutCommit } from '../checkout/commit.js';
import { KNOWN_KEYS } from '../config/agent-needs.js';
import type { ConfigLocations } from '../config/locations.js';
import type { Config } from '../config/schema.js';
import { readSecrets } from '../config/secrets.js';
import { loadSite, siteProblem } from '../config/site.js';
import type { Slurm } from '../slurm/adapter.js';
import { defaultDraft, DRAFT_FIELDS, draftFromConfig, type Draft } from './draft.js';
import type { WizardContext } from './wizard-model.js';

export interface PreparedSetup {
  /** The starting point: the configuration given, or the defaults. */
  draft: Draft;
  /** What a first setup would propose (the way out of a broken configuration). */
  defaults: Draft;
  context: WizardContext;
  /** Why the partitions could not be listed, if they could not (the wizard then checks less). */
  sinfoProblem: string | null;
  /** Why stored keys could not be read (an insecure or broken secrets file). */
  secretsProblem: string | null;
  /** Why the site file (its defaults) was ignored, when it was. */
  siteProblem: string | null;
  /** The upstream commit the starting checkout is at, when it is a git checkout. */
  checkoutCommit: string | null;
}

/** Everything the wizard starts from: the current (or backup) configuration or defaults, sinfo, known keys. */
export async function prepareSetup(options: {
  locations: ConfigLocations;
  env: NodeJS.ProcessEnv;
  cwd: string;
  slurm: Slurm;
  from: Config | null;
}): Promise<PreparedSetup> {
  const listed = await options.slurm.partitions();
  const partitions = listed.ok ? listed.value.partitions : [];
  const knownKeys: WizardContext['knownKeys'] = {};
  const secrets = readSecrets(options.locations.secrets);
  if (secrets.kind === 'ok') {
    for (const name of KNOWN_KEYS) {
      const value = secrets.values[name];
      if (value) knownKeys[name] = { value, source: 'secrets file' };
    }
  }
  for (const name of KNOWN_KEYS) {
    const value = options.env[name];
    if (value && !knownKeys[name]) knownKeys[name] = { value, source: 'environment' };
  }
  const site = loadSite(options.env, DRAFT_FIELDS);
  const defaults = defaultDraft({ env: options.env, cwd: options.cwd, partitions, site: site.kind === 'ok' ? site.site.defaults : undefined });
  const draft = options.from ? draftFromConfig(options.from) : defaults;
  // The commit of the checkout the wizard starts on (the current directory can be another git repository).
  const commit = await checkoutCommit(draft.checkout || options.cwd);
  return {
    draft,
    defaults,
    context: { partitions, knownKeys },
    sinfoProblem: listed.ok ? null : listed.error.message,
    secretsProblem: secrets.kind === 'insecure' || secrets.kind === 'invalid' ? secrets.message : null,
    siteProblem: siteProblem(site),
    checkoutCommit: commit,
  };
}
