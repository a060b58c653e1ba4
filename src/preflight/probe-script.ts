/**
 * The probe job's batch script. It runs on a compute node, inside an allocation shaped like a
 * real task's, and prints one JSON line per probe with the raw evidence (base64). Judging that
 * evidence happens on the login node (probe-evaluate.ts), so the logic is the same in tests,
 * where small executables on PATH stand in for nvidia-smi, apptainer and friends.
 */

import { shellQuote } from '../process/shell-quote.js';

export interface ProbeOptions {
  /** The agents' image, for `apptainer exec --nv <sif> nvidia-smi -L`. */
  sif: string;
  /** HTTPS hosts the selected agents (and the HF hub) need. */
  hosts: readonly string[];
  /** Exported like the real batch script will (the guide's pitfall 2). */
  home: string;
  /** Where the overlay test mounts: the job's scratch. */
  scratch: 'tmp' | 'tmpdir';
}

export const PROBE_MARKER = 'PTB_PROBE';

/** The fuse check: the tools, then an overlay mounted, read and unmounted in the job's scratch folder (`$1`). */
const FUSE_CHECK = [
  'ls -l /dev/fuse',
  'for t in fuse-overlayfs fusermount fusermount3; do echo "$t=$(command -v $t)"; done',
  'd=$1',
  'mkdir -p "$d/lower" "$d/upper" "$d/work" "$d/mnt"',
  'echo probe > "$d/lower/file"',
  'if fuse-overlayfs -o "lowerdir=$d/lower,upperdir=$d/upper,workdir=$d/work" "$d/mnt"; then echo MOUNTED; cat "$d/mnt/file" >/dev/null && echo READ',
  '(fusermount -u "$d/mnt" || fusermount3 -u "$d/mnt") && echo UNMOUNTED; fi',
].join('; ');

export function renderProbeScript(options: ProbeOptions): string {
  const q = shellQuote;
  const scratchRoot = options.scratch === 'tmpdir' ? '${TMPDIR:-/tmp}' : '/tmp';
  const lines = [
    '#!/bin/bash',
    '# ptb preflight probe: checks this compute node the way a PostTrainBench job will use it.',
    '# Each line of output: PTB_PROBE {"id":...,"exit":N,"stdout":base64,"stderr":base64}',
    `export HOME=${q(options.home)}`,
    'probe() {',
    '  local id=$1 limit=$2 out err code',
    '  shift 2',
    '  out=$(mktemp) err=$(mktemp)',
    '  timeout --kill-after=5 "$limit" "$@" >"$out" 2>"$err" </dev/null',
    '  code=$?',
    `  printf '${PROBE_MARKER} {"id":"%s","exit":%d,"stdout":"%s","stderr":"%s"}\\n' "$id" "$code" "$(head -c 65536 "$out" | base64 -w0)" "$(head -c 16384 "$err" | base64 -w0)"`,
    '  rm -f "$out" "$err"',
    '}',
    `SIF=${q(options.sif)}`,
    `SCRATCH=$(mktemp -d "${scratchRoot}/ptb-probe-XXXXXX")`,
    'trap \'fusermount -u "$SCRATCH/mnt" 2>/dev/null; fusermount3 -u "$SCRATCH/mnt" 2>/dev/null; rm -rf "$SCRATCH"\' EXIT',
    `probe env 10 bash -c 'env | grep -E "^(SLURM_JOB_ID|SLURM_CPUS_PER_TASK|SLURM_CPUS_ON_NODE|SLURM_MEM_PER_NODE|SLURM_MEM_PER_CPU|SLURM_GPUS_ON_NODE|SLURM_JOB_GPUS|CUDA_VISIBLE_DEVICES|SLURMD_NODENAME|TMPDIR)=" | sort; echo "NPROC=$(nproc)"'`,
    'probe gpu 60 nvidia-smi --query-gpu=name,memory.total --format=csv,noheader',
    'probe apptainer 30 apptainer --version',
    'probe singularity 30 singularity --version',
    `probe apptainer-gpu 300 bash -c 'if [ ! -r "$1" ]; then echo "no readable image at $1"; exit 3; fi; apptainer exec --nv "$1" nvidia-smi -L' probe "$SIF"`,
    `probe fuse 60 bash -c '${FUSE_CHECK}' probe "$SCRATCH"`,
    `probe tools 10 bash -c 'for t in uuidgen python python3 timeout; do echo "$t=$(command -v $t)"; done'`,
    `probe scratch 30 df -Pk /tmp "\${TMPDIR:-/tmp}"`,
    `probe home 10 bash -c 'echo "HOME=$HOME"; if [ -d "$HOME" ] && [ -w "$HOME" ]; then echo writable; fi'`,
    ...options.hosts.map((host) => `probe ${q(`net:${host}`)} 20 curl -sS -o /dev/null -w '%{http_code}' --max-time 15 ${q(`https://${host}/`)}`),
    `echo '${PROBE_MARKER} {"id":"done","exit":0,"stdout":"","stderr":""}'`,
  ];
  return lines.join('\n') + '\n';
}

/** One probe's raw evidence. */
export interface ProbeRecord {
  id: string;
  exit: number;
  stdout: string;
  stderr: string;
}

/** Reads the probe lines out of the job's output (other lines are ignored). */
export function parseProbeOutput(text: string): ProbeRecord[] {
  const records: ProbeRecord[] = [];
  for (const line of text.split('\n')) {
    const at = line.indexOf(`${PROBE_MARKER} `);
    if (at < 0) continue;
    try {
      const raw = JSON.parse(line.slice(at + PROBE_MARKER.length + 1)) as { id: string; exit: number; stdout: string; stderr: string };
      records.push({
        id: raw.id,
        exit: raw.exit,
        stdout: Buffer.from(raw.stdout, 'base64').toString('utf8'),
        stderr: Buffer.from(raw.stderr, 'base64').toString('utf8'),
      });
    } catch {
      // A line cut short (the job was killed mid-write): the missing probe reports itself.
    }
  }
  return records;
}
