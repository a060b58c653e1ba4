import { neededCredentials } from '../config/agent-needs.js';
import { isCheckout, readCheckout } from '../checkout/detect.js';
import type { ConfigLocations } from '../config/locations.js';
import { maskSecret, readSecrets } from '../config/secrets.js';
import { describeInvalidConfig, loadConfigFile } from '../config/config-file.js';

/**
 * `ptb config --json`: the effective configuration and what the secrets file holds, masked.
 * A key's value never leaves this function: only `****` and its last 4 characters.
 */
export function configCommand(locations: ConfigLocations, options: { json: boolean; checkout?: string }): { code: number; stdout: string; stderr: string } {
  const loaded = loadConfigFile(locations.config);
  if (loaded.kind === 'missing') return { code: 1, stdout: '', stderr: `ptb: no configuration yet (${locations.config}): run \`ptb setup\`.\n` };
  if (loaded.kind === 'invalid')
    return {
      code: 1,
      stdout: '',
      stderr: `ptb: ${describeInvalidConfig(loaded)}\nRun \`ptb setup\` to repair it (the wizard can start from ${locations.backup}).\n`,
    };
  const secrets = readSecrets(locations.secrets);
  const config = options.checkout === undefined ? loaded.config : { ...loaded.config, checkout: options.checkout };
  const overridden = config.checkout !== loaded.config.checkout ? loaded.config.checkout : null;
  const checkout = isCheckout(config.checkout) ? readCheckout(config.checkout) : null;
  const needed = neededCredentials(config.agents, checkout?.credentials).keys;
  const stored = secrets.kind === 'ok' ? secrets.values : {};
  const keys = Object.fromEntries(needed.map((name) => [name, stored[name] ? maskSecret(stored[name]) : null]));
  const out = {
    file: locations.config,
    config,
    // The checkout this run uses comes from --checkout; the file says another.
    configuredCheckout: overridden,
    secrets: { file: locations.secrets, status: secrets.kind, problem: 'message' in secrets ? secrets.message : null, keys },
  };
  if (options.json) return { code: 0, stdout: JSON.stringify(out, null, 2) + '\n', stderr: '' };
  const c = config;
  const s = c.slurm;
  const lines = [
    `configuration: ${locations.config}`,
    `checkout:      ${c.checkout}${overridden ? ` (--checkout; the configuration says ${overridden})` : ''}`,
    `HF_HOME:       ${c.hfHome}`,
    `results:       ${c.resultsDir}`,
    `containers:    ${c.containersDir} (${[c.containerName, ...(checkout?.images.run ?? ['vllm_debug'])].map((i) => `${i}.sif`).join(', ')})`,
    `experiment:    ${c.experimentName || '(none)'}`,
    `agents:        ${c.agents.join(', ')} for ${c.hours} h`,
    `slurm:         -p ${s.partition} --gres=${s.gres}${s.constraint ? ` --constraint=${s.constraint}` : ''}${s.account ? ` --account=${s.account}` : ''}${s.qos ? ` --qos=${s.qos}` : ''} -c ${s.cpusPerTask} --mem=${s.mem} --time=${s.time}${s.tmp ? ` --tmp=${s.tmp}` : ''}`,
    `scratch/HOME:  ${s.scratch} / ${s.home}`,
    `secrets:       ${locations.secrets} (${secrets.kind})`,
    ...needed.map((name) => `  ${name.padEnd(18)} ${keys[name] ?? 'MISSING'}`),
  ];
  return { code: 0, stdout: lines.join('\n') + '\n', stderr: '' };
}
