# shellcheck shell=bash
# private-stack.sh - sourced by the scripts that run a stack of their own
# (the benchmarks, lighthouse): private_stack_env NAME makes a fresh
# directory /tmp/otklik-NAME.XXXXXX ($VAR) and picks free loopback ports for
# nginx, PostgreSQL, the demo agency site and the identity provider, exported
# for scripts/stack.sh; private_stack_start starts the stack with the demo
# data, exports its environment (OTKLIK_DATABASE_URL, OTKLIK_BASE_URL...), and
# has it stopped and its directory removed on exit (KEEP_BENCH_VAR=1 keeps
# the directory). Set what else the stack should see between the two calls.
# shellcheck source=scripts/free-port.sh
. "$ROOT/scripts/free-port.sh"

private_stack_env() {
  VAR=$(mktemp -d "/tmp/otklik-$1.XXXXXX")
  chmod 755 "$VAR"
  export OTKLIK_VAR=$VAR OTKLIK_BIN=${OTKLIK_BIN:-$ROOT/bin}
  PORT=$(free_port) OTKLIK_PG_PORT=$(free_port) OTKLIK_DEMO_PORT=$(free_port) OTKLIK_ESIA_DEV_PORT=$(free_port)
  export PORT OTKLIK_PG_PORT OTKLIK_DEMO_PORT OTKLIK_ESIA_DEV_PORT
}

# shellcheck disable=SC2317 # called by the trap
private_stack_stop() {
  scripts/stack.sh stop >/dev/null 2>&1 || true
  [ "${KEEP_BENCH_VAR:-0}" = 1 ] || rm -rf "$VAR"
}

private_stack_start() {
  trap private_stack_stop EXIT
  scripts/stack.sh start >/dev/null
  eval "$(scripts/stack.sh env)"
}
