import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../src/config/schema.js';

/** A valid configuration whose folders are under `root` (created), with small requests; `checkout` defaults to `root/checkout`. */
export function configIn(root: string, checkout = join(root, 'checkout')): Config {
  for (const d of ['results', 'containers', 'checkout']) mkdirSync(join(root, d), { recursive: true });
  return {
    version: 1,
    checkout,
    hfHome: join(root, 'hf'),
    resultsDir: join(root, 'results'),
    containersDir: join(root, 'containers'),
    containerName: 'standard',
    experimentName: '_run1',
    hours: 10,
    agents: ['claude'],
    slurm: {
      partition: 'gpu',
      gres: 'gpu:1',
      constraint: '',
      account: '',
      qos: '',
      cpusPerTask: 16,
      mem: '128G',
      time: '12:00:00',
      tmp: '',
      home: '/home/me',
      scratch: 'tmp',
    },
  };
}
