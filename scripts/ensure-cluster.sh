#!/usr/bin/env bash
# Makes sure the local test cluster is up before the demo or the tests use it.
# As root it brings the cluster up (installing Slurm on Debian when needed); otherwise it checks
# that the cluster is already up and says how to start it.
set -u
cd "$(dirname "$0")/.."
if [ "$(id -u)" = 0 ]; then
  exec bash scripts/local-slurm.sh up
fi
if bash scripts/local-slurm.sh status >/dev/null 2>&1; then exit 0; fi
echo "The local Slurm test cluster is not running, and starting it needs root: run 'sudo bash scripts/local-slurm.sh up' once, then try again." >&2
exit 1
