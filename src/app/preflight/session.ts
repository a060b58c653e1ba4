import type { ConfigLocations } from '../../config/locations.js';
import type { Config } from '../../config/schema.js';
import type { Slurm } from '../../slurm/adapter.js';
import type { AppStore } from '../store.js';
import type { CheckResult } from '../../preflight/check-result.js';
import { LOGIN_CHECKS, runLoginCheck } from '../../preflight/login-checks.js';
import { runProbeJob } from '../../preflight/probe-job.js';

export interface PreflightSession {
  /** Every login check, then the probe job when `compute`. A running probe is cancelled first. */
  runAll: (options: { compute: boolean }) => void;
  /** Re-runs one check; a compute-node check re-runs the probe job. */
  rerun: (id: string) => void;
  cancelProbe: () => void;
}

/** Keeps results in a stable order (login checks, then the probe's), replacing by id. */
function merge(results: readonly CheckResult[], fresh: readonly CheckResult[], dropCompute = false): CheckResult[] {
  const kept = results.filter((r) => !fresh.some((f) => f.id === r.id) && !(dropCompute && r.where === 'compute'));
  const all = [...kept, ...fresh];
  const order = (r: CheckResult) => (r.where === 'login' ? LOGIN_CHECKS.findIndex((c) => c.id === r.id) : 100);
  return all
    .map((r, i) => ({ r, i }))
    .sort((a, b) => order(a.r) - order(b.r) || a.i - b.i)
    .map(({ r }) => r);
}

/**
 * Runs preflight for the screen, outside React: results and the probe's progress go into the
 * store as they come, so the list fills in while slow checks are still running.
 */
export function createPreflightSession(deps: { store: AppStore; slurm: Slurm; locations: ConfigLocations; config: () => Config | null }): PreflightSession {
  const { store } = deps;
  let probeAbort: AbortController | null = null;
  const update = store.getState().updatePreflight;

  const runLogin = (ids: readonly string[], config: Config) =>
    Promise.all(
      LOGIN_CHECKS.filter((c) => ids.includes(c.id)).map(async (check) => {
        update((p) => ({ running: [...p.running, check.id] }));
        const result = await runLoginCheck(check, { config, locations: deps.locations, slurm: deps.slurm });
        update((p) => ({ results: merge(p.results, [result]), running: p.running.filter((id) => id !== check.id) }));
      }),
    );

  const runProbe = async (config: Config) => {
    probeAbort?.abort();
    const abort = new AbortController();
    probeAbort = abort;
    update((p) => ({ running: [...p.running.filter((id) => id !== 'compute'), 'compute'], results: merge(p.results, [], true) }));
    const run = await runProbeJob(deps.slurm, config, { signal: abort.signal, onProgress: (probe) => update(() => ({ probe })) });
    if (probeAbort !== abort) return;
    probeAbort = null;
    update((p) => ({
      results: merge(p.results, run.results, true),
      running: p.running.filter((id) => id !== 'compute'),
      probe: p.probe ? { ...p.probe, state: abort.signal.aborted ? 'cancelled' : 'done', since: new Date() } : null,
    }));
  };

  const withConfig = (action: (config: Config) => Promise<void>) => {
    const config = deps.config();
    if (!config) {
      update(() => ({ unavailable: 'No valid configuration yet: press s to run the setup first.' }));
      return;
    }
    update(() => ({ unavailable: null }));
    void action(config);
  };

  return {
    runAll: ({ compute }) =>
      withConfig(async (config) => {
        await runLogin(
          LOGIN_CHECKS.map((c) => c.id),
          config,
        );
        if (compute) await runProbe(config);
      }),
    rerun: (id) =>
      withConfig(async (config) => {
        if (LOGIN_CHECKS.some((c) => c.id === id)) await runLogin([id], config);
        else await runProbe(config);
      }),
    cancelProbe: () => probeAbort?.abort(),
  };
}
