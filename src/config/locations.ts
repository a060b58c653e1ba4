import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/** Where ptb keeps its files: `$XDG_CONFIG_HOME/ptb-slurm/`, by default `~/.config/ptb-slurm/`. */
export interface ConfigLocations {
  dir: string;
  config: string;
  /** The previous valid configuration, kept by every save. */
  backup: string;
  /** `NAME=value` lines, mode 0600: the only place API keys are stored. */
  secrets: string;
}

export function configLocations(env: NodeJS.ProcessEnv = process.env): ConfigLocations {
  const xdg = env.XDG_CONFIG_HOME;
  // The XDG spec says to ignore a relative XDG_CONFIG_HOME.
  const base = xdg && isAbsolute(xdg) ? xdg : join(env.HOME && isAbsolute(env.HOME) ? env.HOME : homedir(), '.config');
  const dir = join(base, 'ptb-slurm');
  return { dir, config: join(dir, 'config.json'), backup: join(dir, 'config.json.bak'), secrets: join(dir, 'secrets.env') };
}
