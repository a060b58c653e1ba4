import { acceptedGpus, gpuAccepted } from '../checkout/detect.js';
import { agentNeeds, TABLE_CREDENTIALS, type CheckoutCredentials } from '../config/agent-needs.js';
import { fail, humanBytes, pass, skip, warn, type CheckResult } from './check-result.js';
import type { ProbeRecord } from './probe-script.js';

/** What the probe's evidence is judged against: the request the real jobs will make. */
export interface ProbeExpectations {
  gpus: number;
  /** The name a GPU must contain for upstream's CUDA check (`H100`); null when the checkout's check names none. */
  gpuName: string | null;
  cpus: number;
  memMb: number | null;
  minScratchGb: number;
  scratch: 'tmp' | 'tmpdir';
  hosts: readonly string[];
}

const API_HOSTS: Record<string, string> = {
  ANTHROPIC_API_KEY: 'api.anthropic.com',
  OPENAI_API_KEY: 'api.openai.com',
  GEMINI_API_KEY: 'generativelanguage.googleapis.com',
  OPENCODE_API_KEY: 'opencode.ai',
  ZAI_API_KEY: 'api.z.ai',
  DASHSCOPE_API_KEY: 'dashscope-intl.aliyuncs.com',
};

/** The HTTPS hosts a run of these agents talks to: their APIs (by the keys their folders read), the judge's (OpenAI) and the HF hub. */
export function hostsFor(agents: readonly string[], checkout: CheckoutCredentials = TABLE_CREDENTIALS): string[] {
  const hosts = new Set<string>(['api.openai.com', 'huggingface.co']);
  for (const agent of agents) {
    if (agent.startsWith('claude')) hosts.add('api.anthropic.com');
    if (agent.startsWith('codex')) hosts.add('api.openai.com');
    for (const key of agentNeeds(agent, [], checkout.agents[agent]).keys) {
      const host = API_HOSTS[key];
      if (host) hosts.add(host);
    }
  }
  return [...hosts];
}

const compute = (id: string, title: string) => ({ id, title, where: 'compute' as const });
const evidence = (r: ProbeRecord) => [`exit ${r.exit}`, r.stdout.trim(), r.stderr.trim() && `stderr: ${r.stderr.trim()}`].filter(Boolean).join('\n');
const notFound = (r: ProbeRecord) => r.exit === 127 || /command not found|No such file or directory/.test(r.stderr);
const timedOut = (r: ProbeRecord) => r.exit === 124 || r.exit === 137;

function keyValues(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1).trim()]),
  );
}

export function evaluateGpu(r: ProbeRecord, gpus: number, required: string | null = 'H100'): CheckResult {
  const base = compute('gpu', 'GPU');
  if (notFound(r))
    return fail(
      base,
      'nvidia-smi is not on the node',
      'Choose a GPU partition (and GRES) in `ptb setup`; if it is one, ask the admins why the NVIDIA driver is missing there.',
      evidence(r),
    );
  if (r.exit !== 0)
    return fail(
      base,
      `nvidia-smi failed: ${r.stderr.trim().split('\n')[0] ?? `exit ${r.exit}`}`,
      'The driver or the GPU is broken on that node: tell the admins (and exclude the node).',
      evidence(r),
    );
  const rows = r.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(',').map((x) => x.trim()));
  const names = rows.map((row) => row[0] ?? '');
  const summary = rows.map((row) => `${row[0] ?? '?'} (${row[1] ?? '?'})`).join(', ');
  if (rows.length !== gpus) {
    return fail(
      base,
      `sees ${rows.length} GPU(s), the job asked for ${gpus}: ${summary}`,
      "Upstream's CUDA check needs exactly NUM_GPUS visible GPUs: ask for GRES isolation (ConstrainDevices=yes), or make the batch script pin CUDA_VISIBLE_DEVICES.",
      evidence(r),
    );
  }
  // check_cuda.py wants a GPU whose name contains "H100": without one the agent never starts.
  if (required && !names.some((n) => gpuAccepted(n, required))) {
    const wanted = acceptedGpus(required);
    return fail(
      base,
      `${summary}: no ${wanted}, so the checkout's CUDA check (src/utils/check_cuda.py) stops every run before its agent starts (task/cuda_not_available, "No ${wanted} found")`,
      `Choose an ${wanted} partition or constraint in \`ptb setup\`; on other GPUs, change src/utils/check_cuda*.py in your checkout first (its results then differ from the leaderboard's).`,
      evidence(r),
    );
  }
  return pass(base, summary, evidence(r));
}

/** `apptainer version 1.3.4`, `singularity-ce version 3.11.4`, `singularity version 3.8.7`. */
export function parseContainerVersion(text: string): { tool: string; major: number; minor: number; patch: number } | null {
  const m = /^(apptainer|singularity-ce|singularity)\s+version\s+v?(\d+)\.(\d+)(?:\.(\d+))?/m.exec(text.trim());
  return m ? { tool: m[1] ?? '', major: Number(m[2]), minor: Number(m[3]), patch: Number(m[4] ?? 0) } : null;
}

export function evaluateApptainer(apptainer: ProbeRecord | undefined, singularity: ProbeRecord | undefined): CheckResult {
  const base = compute('apptainer', 'Apptainer');
  const a = apptainer && apptainer.exit === 0 ? parseContainerVersion(apptainer.stdout) : null;
  if (!a) {
    const s = singularity && singularity.exit === 0 ? parseContainerVersion(singularity.stdout) : null;
    const found = s ? `only ${singularity?.stdout.trim()}` : 'neither apptainer nor singularity';
    return fail(
      base,
      `${found} on the node`,
      s
        ? 'Upstream runs the `apptainer` command: load the apptainer module, or put an `apptainer` symlink to singularity on PATH in the batch environment.'
        : 'Ask the admins for Apptainer >= 1.1 on the compute nodes (or `module load apptainer` in the batch script).',
      [apptainer, singularity]
        .filter((x) => x !== undefined)
        .map(evidence)
        .join('\n'),
    );
  }
  const version = `${a.major}.${a.minor}.${a.patch}`;
  if (a.tool === 'apptainer' && (a.major < 1 || (a.major === 1 && a.minor < 1))) {
    return fail(
      base,
      `Apptainer ${version} is older than 1.1`,
      'Ask the admins for Apptainer >= 1.1 (upstream needs --nv, --writable-tmpfs and -c as 1.1 has them).',
      apptainer ? evidence(apptainer) : '',
    );
  }
  return pass(base, `${a.tool} ${version}`, apptainer ? evidence(apptainer) : '');
}

export function evaluateApptainerGpu(r: ProbeRecord | undefined): CheckResult {
  const base = compute('apptainer-gpu', 'GPU inside the container');
  if (!r) return fail(base, 'no result: the probe stopped before this check', "Look at the probe job's output.");
  if (r.exit === 3) return skip(base, r.stdout.trim() || 'no image to run', evidence(r));
  if (notFound(r)) return skip(base, 'apptainer is missing (see the Apptainer check)', evidence(r));
  if (timedOut(r))
    return fail(
      base,
      'apptainer exec did not finish in 5 minutes',
      'Look for "Converting SIF file to temporary sandbox" (slow, fills /tmp): ask the admins for setuid or squashfuse support.',
      evidence(r),
    );
  const gpus = r.stdout.split('\n').filter((l) => /^GPU \d+:/.test(l.trim()));
  if (r.exit !== 0 || gpus.length === 0)
    return fail(
      base,
      'apptainer exec --nv <image> nvidia-smi does not see a GPU',
      "Run `apptainer exec --nv <image> nvidia-smi` on a GPU node by hand (the guide's pitfall 3); --nv needs the host driver libraries.",
      evidence(r),
    );
  return pass(base, gpus.map((g) => g.trim()).join('; '), evidence(r));
}

export function evaluateFuse(r: ProbeRecord | undefined): CheckResult {
  const base = compute('fuse', 'FUSE overlay');
  const fix =
    "Ask the admins to let users mount FUSE (/dev/fuse) and to install fuse-overlayfs; or use the fallback of the guide: copy HF_HOME into the job's scratch instead of overlaying it (cp -r $HF_HOME $TMP_SUBDIR/hf_cache: slower, but needs no FUSE).";
  if (!r) return fail(base, 'no result: the probe stopped before this check', fix);
  const text = r.stdout;
  const tools = keyValues(text);
  if (/cannot access '\/dev\/fuse'|No such file/.test(r.stderr) && !/\/dev\/fuse/.test(text))
    return fail(base, '/dev/fuse does not exist on the node', fix, evidence(r));
  if (!tools['fuse-overlayfs']) return fail(base, 'fuse-overlayfs is not installed on the node', fix, evidence(r));
  if (!tools.fusermount && !tools.fusermount3) return fail(base, 'neither fusermount nor fusermount3 is installed', fix, evidence(r));
  const marks = new Set(text.split('\n').map((l) => l.trim()));
  if (!marks.has('MOUNTED')) return fail(base, `an overlay mount failed: ${r.stderr.trim().split('\n').pop() ?? ''}`, fix, evidence(r));
  if (!marks.has('UNMOUNTED'))
    return warn(base, 'the overlay mounted but did not unmount cleanly', 'Check fusermount on the node; leftover mounts fill node scratch.', evidence(r));
  if (!tools.fusermount)
    return warn(
      base,
      'overlay mount and unmount work, with fusermount3 only',
      'Upstream calls fusermount: put a `fusermount` symlink to fusermount3 on PATH in the batch environment.',
      evidence(r),
    );
  return pass(base, 'overlay mount and unmount work', evidence(r));
}

export function evaluateTools(r: ProbeRecord | undefined): CheckResult {
  const base = compute('tools', 'uuidgen and python');
  if (!r) return fail(base, 'no result: the probe stopped before this check', "Look at the probe job's output.");
  const tools = keyValues(r.stdout);
  const missing = ['uuidgen', 'python', 'python3', 'timeout'].filter((t) => !tools[t]);
  if (missing.length === 0) return pass(base, 'uuidgen, python, python3, timeout present', evidence(r));
  const fixes = [
    missing.includes('uuidgen') ? 'uuidgen comes with util-linux (Debian/Ubuntu: package uuid-runtime)' : '',
    missing.includes('python') ? 'upstream runs `python` (not only python3): load a Python module or put a `python` symlink on PATH' : '',
    missing.includes('python3') ? 'install Python 3.10+' : '',
  ].filter(Boolean);
  return fail(base, `missing on the node: ${missing.join(', ')}`, `${fixes.join('; ')}.`, evidence(r));
}

/** `df -Pk` lines → free bytes per mount point. */
function dfFree(text: string): { path: string; free: number }[] {
  return text
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f.length >= 6)
    .map((f) => ({ path: f[5] ?? '', free: Number(f[3]) * 1024 }));
}

export function evaluateScratch(r: ProbeRecord | undefined, expect: ProbeExpectations, env: Record<string, string>): CheckResult {
  const base = compute('scratch', 'Scratch space');
  if (!r || r.exit !== 0) return fail(base, 'df failed on the node', "Look at the probe job's output.", r ? evidence(r) : '');
  const [tmp, tmpdir] = dfFree(r.stdout);
  const used = expect.scratch === 'tmpdir' ? (tmpdir ?? tmp) : tmp;
  const where = expect.scratch === 'tmpdir' ? `$TMPDIR (${env.TMPDIR ?? '/tmp'})` : '/tmp';
  const finding = `/tmp ${humanBytes(tmp?.free ?? 0)} free${tmpdir && tmpdir.path !== tmp?.path ? `, $TMPDIR ${humanBytes(tmpdir.free)} free` : ''}`;
  if (!used || used.free < expect.minScratchGb * 1024 ** 3) {
    return fail(
      base,
      `${finding}: less than ${expect.minScratchGb} GB in ${where}`,
      `A run writes ~400 GB of temporary files (upstream hard-codes /tmp). Request node-local disk (--tmp), choose nodes with more, or switch the scratch setting to the one with room (\`ptb setup\`).`,
      evidence(r),
    );
  }
  return pass(base, finding, evidence(r));
}

export function evaluateHome(r: ProbeRecord | undefined): CheckResult {
  const base = compute('home', 'HOME');
  if (!r) return fail(base, 'no result: the probe stopped before this check', "Look at the probe job's output.");
  const home = keyValues(r.stdout).HOME ?? '';
  if (home === '') return fail(base, 'HOME is not set in the job', 'Set HOME in `ptb setup` (it is exported by the batch script).', evidence(r));
  if (!r.stdout.includes('writable'))
    return fail(
      base,
      `HOME=${home} is not a writable directory on the node`,
      "Apptainer binds HOME: point it at your real home in `ptb setup` (the guide's pitfall 2).",
      evidence(r),
    );
  return pass(base, `HOME=${home}, writable`, evidence(r));
}

export function evaluateResources(r: ProbeRecord | undefined, expect: ProbeExpectations): CheckResult {
  const base = compute('resources', 'CPUs and memory granted');
  if (!r) return fail(base, 'no result: the probe stopped before this check', "Look at the probe job's output.");
  const env = keyValues(r.stdout);
  const cpus = Number(env.SLURM_CPUS_PER_TASK ?? env.SLURM_CPUS_ON_NODE ?? env.NPROC ?? 0);
  const memMb = env.SLURM_MEM_PER_NODE ? Number(env.SLURM_MEM_PER_NODE) : null;
  const finding = `${cpus} CPUs${memMb !== null ? `, ${humanBytes(memMb * 1024 ** 2)}` : ''} on ${env.SLURMD_NODENAME ?? 'the node'}`;
  const short = [
    cpus < expect.cpus ? `${cpus} CPUs < ${expect.cpus} asked` : '',
    expect.memMb !== null && memMb !== null && memMb < expect.memMb ? `memory ${memMb} MB < ${expect.memMb} MB asked` : '',
  ].filter(Boolean);
  if (short.length > 0)
    return warn(
      base,
      `${finding}: ${short.join(', ')}`,
      'The partition or QOS caps the request: ask for what the nodes give, or another partition.',
      evidence(r),
    );
  return pass(base, finding, evidence(r));
}

export function evaluateNetwork(r: ProbeRecord | undefined, host: string): CheckResult {
  const base = compute(`net:${host}`, `HTTPS to ${host}`);
  if (!r) return fail(base, 'no result: the probe stopped before this check', "Look at the probe job's output.");
  const code = r.stdout.trim();
  if (r.exit === 0 && /^[1-5]\d\d$/.test(code)) return pass(base, `reachable (HTTP ${code})`, evidence(r));
  if (notFound(r)) return skip(base, 'curl is not on the node: reachability unknown', evidence(r));
  return fail(
    base,
    `cannot reach https://${host}/: ${r.stderr.trim().split('\n')[0] ?? `curl exit ${r.exit}`}`,
    "Compute nodes need outbound HTTPS for the agents' APIs and the HF hub: ask the admins, or set https_proxy in the batch environment.",
    evidence(r),
  );
}

/** Every compute-node check from the probe's records. A probe that never ran is a failure, not a pass. */
export function evaluateProbe(records: readonly ProbeRecord[], expect: ProbeExpectations): CheckResult[] {
  const by = (id: string) => records.find((r) => r.id === id);
  const env = keyValues(by('env')?.stdout ?? '');
  const gpu = by('gpu');
  return [
    gpu
      ? evaluateGpu(gpu, expect.gpus, expect.gpuName)
      : fail(compute('gpu', 'GPU'), 'no result: the probe stopped before this check', "Look at the probe job's output."),
    evaluateApptainer(by('apptainer'), by('singularity')),
    evaluateApptainerGpu(by('apptainer-gpu')),
    evaluateFuse(by('fuse')),
    evaluateTools(by('tools')),
    evaluateScratch(by('scratch'), expect, env),
    evaluateHome(by('home')),
    evaluateResources(by('env'), expect),
    ...expect.hosts.map((host) => evaluateNetwork(by(`net:${host}`), host)),
  ];
}
