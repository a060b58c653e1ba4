import type { CheckResult } from '../preflight/check-result.js';

const WORD: Record<CheckResult['status'], string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', skip: 'SKIP' };

/** The results as text: one line per check, then the fix of every one that needs action. */
export function renderChecksText(results: readonly CheckResult[]): string {
  const idWidth = Math.max(0, ...results.map((r) => r.id.length));
  const lines = results.map((r) => `${WORD[r.status]}  ${r.where.padEnd(7)} ${r.id.padEnd(idWidth)}  ${r.finding}`);
  const todo = results.filter((r) => r.fix !== '' && (r.status === 'fail' || r.status === 'warn'));
  if (todo.length > 0) lines.push('', 'To do:', ...todo.map((r) => `  ${r.id}: ${r.fix}`));
  const failed = results.filter((r) => r.status === 'fail').length;
  const warned = results.filter((r) => r.status === 'warn').length;
  lines.push('', failed === 0 ? `Ready: nothing failed${warned ? ` (${warned} warning${warned > 1 ? 's' : ''})` : ''}.` : `${failed} check${failed > 1 ? 's' : ''} failed.`);
  return lines.join('\n') + '\n';
}

/** Exit status of `ptb preflight`: 0 when nothing failed. */
export const preflightExitCode = (results: readonly CheckResult[]): number => (results.some((r) => r.status === 'fail') ? 1 : 0);
