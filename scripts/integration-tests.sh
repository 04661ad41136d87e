#!/usr/bin/env bash
# integration-tests.sh - starts a private stack (sanitizer build) on free
# loopback ports in a temporary directory, runs tests/integration/*.test.mjs
# against it through nginx, stops it, and fails on any sanitizer report.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1

# shellcheck source=scripts/free-port.sh
. "$ROOT/scripts/free-port.sh"

VAR=$(mktemp -d /tmp/otklik-test.XXXXXX)
chmod 755 "$VAR"
export OTKLIK_VAR=$VAR
export OTKLIK_BIN=$ROOT/build/asan/bin
PORT=$(free_port) OTKLIK_PG_PORT=$(free_port)
OTKLIK_ESIA_DEV_PORT=$(free_port) OTKLIK_DEMO_PORT=$(free_port) OTKLIK_ESIA_GOST_PORT=$(free_port)
export PORT OTKLIK_PG_PORT OTKLIK_ESIA_DEV_PORT OTKLIK_DEMO_PORT OTKLIK_ESIA_GOST_PORT
export OTKLIK_PG_FAST=1
PROXY_PORT=$(free_port)
# the login worker reaches the provider's token endpoint through the fault proxy;
# with OTKLIK_ESIA_PROTOCOL=v2 (ESIA's newer protocol, GOST) the local GOST
# provider spoils its own answers on request
if [ "${OTKLIK_ESIA_PROTOCOL:-v1}" = v2 ]; then
  export OTKLIK_ESIA_PROXY_URL=http://127.0.0.1:$OTKLIK_ESIA_GOST_PORT
else
  export OTKLIK_ESIA_TOKEN_URL=http://127.0.0.1:$PROXY_PORT/token
  export OTKLIK_ESIA_PROXY_URL=http://127.0.0.1:$PROXY_PORT
fi
export OTKLIK_ESIA_TIMEOUT_MS=1500
# the notifier delivers to a receiver the notifier test starts on this port
HOOK_PORT=$(free_port)
export OTKLIK_WEBHOOK_URL=http://127.0.0.1:$HOOK_PORT/hook
export OTKLIK_WEBHOOK_SECRET=test-webhook-secret
export OTKLIK_NOTIFIER_POLL_MS=100 OTKLIK_NOTIFIER_MAX_BACKOFF_SECONDS=1
export OTKLIK_NOTIFIER_BATCH=5 OTKLIK_WEBHOOK_TIMEOUT_MS=1000
# the notifier's VK and Telegram senders reach the stand-in the channels tests
# start (tests/integration/networks-standin.mjs) on these ports
OTKLIK_VK_API_URL=http://127.0.0.1:$(free_port)
OTKLIK_TELEGRAM_API_URL=http://127.0.0.1:$(free_port)
export OTKLIK_VK_API_URL OTKLIK_TELEGRAM_API_URL
# and its e-mail sender the SMTP server of channels-operator.test.mjs (npm smtp-server)
export OTKLIK_SMTP_URL=smtp://127.0.0.1:$(free_port) OTKLIK_SMTP_FROM=otklik@demo.example
export OTKLIK_SMTP_AUTH_FILE=$VAR/smtp-auth
(umask 077; echo 'otklik:smtp-test-password' >"$OTKLIK_SMTP_AUTH_FILE")
export OTKLIK_PROCESSES=2
export OTKLIK_THREADS=4
# intake limits high enough for the concurrency tests
export OTKLIK_INTAKE_RATE=100000r/s OTKLIK_INTAKE_BURST=100000
export OTKLIK_ADDRESS_RATE=100000r/s OTKLIK_ADDRESS_BURST=100000
export ASAN_OPTIONS="detect_leaks=1:log_path=$VAR/log/asan:abort_on_error=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$VAR/log/ubsan"
mkdir -p "$VAR/log"

# shellcheck disable=SC2317 # called by the trap
stop() {
  [ -n "${proxy_pid:-}" ] && kill "$proxy_pid" 2>/dev/null
  scripts/stack.sh stop
  if [ "${KEEP_TEST_VAR:-0}" != 1 ]; then
    rm -rf "$VAR"
    pgdata=$(scripts/stack.sh env | sed -n 's/^export OTKLIK_PGDATA=//p')
    case "$pgdata" in /var/lib/otklik/*) rm -rf "$pgdata" "$pgdata.sock" ;; esac
  fi
}
trap stop EXIT

scripts/stack.sh start || { cat "$VAR"/log/*.log >&2; exit 1; }
eval "$(scripts/stack.sh env)"
export OTKLIK_BIN
PROXY_PORT=$PROXY_PORT PROVIDER_TOKEN_URL=$OTKLIK_ESIA_ISSUER/token \
PROVIDER_JWKS_FILE=$VAR/secrets/esia-dev-jwks.json \
  node tests/integration/idp-proxy.mjs >>"$VAR/log/idp-proxy.log" 2>&1 &
proxy_pid=$!

files=("$@")
[ ${#files[@]} -gt 0 ] || files=(tests/integration/*.test.mjs tests/browser/*.test.mjs)
node --test --test-reporter=spec --test-concurrency=1 "${files[@]}"
status=$?

# Workers stop gracefully, so LeakSanitizer gets to report too.
scripts/stack.sh stop
reports=$(ls "$VAR"/log/asan.* "$VAR"/log/ubsan.* 2>/dev/null)
if [ -n "$reports" ]; then
  echo "integration: sanitizer reports:" >&2
  cat $reports >&2
  status=1
fi
if grep -l 'runtime error\|AddressSanitizer' "$VAR"/log/*.log >/dev/null 2>&1; then
  echo "integration: sanitizer errors in worker logs" >&2
  status=1
fi
if [ $status -ne 0 ]; then
  echo "integration: FAILED; last worker log lines:" >&2
  tail -n 5 "$VAR"/log/*.log >&2
fi
exit $status
