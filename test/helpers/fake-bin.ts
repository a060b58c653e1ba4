import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A folder of small executables that stand in for the real tools of a GPU node, printing what
 * the real ones print. `script` is the body of a bash script (it sees "$@").
 */
export function fakeBin(dir: string, tools: Record<string, string>): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, script] of Object.entries(tools)) {
    const path = join(dir, name);
    writeFileSync(path, `#!/bin/bash\n${script}\n`);
    chmodSync(path, 0o755);
  }
  return dir;
}

/** Real-world outputs, as the tools print them. */
export const REAL = {
  h100: 'NVIDIA H100 80GB HBM3, 81559 MiB',
  h200: 'NVIDIA H200, 143771 MiB',
  a100: 'NVIDIA A100-SXM4-80GB, 81920 MiB',
  apptainer134: 'apptainer version 1.3.4',
  apptainer103: 'apptainer version 1.0.3',
  singularityCe: 'singularity-ce version 3.11.4',
  nvidiaSmiL: 'GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-5c1a3a9e-0f6c-2d7e-8f1b-1c2d3e4f5a6b)',
  fuseDenied: "fuse: device not found, try 'modprobe fuse' first\nfuse-overlayfs: cannot mount: Operation not permitted",
} as const;
