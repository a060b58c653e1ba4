import { readFileSync } from 'node:fs';
import { createSlurm, type Slurm } from '../../src/slurm/adapter.js';
import { run } from '../../src/process/run.js';
import { CLUSTER_SCRIPT, TEST_SLURM, TEST_SLURM_CONF } from './paths.js';

const MARKER = '# Written by ptb-slurm scripts/local-slurm.sh';

/**
 * Integration tests submit real jobs: they run only against the local test cluster
 * (scripts/local-slurm.sh), never against a real cluster this machine may belong to.
 */
export function assertLocalCluster(): void {
  const up = `sudo ${TEST_SLURM === '24.11' ? 'bash scripts/local-slurm-24.sh up' : 'bash scripts/local-slurm.sh up'}`;
  let conf = '';
  try {
    conf = readFileSync(TEST_SLURM_CONF, 'utf8');
  } catch {
    throw new Error(`no Slurm ${TEST_SLURM} configuration at ${TEST_SLURM_CONF}: start the local test cluster with \`${up}\``);
  }
  if (!conf.startsWith(MARKER)) throw new Error('this Slurm is not the local test cluster of scripts/local-slurm.sh: refusing to submit test jobs to it');
}

/** A Slurm adapter for tests that remembers every job it submitted, to cancel them all afterwards. */
export function testSlurm(options: { timeoutMs?: number } = {}): Slurm & { submittedIds: number[]; cleanup: () => Promise<void> } {
  assertLocalCluster();
  const slurm = createSlurm({ timeoutMs: options.timeoutMs ?? 20_000 });
  const submittedIds: number[] = [];
  const submit: Slurm['submit'] = async (spec, opts) => {
    const result = await slurm.submit(spec, opts);
    if (result.ok) submittedIds.push(result.value.jobId);
    return result;
  };
  return {
    ...slurm,
    submit,
    submittedIds,
    cleanup: async () => {
      if (submittedIds.length > 0) await slurm.cancel(submittedIds);
    },
  };
}

export async function clusterScript(command: 'stop-controller' | 'start-controller'): Promise<void> {
  const result = await run('bash', [CLUSTER_SCRIPT, command], { timeoutMs: 60_000, env: { ...process.env, PTB_SLURM: TEST_SLURM } });
  if (result.kind !== 'ok') throw new Error(`local-slurm.sh ${command} failed: ${JSON.stringify(result)}`);
}
