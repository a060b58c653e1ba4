import type { ConfigLocations } from '../config/locations.js';
import type { Config } from '../config/schema.js';
import type { CheckResult } from '../preflight/check-result.js';
import { runLoginChecks } from '../preflight/login-checks.js';
import { explainPending, runProbeJob, type ProbeProgress } from '../preflight/probe-job.js';
import type { Slurm } from '../slurm/adapter.js';

const WORD: Record<CheckResult['status'], string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', skip: 'SKIP' };

/** The results as text: one line per check, then the fix of every one that needs action. */
export function renderChecksText(results: readonly CheckResult[]): string {
  const idWidth = Math.max(0, ...results.map((r) => r.id.length));
  const lines = results.map((r) => `${WORD[r.status]}  ${r.where.padEnd(7)} ${r.id.padEnd(idWidth)}  ${r.finding}`);
  const todo = results.filter((r) => r.fix !== '' && (r.status === 'fail' || r.status === 'warn'));
  if (todo.length > 0) lines.push('', 'To do:', ...todo.map((r) => `  ${r.id}: ${r.fix}`));
  const failed = results.filter((r) => r.status === 'fail').length;
  const warned = results.filter((r) => r.status === 'warn').length;
  lines.push(
    '',
    failed === 0 ? `Ready: nothing failed${warned ? ` (${warned} warning${warned > 1 ? 's' : ''})` : ''}.` : `${failed} check${failed > 1 ? 's' : ''} failed.`,
  );
  return lines.join('\n') + '\n';
}

/** Exit status of `ptb preflight`: 0 when nothing failed. */
export const preflightExitCode = (results: readonly CheckResult[]): number => (results.some((r) => r.status === 'fail') ? 1 : 0);

/** Progress lines on stderr: each change at once, an unchanged pending state every 30 s with its age. */
function probeProgressPrinter(): (p: ProbeProgress) => void {
  let said = '';
  let saidAt = 0;
  return (p) => {
    const line = `probe job${p.jobId === null ? '' : ` ${p.jobId}`}: ${p.state}${p.state === 'PENDING' ? ` (${explainPending(p.reason)})` : ''}`;
    if (line === said && Date.now() - saidAt <= 30_000) return;
    const age = Math.round((Date.now() - p.since.getTime()) / 1000);
    process.stderr.write(`${line}${line === said ? ` for ${age} s` : ''}\n`);
    said = line;
    saidAt = Date.now();
  };
}

/** `ptb preflight [--compute] [--json]`: the login checks, then the probe job's. */
export async function preflightCommand(
  slurm: Slurm,
  config: Config,
  locations: ConfigLocations,
  options: { json: boolean; compute: boolean; maxWaitMinutes: number },
): Promise<{ code: number; stdout: string; stderr: string }> {
  const results = await runLoginChecks(config, locations, slurm);
  if (options.compute) {
    const probe = await runProbeJob(slurm, config, { maxWaitMs: options.maxWaitMinutes * 60_000, onProgress: probeProgressPrinter() });
    results.push(...probe.results);
  }
  const code = preflightExitCode(results);
  return { code, stdout: options.json ? JSON.stringify({ ok: code === 0, results }, null, 2) + '\n' : renderChecksText(results), stderr: '' };
}
