import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../src/process/run.js';
import { evaluateApptainer, evaluateGpu, evaluateProbe, evaluateTools, hostsFor, type ProbeExpectations } from '../../src/preflight/probe-evaluate.js';
import { parseProbeOutput, renderProbeScript, type ProbeRecord } from '../../src/preflight/probe-script.js';
import { shellQuote } from '../../src/process/shell-quote.js';
import { fakeBin, REAL } from '../helpers/fake-bin.js';

const dir = mkdtempSync(join(tmpdir(), 'ptb-probe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const record = (id: string, stdout: string, exit = 0, stderr = ''): ProbeRecord => ({ id, exit, stdout, stderr });
const expectations: ProbeExpectations = {
  gpus: 1,
  gpuName: 'H100',
  cpus: 16,
  memMb: 131072,
  minScratchGb: 1,
  scratch: 'tmp',
  hosts: ['api.anthropic.com', 'huggingface.co'],
};

/** Runs the real probe script with `tools` first on PATH, like a node that has exactly them. */
async function probeWith(tools: Record<string, string>, sif: string): Promise<ProbeRecord[]> {
  const bin = fakeBin(mkdtempSync(join(dir, 'bin-')), tools);
  const script = join(dir, `probe-${Date.now()}.sh`);
  writeFileSync(script, renderProbeScript({ sif, hosts: ['api.anthropic.com', 'huggingface.co'], home: dir, scratch: 'tmp' }));
  const result = await run('bash', [script], {
    timeoutMs: 60_000,
    env: { ...process.env, PATH: `${bin}:/usr/bin:/bin`, SLURM_CPUS_PER_TASK: '16', SLURM_MEM_PER_NODE: '131072' },
  });
  if (result.kind !== 'ok') throw new Error(`probe failed: ${JSON.stringify(result)}`);
  return parseProbeOutput(result.stdout);
}

describe('the probe script', () => {
  it('quotes every value it embeds', () => {
    expect(shellQuote("it's here")).toBe(`'it'\\''s here'`);
    const script = renderProbeScript({ sif: "/sifs/my 'image'.sif", hosts: ['api.openai.com'], home: '/home/a b', scratch: 'tmpdir' });
    expect(script).toContain(`SIF='/sifs/my '\\''image'\\''.sif'`);
    expect(script).toContain(`export HOME='/home/a b'`);
    expect(script).toContain('${TMPDIR:-/tmp}/ptb-probe-XXXXXX');
  });

  it('on an H100 node with Apptainer 1.3.4 and no FUSE permission: GPU and Apptainer pass, FUSE fails with both fixes', async () => {
    const sif = join(dir, 'standard.sif');
    writeFileSync(sif, 'sif');
    const records = await probeWith(
      {
        'nvidia-smi': `echo '${REAL.h100}'`,
        apptainer: `if [ "$1" = --version ]; then echo '${REAL.apptainer134}'; else echo '${REAL.nvidiaSmiL}'; fi`,
        'fuse-overlayfs': `printf '%s\\n' "${REAL.fuseDenied.replace(/'/g, '')}" >&2; exit 1`,
        fusermount: 'exit 0',
        curl: 'printf 401',
      },
      sif,
    );
    expect(records.map((r) => r.id)).toContain('done');
    const results = Object.fromEntries(evaluateProbe(records, expectations).map((r) => [r.id, r]));
    expect(results.gpu).toMatchObject({ status: 'pass', finding: 'NVIDIA H100 80GB HBM3 (81559 MiB)' });
    expect(results.apptainer).toMatchObject({ status: 'pass', finding: 'apptainer 1.3.4' });
    expect(results['apptainer-gpu']).toMatchObject({ status: 'pass', finding: expect.stringContaining('GPU 0: NVIDIA H100') });
    expect(results.fuse).toMatchObject({ status: 'fail', finding: expect.stringContaining('an overlay mount failed') });
    expect(results.fuse?.fix).toMatch(/ask the admins/i);
    expect(results.fuse?.fix).toMatch(/cp -r \$HF_HOME/);
    expect(results.home).toMatchObject({ status: 'pass' });
    expect(results.resources).toMatchObject({ status: 'pass', finding: expect.stringContaining('16 CPUs, 128 GB') });
    expect(results['net:api.anthropic.com']).toMatchObject({ status: 'pass', finding: 'reachable (HTTP 401)' });
  });

  it('on a node without GPU tools: the GPU check fails with its fix, and nothing claims to pass for it', async () => {
    const records = await probeWith({ curl: 'echo "curl: (6) Could not resolve host: api.anthropic.com" >&2; exit 6' }, join(dir, 'missing.sif'));
    const results = Object.fromEntries(evaluateProbe(records, expectations).map((r) => [r.id, r]));
    expect(results.gpu).toMatchObject({ status: 'fail', finding: 'nvidia-smi is not on the node' });
    expect(results.apptainer).toMatchObject({ status: 'fail', finding: 'neither apptainer nor singularity on the node' });
    expect(results['apptainer-gpu']?.status).toBe('skip');
    expect(results['net:huggingface.co']).toMatchObject({ status: 'fail', fix: expect.stringContaining('https_proxy') });
  });
});

describe('judging the evidence', () => {
  it("GPU: H100 passes; H200 and A100 fail as upstream's CUDA check does, with the fix; a count mismatch fails", () => {
    expect(evaluateGpu(record('gpu', `${REAL.h100}\n`), 1).status).toBe('pass');
    for (const other of [REAL.h200, REAL.a100]) {
      const result = evaluateGpu(record('gpu', `${other}\n`), 1);
      expect(result.status).toBe('fail');
      expect(result.finding).toContain("no H100, so the checkout's CUDA check (src/utils/check_cuda.py) stops every run before its agent starts");
      expect(result.fix).toContain('H100 partition or constraint');
    }
    expect(evaluateGpu(record('gpu', `${REAL.h100}\n${REAL.h100}\n`), 1)).toMatchObject({
      status: 'fail',
      finding: expect.stringContaining('sees 2 GPU(s), the job asked for 1'),
    });
  });

  it('Apptainer: 1.3.4 passes, 1.0.3 fails, SingularityCE alone fails because upstream runs apptainer', () => {
    expect(evaluateApptainer(record('apptainer', REAL.apptainer134), undefined).status).toBe('pass');
    expect(evaluateApptainer(record('apptainer', REAL.apptainer103), undefined)).toMatchObject({
      status: 'fail',
      finding: 'Apptainer 1.0.3 is older than 1.1',
    });
    const onlySingularity = evaluateApptainer(record('apptainer', '', 127), record('singularity', REAL.singularityCe));
    expect(onlySingularity).toMatchObject({ status: 'fail', finding: `only ${REAL.singularityCe} on the node` });
  });

  it('tools: names what is missing, with the Debian package of uuidgen', () => {
    const result = evaluateTools(record('tools', 'uuidgen=\npython=\npython3=/usr/bin/python3\ntimeout=/usr/bin/timeout\n'));
    expect(result).toMatchObject({ status: 'fail', finding: 'missing on the node: uuidgen, python' });
    expect(result.fix).toContain('uuid-runtime');
  });

  it("hosts: the agents' APIs, the judge and the HF hub", () => {
    expect(hostsFor(['claude'])).toEqual(['api.openai.com', 'huggingface.co', 'api.anthropic.com']);
    expect(hostsFor(['gemini', 'glm5'])).toEqual(['api.openai.com', 'huggingface.co', 'generativelanguage.googleapis.com', 'api.z.ai']);
  });
});
