#!/usr/bin/env bash
# bench-cabinet.sh - `make bench-cabinet`: the time from login to a rendered
# queue of 50 messages in the staff cabinet with BENCH_MESSAGES (default a
# million) messages in the database, in Debian's chromium (bench/cabinet.mjs).
# A private stack on free ports, the messages of bench/data.sql (the same as
# `make bench`'s); reported, not asserted, and not part of `make test`.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
MESSAGES=${BENCH_MESSAGES:-1000000}

# shellcheck source=scripts/free-port.sh
. "$ROOT/scripts/free-port.sh"
VAR=$(mktemp -d /tmp/otklik-bench-cabinet.XXXXXX)
chmod 755 "$VAR"
export OTKLIK_VAR=$VAR OTKLIK_BIN=$ROOT/bin
PORT=$(free_port) OTKLIK_PG_PORT=$(free_port) OTKLIK_DEMO_PORT=$(free_port) OTKLIK_ESIA_DEV_PORT=$(free_port)
export PORT OTKLIK_PG_PORT OTKLIK_DEMO_PORT OTKLIK_ESIA_DEV_PORT
# shellcheck disable=SC2317 # called by the trap
stop() { scripts/stack.sh stop >/dev/null 2>&1 || true; rm -rf "$VAR"; }
trap stop EXIT
scripts/stack.sh start >/dev/null
eval "$(scripts/stack.sh env)"

echo "bench-cabinet: loading $MESSAGES messages" >&2
/usr/lib/postgresql/15/bin/psql "$OTKLIK_DATABASE_URL" -XAtq -v ON_ERROR_STOP=1 \
  -v citizens=10000 -v messages="$MESSAGES" -v ballots=0 -f bench/data.sql
node bench/cabinet.mjs
