#!/usr/bin/env bash
# Every test: type check, lint, unit, integration (the real local Slurm cluster) and end to end
# (the bundled ptb in a pseudo-terminal). Extra arguments go to vitest (e.g. a file filter).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-cluster.sh all
npx tsc --noEmit
npx eslint --max-warnings=0 .
# One format (Prettier, .prettierrc.json): `npm run format` writes it.
npx prettier --check . > /dev/null || { npx prettier --list-different .; echo 'not formatted: run npm run format' >&2; exit 1; }
node scripts/build.mjs
mkdir -p .test-results
status=0
npx vitest run --reporter=default --reporter=json --outputFile=.test-results/vitest.json "$@" || status=$?
# One closing line in the plain "N passed, N failed" form, whatever the reporter printed above.
node -e '
  const r = JSON.parse(require("fs").readFileSync(".test-results/vitest.json", "utf8"));
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
' || true
exit $status
