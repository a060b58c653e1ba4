import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

/**
 * A world for tests that submit: a home configured with small requests (1 CPU, 1 GB, 10 min,
 * 1 h budget), the given keys stored, the standard and vllm_debug images, its own experiment and state folder
 * (ledger). `ptb` starts sessions with that environment plus `extraEnv`.
 */
export function submittingWorld(prefix: string, keys: Record<string, string>) {
  const slurm = testSlurm();
  const home = ptbHome();
  const experiment = `_${prefix}${process.pid}`;
  const stateDir = join(home.root, 'state');
  const env = { ...home.env, XDG_STATE_HOME: stateDir };
  const sessions: PtySession[] = [];
  beforeAll(async () => {
    await home.configure(['--experiment', experiment, '--cpus', '1', '--mem', '1G', '--time', '0:10:00', '--tmp', '', '--hours', '1'], keys);
    // The agents' image and the one every run is evaluated in.
    for (const image of ['standard', 'vllm_debug']) writeFileSync(join(home.containersDir, `${image}.sif`), '');
  });
  afterEach(() => {
    for (const s of sessions.splice(0)) s.kill();
  });
  afterAll(async () => {
    const jobs = await slurm.jobs({ user: 'me' });
    if (jobs.ok) await slurm.cancel(jobs.value.filter((j) => j.comment?.includes(`|${experiment}`) || j.name === 'ptb-container-test').map((j) => j.rawJobId));
    await slurm.cleanup();
    home.remove();
  });
  /** ptb in a pseudo-terminal; `bin`: another copy of the bundle (one that cannot load node-pty). */
  const ptb = async (cols: number, rows: number, args: string[] = [], extraEnv: Record<string, string> = {}, bin = PTB_BIN): Promise<PtySession> => {
    const session = await PtySession.start(process.execPath, [bin, ...args], { cols, rows, env: { ...env, ...extraEnv } });
    sessions.push(session);
    return session;
  };
  /** Submits one task (Qwen3-1.7B x claude-sonnet-4-5 x 1 h) with the fixture's knobs in `fixture` (jobs get them through passEnvironment). */
  const submit = async (evalId: string, fixture: Record<string, string>): Promise<number> => {
    const plan = join(home.root, `${evalId}.yaml`);
    writeFileSync(plan, `models: [Qwen/Qwen3-1.7B-Base]\nevals: [${evalId}]\nagentConfigs: [claude/claude-sonnet-4-5]\nhours: [1]\n`);
    const out = await home.ptb(['submit', '--plan', plan, '--yes'], { XDG_STATE_HOME: stateDir, ...fixture });
    const id = Number(/submitted, job (\d+)/.exec(out.stderr)?.[1]);
    if (!id) throw new Error(`not submitted: ${out.stderr}`);
    slurm.submittedIds.push(id);
    return id;
  };
  return { slurm, home, experiment, stateDir, env, ledgerFile: join(stateDir, 'ptb-slurm', 'ledger.jsonl'), ptb, submit };
}
