import { afterAll, afterEach, beforeAll } from 'vitest';
import { testSlurm } from './cluster.js';
import { PTB_BIN } from './paths.js';
import { ptbHome } from './ptb-home.js';
import { PtySession } from './pty-session.js';

/**
 * What an end-to-end test file needs: the local cluster (its jobs cancelled afterwards), a
 * configured private home, and `ptb` in pseudo-terminals that are killed after each test.
 */
export function e2eWorld() {
  const slurm = testSlurm();
  const home = ptbHome();
  const sessions: PtySession[] = [];
  beforeAll(() => home.configure());
  afterEach(() => {
    for (const s of sessions.splice(0)) s.kill();
  });
  afterAll(async () => {
    await slurm.cleanup();
    home.remove();
  });
  const ptb = async (args: string[], cols: number, rows: number): Promise<PtySession> => {
    const session = await PtySession.start(process.execPath, [PTB_BIN, ...args], { cols, rows, env: home.env });
    sessions.push(session);
    return session;
  };
  return { slurm, home, ptb };
}
