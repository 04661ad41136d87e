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

# shellcheck source=scripts/private-stack.sh
. "$ROOT/scripts/private-stack.sh"
private_stack_env bench-cabinet
private_stack_start

echo "bench-cabinet: loading $MESSAGES messages" >&2
/usr/lib/postgresql/15/bin/psql "$OTKLIK_DATABASE_URL" -XAtq -v ON_ERROR_STOP=1 \
  -v citizens=10000 -v messages="$MESSAGES" -v ballots=0 -f bench/data.sql
node bench/cabinet.mjs
