import { isCheckout, readCheckout, type Checkout } from '../../checkout/detect.js';
import type { ConfigLocations } from '../../config/locations.js';
import type { Config } from '../../config/schema.js';
import { readSecrets } from '../../config/secrets.js';
import { loadConfigFile } from '../../config/config-file.js';
import { readOwnLedger } from '../../submit/job-mark.js';
import { jobEnvironment, passedVariables, slurmEnv } from '../../slurm/env.js';
import { setupIdentity } from '../../submit/setup-identity.js';
import { ladderStatus, type LadderStep } from '../../results/ladder.js';
import { knownTo, type PlanVocabulary } from '../../plan/plan.js';

/** What composing and reviewing a plan read: the configuration, its checkout, which keys are stored, the ladder. */
export interface PlanningContext {
  config: Config;
  checkout: Checkout;
  /** Names only: values never leave the secrets file here. */
  storedKeys: string[];
  secretsFile: string;
  /** Why the secrets file cannot be used (too open, unreadable), with its fix; null when it can. */
  secretsProblem: string | null;
  vocabulary: PlanVocabulary;
  ladder: LadderStep[];
  ledgerFile: string;
  /** What sbatch's `--export` names: the variables a job gets from this shell. */
  exported: string[];
}

/** What composing and reviewing read now; `checkoutOption` (ptb's --checkout) stands for the configured checkout. */
export function loadPlanningContext(locations: ConfigLocations, ledgerFile: string, checkoutOption?: string): PlanningContext | null {
  const file = loadConfigFile(locations.config);
  const loaded = file.kind === 'ok' && checkoutOption !== undefined ? { ...file, config: { ...file.config, checkout: checkoutOption } } : file;
  if (loaded.kind !== 'ok' || !isCheckout(loaded.config.checkout)) return null;
  const secrets = readSecrets(locations.secrets);
  const checkout = readCheckout(loaded.config.checkout);
  return {
    config: loaded.config,
    checkout,
    vocabulary: knownTo(loaded.config, checkout),
    ladder: ladderStatus(loaded.config, readOwnLedger(ledgerFile, setupIdentity(loaded.config))),
    ledgerFile,
    exported: passedVariables(slurmEnv(process.env), jobEnvironment(loaded.config.passEnvironment).pass),
    storedKeys: secrets.kind === 'ok' ? Object.keys(secrets.values).filter((k) => secrets.values[k] !== '') : [],
    secretsFile: locations.secrets,
    secretsProblem: secrets.kind === 'insecure' || secrets.kind === 'invalid' ? secrets.message : null,
  };
}
