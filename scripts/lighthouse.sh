#!/usr/bin/env bash
# lighthouse.sh - `make lighthouse`: Lighthouse's performance and
# accessibility scores of the portal's pages (bench/lighthouse/run.mjs) on a
# private stack on free ports with the demo data; reported, not asserted,
# and not part of `make test`. Reports in tests/artifacts/lighthouse-*.html.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

# shellcheck source=scripts/private-stack.sh
. "$ROOT/scripts/private-stack.sh"
private_stack_env lighthouse
private_stack_start
CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium} node bench/lighthouse/run.mjs
