// The demo site's stand-ins for what a GPU node has and this machine does not. Each prints what the
// real tool prints (the outputs ptb's checks read), and says on stderr that it is a stand-in, so that
// every log and every preflight detail that shows its output shows that too.

const NOTE = (what: string) => `echo "ptb demo stand-in: ${what}" >&2`;

const NVIDIA_SMI = `#!/bin/bash
# nvidia-smi of a node with one H100 80GB per GPU Slurm gave the job (CUDA_VISIBLE_DEVICES).
${NOTE('no GPU on this machine; this is what an H100 80GB node prints')}
IFS=, read -ra gpus <<<"\${CUDA_VISIBLE_DEVICES:-0}"
case "$*" in
  *--query-gpu=name,memory.total*)
    for _ in "\${gpus[@]}"; do echo "NVIDIA H100 80GB HBM3, 81559 MiB"; done ;;
  *-L*)
    i=0; for g in "\${gpus[@]}"; do echo "GPU $i: NVIDIA H100 80GB HBM3 (UUID: GPU-5c1a3a9e-0f6c-2d7e-8f1b-1c2d3e4f5a6$g)"; i=$((i + 1)); done ;;
  *)
    echo "+-----------------------------------------------------------------------------------------+"
    echo "| NVIDIA-SMI 550.54.15              Driver Version: 550.54.15      CUDA Version: 12.4     |"
    echo "|   0  NVIDIA H100 80GB HBM3          On  |   00000000:18:00.0 Off |                    0 |"
    echo "| N/A   31C    P0             69W /  700W |       0MiB /  81559MiB |      0%      Default |"
    echo "+-----------------------------------------------------------------------------------------+" ;;
esac
`;

const APPTAINER = `#!/bin/bash
# apptainer 1.3.x: --version, and exec [options] IMAGE COMMAND..., which runs COMMAND on this machine.
case "\${1:-}" in
  --version | version) echo "apptainer version 1.3.4"; exit 0 ;;
  exec) shift ;;
  *) echo "apptainer (ptb demo stand-in): only --version and exec are simulated" >&2; exit 255 ;;
esac
while [ $# -gt 0 ]; do
  case "$1" in
    --nv | --writable-tmpfs | -c | --contain | -C | --containall | -e | --cleanenv | --no-home | --fakeroot | -f) shift ;;
    -B | --bind | -H | --home | --pwd | --env | --env-file | -o | --overlay | -W | --workdir | -S | --scratch | --mount | --network | --security | --hostname) shift 2 ;;
    --*=*) shift ;;
    -*) echo "FATAL:   unknown flag: $1 (ptb demo stand-in)" >&2; exit 255 ;;
    *) break ;;
  esac
done
image="\${1:-}"
shift
if [ ! -r "$image" ]; then
  echo "FATAL:   could not open image $image: failed to retrieve path for $image: lstat $image: no such file or directory" >&2
  exit 255
fi
${NOTE('apptainer runs the command on this machine, not in "$image"')}
exec "$@"
`;

const FUSE_OVERLAYFS = `#!/bin/bash
# fuse-overlayfs -o lowerdir=L,upperdir=U,workdir=W MOUNTPOINT: the mount point gets a copy of L.
opts=""
mnt=""
while [ $# -gt 0 ]; do
  case "$1" in
    -o) opts="$2"; shift 2 ;;
    -o*) opts="\${1#-o}"; shift ;;
    *) mnt="$1"; shift ;;
  esac
done
lower=""
IFS=, read -ra parts <<<"$opts"
for p in "\${parts[@]}"; do case "$p" in lowerdir=*) lower="\${p#lowerdir=}" ;; esac; done
lower="\${lower%%:*}"
if [ ! -d "$lower" ] || [ ! -d "$mnt" ]; then
  echo "fuse-overlayfs: cannot mount: No such file or directory" >&2
  exit 1
fi
${NOTE('no FUSE mount: the mount point holds a copy of the lower folder')}
cp -a "$lower/." "$mnt/"
`;

const FUSERMOUNT = `#!/bin/bash
# fusermount -u MOUNTPOINT: nothing was mounted (see fuse-overlayfs).
${NOTE('nothing to unmount')}
exit 0
`;

const DF = `#!/bin/bash
# df -Pk PATH...: each path on the node-local scratch disk that slurm.conf declares (TmpDisk=800000).
${NOTE("the node's declared 800 GB scratch disk, not this machine's")}
echo "Filesystem     1024-blocks     Used Available Capacity Mounted on"
for a in "$@"; do
  case "$a" in -*) ;; *) echo "/dev/nvme1n1     819200000 10485760 808714240       2% $a" ;; esac
done
`;

const CURL = `#!/bin/bash
# The preflight's reachability question (curl -w '%{http_code}' https://HOST/), answered without a request.
url=""
code=0
for a in "$@"; do
  case "$a" in https://* | http://*) url="$a" ;; *%{http_code}*) code=1 ;; esac
done
if [ "$code" = 1 ] && [ -n "$url" ]; then
  ${NOTE('nothing was sent to $url: the demo never uses the network')}
  printf 200
  exit 0
fi
echo "curl (ptb demo stand-in): no network in the demo" >&2
exit 7
`;

export const STAND_INS: Record<string, string> = {
  'nvidia-smi': NVIDIA_SMI,
  apptainer: APPTAINER,
  'fuse-overlayfs': FUSE_OVERLAYFS,
  fusermount: FUSERMOUNT,
  df: DF,
  curl: CURL,
};
