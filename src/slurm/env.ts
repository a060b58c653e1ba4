/**
 * The environment every Slurm command runs with: the user's own, minus the variables that
 * change what Slurm prints or requests behind our back (`SQUEUE_FORMAT`, `SBATCH_PARTITION`,
 * `SLURM_TIME_FORMAT`...), and minus anything that looks like a secret (a job gets only the
 * variables it names through `--export` anyway: see JOB_ENVIRONMENT).
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

/**
 * What a job gets from the login shell, and nothing else (upstream's HTCondor job names its own
 * list too): where programs are (a loaded apptainer module included), the locale and time zone,
 * who the user is, the proxies an agent needs to reach its API from a compute node, and
 * Apptainer's own settings. The batch script sets the rest (HOME, HF_HOME, PostTrainBench's
 * variables) and reads the keys from the private file when it starts. A `*` ends a prefix.
 */
export const JOB_ENVIRONMENT: readonly string[] = [
  'PATH',
  'LD_LIBRARY_PATH',
  'LANG',
  'LANGUAGE',
  'LC_*',
  'TZ',
  'USER',
  'LOGNAME',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'all_proxy',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'ALL_PROXY',
  'APPTAINER_*',
  'SINGULARITY_*',
  // The CA bundle a site's TLS-inspecting proxy needs.
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'REQUESTS_CA_BUNDLE',
  'CURL_CA_BUNDLE',
  'NODE_EXTRA_CA_CERTS',
];

/**
 * The names of `env` that `patterns` pass to a job (a name, or a prefix ending in `*`), never a
 * secret, never a value that carries one (a proxy `http://user:password@proxy:3128`: the secrets
 * file can set it at run time instead), and never one of Slurm's own (SLURM_* reaches every job
 * anyway; SBATCH_* would change the request). Sorted, so that the same environment gives the same argv.
 */
export function passedVariables(env: Readonly<Record<string, string | undefined>>, patterns: readonly string[]): string[] {
  const matches = (name: string) => patterns.some((p) => (p.endsWith('*') ? name.startsWith(p.slice(0, -1)) : name === p));
  return Object.keys(env)
    .filter((name) => {
      const value = env[name];
      return (
        value !== undefined &&
        /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) &&
        matches(name) &&
        !isSecretName(name) &&
        !/^(SLURM|SBATCH)_/.test(name) &&
        !carriesCredentials(value)
      );
    })
    .sort();
}

/** A URL with a user and password in it. */
export const carriesCredentials = (value: string): boolean => /^[a-z][a-z0-9+.-]*:\/\/[^/@\s]+:[^/@\s]*@/i.test(value);

/** What a job gets from the submitting shell: JOB_ENVIRONMENT and the configuration's additions. */
export const jobEnvironment = (extra: readonly string[] = []): { pass: readonly string[] } => ({ pass: [...JOB_ENVIRONMENT, ...extra] });
