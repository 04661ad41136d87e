# shellcheck shell=bash
# free-port.sh - sourced by the scripts that start a private stack: prints a
# TCP port nobody listens on at 127.0.0.1. Chosen below the kernel's
# ephemeral range: a port from inside it can be taken, before the test that
# listens on it starts, as the local port of one of the thousands of client
# connections a test run makes (the webhook receiver met EADDRINUSE so).
free_port() {
  local low p
  read -r low _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || low=32768
  ((low > 12000)) || low=32768
  while :; do
    p=$(( (RANDOM << 1 | RANDOM & 1) % (low - 10000) + 10000 ))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}
