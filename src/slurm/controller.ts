import { controllerReachable, invoke, type SlurmContext } from './context.js';
import { success, type SlurmResult } from './errors.js';

export interface ControllerStatus {
  reachable: boolean;
  /** `22.05.8`, from `sinfo --version` (which answers without the controller). */
  version: string | null;
}

/** `slurm-wlm 22.05.8` / `slurm 23.11.4` → the version number. */
export function parseSlurmVersion(stdout: string): string | null {
  return /(\d+\.\d+(?:\.\d+)?)/.exec(stdout)?.[1] ?? null;
}

/**
 * Whether the controller answers, and which Slurm this is. Fails only when the client tools
 * themselves are missing (`command-missing`), which means this is not a Slurm login node.
 */
export async function checkController(ctx: SlurmContext): Promise<SlurmResult<ControllerStatus>> {
  const version = await invoke(ctx, 'sinfo', ['--version'], { timeoutMs: 5_000 });
  if (!version.ok && version.error.kind === 'command-missing') return version;
  const reachable = await controllerReachable(ctx);
  return success({ reachable: reachable === true, version: version.ok ? parseSlurmVersion(version.value.stdout) : null });
}
