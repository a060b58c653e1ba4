#!/usr/bin/env bash
# Brings up the local single-node Slurm cluster (when no Slurm is around) and opens ptb
# against the PostTrainBench-shaped fixture checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
if command -v sinfo >/dev/null 2>&1 && scontrol ping >/dev/null 2>&1 && ! head -1 /etc/slurm/slurm.conf 2>/dev/null | grep -q 'ptb-slurm scripts/local-slurm.sh'; then
  echo "A real Slurm cluster answers here: opening ptb against it (the local demo cluster is not started)."
else
  bash scripts/ensure-cluster.sh
fi
node scripts/build.mjs
exec node dist/ptb.js --checkout test/fixtures/ptb-checkout "$@"
