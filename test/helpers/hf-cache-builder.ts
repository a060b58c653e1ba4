import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hubFolder } from '../../src/preflight/hf-cache.js';

/** Writes a model in the hub layout: refs/main, snapshots/<sha>/config.json and weights. */
export function addModel(hfHome: string, id: string, options: { weights?: 'single' | 'sharded' | 'missing-shard' | 'none' } = {}): void {
  const base = join(hfHome, 'hub', hubFolder('models', id));
  const snapshot = join(base, 'snapshots', '0123abcd');
  mkdirSync(snapshot, { recursive: true });
  mkdirSync(join(base, 'refs'), { recursive: true });
  writeFileSync(join(base, 'refs', 'main'), '0123abcd');
  writeFileSync(join(snapshot, 'config.json'), '{}');
  const weights = options.weights ?? 'single';
  if (weights === 'single') writeFileSync(join(snapshot, 'model.safetensors'), 'w');
  if (weights === 'sharded' || weights === 'missing-shard') {
    const map = { 'a.weight': 'model-00001-of-00002.safetensors', 'b.weight': 'model-00002-of-00002.safetensors' };
    writeFileSync(join(snapshot, 'model.safetensors.index.json'), JSON.stringify({ weight_map: map }));
    writeFileSync(join(snapshot, 'model-00001-of-00002.safetensors'), 'w');
    if (weights === 'sharded') writeFileSync(join(snapshot, 'model-00002-of-00002.safetensors'), 'w');
  }
}

export function addDataset(hfHome: string, id: string): void {
  mkdirSync(join(hfHome, 'hub', hubFolder('datasets', id), 'snapshots', 'cafe'), { recursive: true });
}
