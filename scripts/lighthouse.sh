#!/usr/bin/env bash
# lighthouse.sh - `make lighthouse`: Lighthouse's performance and
# accessibility scores of the portal's pages (bench/lighthouse/run.mjs) on a
# private stack on free ports with the demo data; reported, not asserted,
# and not part of `make test`. Reports in tests/artifacts/lighthouse-*.html.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

# shellcheck source=scripts/free-port.sh
. "$ROOT/scripts/free-port.sh"
VAR=$(mktemp -d /tmp/otklik-lighthouse.XXXXXX)
chmod 755 "$VAR"
export OTKLIK_VAR=$VAR OTKLIK_BIN=$ROOT/bin
PORT=$(free_port) OTKLIK_PG_PORT=$(free_port) OTKLIK_DEMO_PORT=$(free_port) OTKLIK_ESIA_DEV_PORT=$(free_port)
export PORT OTKLIK_PG_PORT OTKLIK_DEMO_PORT OTKLIK_ESIA_DEV_PORT
# shellcheck disable=SC2317 # called by the trap
stop() { scripts/stack.sh stop >/dev/null 2>&1 || true; rm -rf "$VAR"; }
trap stop EXIT
scripts/stack.sh start >/dev/null
eval "$(scripts/stack.sh env)"
CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium} node bench/lighthouse/run.mjs
