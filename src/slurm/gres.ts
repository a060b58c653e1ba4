import { splitTopLevel } from './fields.js';

/** One generic resource as a node advertises it: `gpu:h100:4(S:0-1)` → gpu, h100, 4. */
export interface Gres {
  name: string;
  type: string | null;
  count: number;
}

/** Parses sinfo's `Gres`/`GresUsed` and squeue's `tres-per-node` (`gres:gpu:1`, `gres/gpu:h100=1`). */
export function parseGresList(text: string | null | undefined): Gres[] {
  if (!text || text === '(null)' || text === 'N/A') return [];
  return splitTopLevel(text).flatMap((item): Gres[] => {
    const bare = item
      .replace(/\(.*\)$/, '')
      .replace(/^gres[:/]/, '')
      .replace('=', ':');
    const parts = bare.split(':');
    const name = parts[0];
    if (!name) return [];
    const last = parts[parts.length - 1] ?? '';
    const hasCount = parts.length > 1 && /^\d+[KMG]?$/.test(last);
    const count = hasCount ? Number.parseInt(last, 10) : 1;
    const type = parts.length === 3 || (parts.length === 2 && !hasCount) ? (parts[1] ?? null) : null;
    return [{ name, type, count }];
  });
}

/** `gpu:h100:4` — how the overview prints one entry. */
export function formatGres(gres: Gres): string {
  return [gres.name, gres.type, String(gres.count)].filter((p) => p !== null).join(':');
}
