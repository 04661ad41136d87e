# shellcheck shell=bash
# free-port.sh - sourced by the scripts that start a private stack: prints a
# TCP port nobody listens on at 127.0.0.1.
free_port() {
  local p
  while :; do
    p=$(( (RANDOM << 1 | RANDOM & 1) % 30000 + 20000 ))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}
