import { join } from 'node:path';

export const REPO = join(import.meta.dirname, '..', '..');
export const PTB_BIN = join(REPO, 'dist', 'ptb.js');
export const FIXTURE_CHECKOUT = join(REPO, 'test', 'fixtures', 'ptb-checkout');
export const CLUSTER_SCRIPT = join(REPO, 'scripts', 'local-slurm.sh');
export const FIXTURE_CHECKOUT_V11 = join(REPO, 'test', 'fixtures', 'ptb-checkout-v1.1');
