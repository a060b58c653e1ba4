import type { KeyName } from '../config/agent-needs.js';
import type { ConfigLocations } from '../config/locations.js';
import { HAND_EDITED_FIELDS, type Config } from '../config/schema.js';
import { readSecrets, writeSecrets } from '../config/secrets.js';
import { loadConfigFile, saveConfig } from '../config/config-file.js';
import { describeWriteError } from '../fs/fs-error.js';
import { isCheckout, readCheckout } from '../checkout/detect.js';
import { dotEnvFile, writeDotEnvIfMissing } from '../checkout/dot-env.js';

export type SaveResult = { ok: true; keysStored: KeyName[]; dotEnvWritten: string | null } | { ok: false; message: string };

/**
 * Saves what the wizard produced: the configuration (atomically, the old one kept as backup)
 * and the keys, merged into the 0600 secrets file. Keys already stored and not retyped stay, and
 * so do the hand-edited fields the wizard does not ask for. A checkout that reads a `.env` (v1.1)
 * and has none gets one, with the setup's paths and no key.
 */
export function saveSetup(locations: ConfigLocations, config: Config, keys: Partial<Record<KeyName, string>>): SaveResult {
  const existing = readSecrets(locations.secrets);
  if (existing.kind === 'insecure' || existing.kind === 'invalid') return { ok: false, message: existing.message };
  let dotEnvWritten: string | null = null;
  const toStore = Object.entries(keys).filter((entry): entry is [KeyName, string] => entry[1] !== undefined && entry[1] !== '');
  try {
    if (toStore.length > 0) {
      writeSecrets(locations.secrets, { ...(existing.kind === 'ok' ? existing.values : {}), ...Object.fromEntries(toStore) });
    }
    const previous = loadConfigFile(locations.config);
    const kept =
      previous.kind === 'ok' ? Object.fromEntries(HAND_EDITED_FIELDS.filter((f) => previous.config[f] !== undefined).map((f) => [f, previous.config[f]])) : {};
    saveConfig(locations, { ...config, ...kept });
  } catch (error) {
    return { ok: false, message: `could not save: ${describeWriteError(error)}. Fix its permissions, or set XDG_CONFIG_HOME to a folder you can write.` };
  }
  try {
    if (isCheckout(config.checkout) && readCheckout(config.checkout).generation.readsDotEnv) dotEnvWritten = writeDotEnvIfMissing(config);
  } catch (error) {
    // The configuration is saved: only the checkout's .env is missing, and preflight says so too.
    return {
      ok: false,
      message: `the configuration is saved, but ${dotEnvFile(config.checkout)} could not be written (the checkout stops every job without it): ${describeWriteError(error)}. Write it by hand from the checkout's example.env (no key is needed in it).`,
    };
  }
  return { ok: true, keysStored: toStore.map(([name]) => name), dotEnvWritten };
}
