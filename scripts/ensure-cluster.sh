#!/usr/bin/env bash
# Makes sure the local test clusters are up before the demo or the tests use them:
#   ensure-cluster.sh          Slurm 22.05 (the demo's)
#   ensure-cluster.sh all      22.05 and 24.11 (npm test: the integration and end-to-end suites run on both)
# As root it brings them up (installing Slurm on Debian when needed); otherwise it checks that they
# are up and says how to start them.
set -u
cd "$(dirname "$0")/.."
versions=(22.05)
[ "${1:-}" = all ] && versions=(22.05 24.11)
for v in "${versions[@]}"; do
  if [ "$(id -u)" = 0 ]; then
    PTB_SLURM=$v bash scripts/local-slurm.sh up || exit 1
  elif ! PTB_SLURM=$v bash scripts/local-slurm.sh status >/dev/null 2>&1; then
    echo "The local Slurm $v test cluster is not running, and starting it needs root: run 'sudo PTB_SLURM=$v bash scripts/local-slurm.sh up' once, then try again." >&2
    exit 1
  fi
done
