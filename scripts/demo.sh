#!/usr/bin/env bash
# `npm run demo`: the local single-node Slurm cluster, the demo site (.demo/: the fixture checkout,
# placeholder images, an HF cache, stand-ins for the GPU node's tools, a history), then ptb on it.
# `npm run demo -- --reset` puts the site back to its first state.
set -euo pipefail
cd "$(dirname "$0")/.."
if command -v sinfo >/dev/null 2>&1 && scontrol ping >/dev/null 2>&1 && ! head -1 /etc/slurm/slurm.conf 2>/dev/null | grep -q 'ptb-slurm scripts/local-slurm.sh'; then
  echo "A real Slurm cluster answers here: the demo runs only on the local demo cluster it starts, so that its simulated jobs never reach a real one." >&2
  echo "On a real cluster, run ptb itself: npm run build && node dist/ptb.js (see the README's 'Five minutes on a real cluster')." >&2
  exit 1
fi
bash scripts/ensure-cluster.sh
if ! command -v uuidgen >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "demo: installing uuidgen (uuid-runtime), which upstream's run_task.sh names every run with" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq uuid-runtime >/dev/null
fi
node scripts/build.mjs
environment=$(node scripts/run-ts.mjs scripts/demo/main.ts "$@")
eval "$environment"
exec node dist/ptb.js
