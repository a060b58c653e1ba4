/**
 * The environment every Slurm command runs with: the user's own, minus the variables that
 * change what Slurm prints or requests behind our back (`SQUEUE_FORMAT`, `SBATCH_PARTITION`,
 * `SLURM_TIME_FORMAT`...), and minus anything that looks like a secret, so that an API key in
 * the login shell never reaches a job's stored environment through `sbatch --export=ALL`.
 */
export function slurmEnv(base: NodeJS.ProcessEnv): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    if (value === undefined) continue;
    if (OUTPUT_CHANGING.test(name) || isSecretName(name)) continue;
    env[name] = value;
  }
  env.SLURM_TIME_FORMAT = 'standard';
  return env;
}

const OUTPUT_CHANGING = /^(SQUEUE|SINFO|SACCT|SBATCH|SCONTROL|SCANCEL|SALLOC|SRUN)_|^SLURM_TIME_FORMAT$/;

/** Names of environment variables that hold credentials (API keys, tokens, passwords). */
export function isSecretName(name: string): boolean {
  return /(_API_KEY|_TOKEN|_SECRET|_PASSWORD|^API_KEY)$/i.test(name) || /^(AWS_SECRET|HF_TOKEN)/.test(name);
}
