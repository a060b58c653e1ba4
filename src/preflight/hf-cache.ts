import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The models and datasets PostTrainBench downloads (`containers/download_hf_cache/resources.json`). */
export interface Resources {
  models: string[];
  datasets: string[];
}

/** Reads resources.json; dataset entries are objects with a `dataset` id. Unknown shapes are skipped. */
export function readResources(file: string): Resources {
  const data = JSON.parse(readFileSync(file, 'utf8')) as { models?: unknown; datasets?: unknown };
  const models = Array.isArray(data.models) ? data.models.filter((m): m is string => typeof m === 'string') : [];
  const datasets = Array.isArray(data.datasets)
    ? data.datasets
        .map((d: unknown) => (typeof d === 'string' ? d : typeof d === 'object' && d !== null && 'dataset' in d ? String(d.dataset) : ''))
        .filter((d) => d !== '')
    : [];
  return { models: [...new Set(models)], datasets: [...new Set(datasets)] };
}

/** `Qwen/Qwen3-4B-Base` → `models--Qwen--Qwen3-4B-Base`; an id without org (`head_qa`) keeps its name. */
export function hubFolder(kind: 'models' | 'datasets', id: string): string {
  return `${kind}--${id.split('/').join('--')}`;
}

function listNames(dir: string): Set<string> {
  try {
    return new Set(readdirSync(dir));
  } catch {
    return new Set();
  }
}

/** A model snapshot is complete with config.json and its weights (one file, or every shard of the index). */
export function snapshotComplete(snapshotDir: string): boolean {
  if (!existsSync(join(snapshotDir, 'config.json'))) return false;
  if (existsSync(join(snapshotDir, 'model.safetensors')) || existsSync(join(snapshotDir, 'pytorch_model.bin'))) return true;
  for (const index of ['model.safetensors.index.json', 'pytorch_model.bin.index.json']) {
    const path = join(snapshotDir, index);
    if (!existsSync(path)) continue;
    try {
      const map = (JSON.parse(readFileSync(path, 'utf8')) as { weight_map?: Record<string, string> }).weight_map ?? {};
      const shards = new Set(Object.values(map));
      return shards.size > 0 && [...shards].every((shard) => existsSync(join(snapshotDir, shard)));
    } catch {
      return false;
    }
  }
  return false;
}

export interface CacheScan {
  missingModels: string[];
  /** Present but without a complete snapshot (config.json + weights). */
  incompleteModels: string[];
  missingDatasets: string[];
}

/**
 * What of `resources` is missing from `hfHome`. Folder names are read once per directory
 * (hub/, the root, datasets/), so a cache of thousands of entries costs a few readdirs; only
 * the models' snapshots are opened.
 */
export function scanCache(hfHome: string, resources: Resources): CacheScan {
  const hub = join(hfHome, 'hub');
  const inHub = listNames(hub);
  const inRoot = listNames(hfHome);
  const inDatasets = new Set([...listNames(join(hfHome, 'datasets'))].map((n) => n.toLowerCase()));
  const missingModels: string[] = [];
  const incompleteModels: string[] = [];
  for (const model of resources.models) {
    const folder = hubFolder('models', model);
    const base = inHub.has(folder) ? join(hub, folder) : inRoot.has(folder) ? join(hfHome, folder) : null;
    if (!base) {
      missingModels.push(model);
      continue;
    }
    const snapshots = [...listNames(join(base, 'snapshots'))];
    if (!snapshots.some((sha) => snapshotComplete(join(base, 'snapshots', sha)))) incompleteModels.push(model);
  }
  const missingDatasets = resources.datasets.filter((dataset) => {
    const folder = hubFolder('datasets', dataset);
    const legacy = dataset.replace('/', '___').toLowerCase();
    return !inHub.has(folder) && !inRoot.has(folder) && !inDatasets.has(legacy);
  });
  return { missingModels, incompleteModels, missingDatasets };
}
