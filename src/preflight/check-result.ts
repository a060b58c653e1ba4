import { errorMessage } from '../text/error-message.js';

/** What one preflight check found: the user reads `finding`, acts on `fix`, digs into `details`. */
export interface CheckResult {
  id: string;
  title: string;
  where: 'login' | 'compute';
  status: 'pass' | 'warn' | 'fail' | 'skip';
  /** One line. */
  finding: string;
  /** Raw evidence: command output, paths, numbers. */
  details: string;
  /** What to do; empty when there is nothing to do. */
  fix: string;
}

export type CheckStatus = CheckResult['status'];

type Base = Pick<CheckResult, 'id' | 'title' | 'where'>;

export const pass = (base: Base, finding: string, details = ''): CheckResult => ({ ...base, status: 'pass', finding, details, fix: '' });
export const warn = (base: Base, finding: string, fix: string, details = ''): CheckResult => ({ ...base, status: 'warn', finding, details, fix });
export const fail = (base: Base, finding: string, fix: string, details = ''): CheckResult => ({ ...base, status: 'fail', finding, details, fix });
export const skip = (base: Base, finding: string, details = ''): CheckResult => ({ ...base, status: 'skip', finding, details, fix: '' });

/** Runs a check with a time limit: a hanging check becomes a failure, never a frozen screen. */
export async function withTimeout(base: Base, timeoutMs: number, check: () => Promise<CheckResult> | CheckResult): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(
      () =>
        resolve(
          fail(
            base,
            `timed out after ${timeoutMs < 10_000 ? (timeoutMs / 1000).toFixed(1) : Math.round(timeoutMs / 1000)} s`,
            'Run it again; if it keeps hanging, look at the file system or service it reads.',
          ),
        ),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([Promise.resolve().then(check), timeout]);
  } catch (error) {
    return fail(
      base,
      `the check itself failed: ${errorMessage(error)}`,
      'This is a bug in ptb: please report it with the details.',
      error instanceof Error ? (error.stack ?? '') : '',
    );
  } finally {
    clearTimeout(timer);
  }
}

/** `1.2 GB`, `512 MB`. */
export function humanBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 10 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}
