import { join } from 'node:path';

export const REPO = join(import.meta.dirname, '..', '..');
export const PTB_BIN = join(REPO, 'dist', 'ptb.js');
export const FIXTURE_CHECKOUT = join(REPO, 'test', 'fixtures', 'ptb-checkout');
export const CLUSTER_SCRIPT = join(REPO, 'scripts', 'local-slurm.sh');
export const FIXTURE_CHECKOUT_V11 = join(REPO, 'test', 'fixtures', 'ptb-checkout-v1.1');

/** The local cluster a test runs against (vitest.config.ts's project): Slurm 22.05, or 24.11 in its root. */
export const TEST_SLURM = process.env.PTB_TEST_SLURM === '24.11' ? '24.11' : '22.05';
const ROOT_24 = '/var/lib/ptb-local-slurm-24';
/** A path as the cluster's daemons know it (inside the 24.11 root), as this machine reads it. */
export const clusterPath = (path: string): string => (TEST_SLURM === '24.11' ? join(ROOT_24, 'rootfs', path) : path);
/** That cluster's slurm.conf, as this machine reads it. */
export const TEST_SLURM_CONF = TEST_SLURM === '24.11' ? join(ROOT_24, 'rootfs', 'etc', 'slurm', 'slurm.conf') : '/etc/slurm/slurm.conf';
/** Where its client commands are, put first on PATH (none for 22.05: this machine's own). */
export const TEST_SLURM_BIN = TEST_SLURM === '24.11' ? join(ROOT_24, 'bin') : null;
