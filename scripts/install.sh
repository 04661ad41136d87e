#!/usr/bin/env bash
# install.sh - `make install` and `make uninstall`: puts the built platform
# (or removes it) under DESTDIR with the layout of README.md's "Installing":
#
#   $BINDIR/otklikctl                     the command-line tool
#   $LIBEXECDIR/otklik-<module>, otklik-notifier   the programs systemd runs
#   $DATADIR/sql/                         migrations and demo data (OTKLIK_SQL_DIR)
#   $DATADIR/widget-js/dist/, web/dist/, docs/dist/openapi.json   what nginx serves
#   $SYSCONFDIR/otklik/nginx/             a snippet for nginx's http block
#   $SYSCONFDIR/otklik/otklik.env         the environment (kept if it is there)
#   $UNITDIR/otklik-*                     systemd units; $SYSUSERSDIR/otklik.conf
#   $DOCDIR/README.md, $MANDIR/man1/otklikctl.1
#
#   install.sh install | uninstall | list
# Every directory comes from the environment (the Makefile exports them);
# `list` prints the files install writes, without DESTDIR, one a line.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

: "${BIN:?}" "${MODULES:?}" "${BINDIR:?}" "${LIBEXECDIR:?}" "${DATADIR:?}" "${DOCDIR:?}"
: "${MANDIR:?}" "${SYSCONFDIR:?}" "${UNITDIR:?}" "${SYSUSERSDIR:?}" "${RUNDIR:?}" "${NGINXLOGDIR:?}"
DESTDIR=${DESTDIR:-}
NGINX_LISTEN=${NGINX_LISTEN:-80}
METRICS_DIR=${METRICS_DIR:-/run/otklik-metrics}
MULTIWATCH=${MULTIWATCH:-/usr/bin/multiwatch}
read -r -a modules <<<"$MODULES"
conf=$SYSCONFDIR/otklik

# what install writes: "mode source destination" lines, sources relative to ROOT
# ("-" for the rendered ones: nginx/, units)
manifest() {
  echo "755 $BIN/otklikctl $BINDIR/otklikctl"
  echo "755 $BIN/otklik-notifier $LIBEXECDIR/otklik-notifier"
  local m f
  for m in "${modules[@]}"; do echo "755 $BIN/otklik-$m $LIBEXECDIR/otklik-$m"; done
  for f in $(find sql widget-js/dist web/dist -type f | LC_ALL=C sort); do
    echo "644 $f $DATADIR/$f"
  done
  echo "644 docs/dist/openapi.json $DATADIR/docs/dist/openapi.json"
  echo "644 README.md $DOCDIR/README.md"
  echo "644 docs/man/otklikctl.1 $MANDIR/man1/otklikctl.1"
  for f in nginx/*.conf nginx/*.conf.in; do
    f=$(basename "${f%.in}")
    echo "644 - $conf/nginx/$f"
  done
  echo "644 systemd/otklik.sysusers $SYSUSERSDIR/otklik.conf"
  for m in "${modules[@]}"; do
    echo "644 - $UNITDIR/otklik-$m.socket"
    echo "644 - $UNITDIR/otklik-$m.service"
  done
  for f in otklik-notifier.service otklik-tick.service otklik-tick.timer otklik.target; do
    echo "644 - $UNITDIR/$f"
  done
}

# a unit from systemd/<name>.in (or systemd/<name>) with the paths filled in
render_unit() { # template module
  local wants="" m
  for m in "${modules[@]}"; do wants+="otklik-$m.socket "; done
  wants+="otklik-tick.timer"
  sed -e "/@HARDENING@/{r systemd/hardening.conf" -e 'd}' \
      -e "s|@MODULE@|$2|g" -e "s|@BINDIR@|$BINDIR|g" -e "s|@LIBEXECDIR@|$LIBEXECDIR|g" \
      -e "s|@SYSCONFDIR@|$SYSCONFDIR|g" -e "s|@RUNDIR@|$RUNDIR|g" -e "s|@DOCDIR@|$DOCDIR|g" \
      -e "s|@MULTIWATCH@|$MULTIWATCH|g" -e "s|@WANTS@|$wants|g" "$1"
}

# the environment file, for a first installation
render_env() {
  sed -e "s|@SYSCONFDIR@|$SYSCONFDIR|g" -e "s|@METRICS_DIR@|$METRICS_DIR|g" \
      -e "s|@DATADIR@|$DATADIR|g" systemd/otklik.env.in
}

install_files() {
  local mode src dst
  while read -r mode src dst; do
    [ "$src" = - ] && continue
    install -D -m "$mode" "$src" "$DESTDIR$dst"
  done < <(manifest)
  # nginx: the snippet, for the installed paths (scripts/nginx-render.sh)
  local out=$DESTDIR$conf/nginx
  scripts/nginx-render.sh --snippet --out "$out" --conf "$conf/nginx" --root "$DATADIR" \
    --run "$RUNDIR" --log "$NGINXLOGDIR" --listen "$NGINX_LISTEN"
  chmod 644 "$out"/*.conf
  # systemd
  install -d "$DESTDIR$UNITDIR"
  local m
  for m in "${modules[@]}"; do
    render_unit systemd/otklik-worker.socket.in "$m" >"$DESTDIR$UNITDIR/otklik-$m.socket"
    render_unit systemd/otklik-worker.service.in "$m" >"$DESTDIR$UNITDIR/otklik-$m.service"
  done
  render_unit systemd/otklik-notifier.service.in "" >"$DESTDIR$UNITDIR/otklik-notifier.service"
  render_unit systemd/otklik-tick.service.in "" >"$DESTDIR$UNITDIR/otklik-tick.service"
  render_unit systemd/otklik-tick.timer "" >"$DESTDIR$UNITDIR/otklik-tick.timer"
  render_unit systemd/otklik.target.in "" >"$DESTDIR$UNITDIR/otklik.target"
  chmod 644 "$DESTDIR$UNITDIR"/otklik*
  # the environment: an administrator's file is never overwritten
  if [ -e "$DESTDIR$conf/otklik.env" ]; then
    echo "install: keeping $DESTDIR$conf/otklik.env"
  else
    install -d "$DESTDIR$conf"
    render_env >"$DESTDIR$conf/otklik.env"
    chmod 644 "$DESTDIR$conf/otklik.env"
  fi
}

# removes what install wrote, then the directories left empty; the
# environment file stays (it is the administrator's)
uninstall_files() {
  local mode src dst
  while read -r mode src dst; do
    rm -f "$DESTDIR$dst"
  done < <(manifest)
  local d
  for d in "$DATADIR" "$LIBEXECDIR" "$DOCDIR" "$conf/nginx"; do
    [ -d "$DESTDIR$d" ] && find "$DESTDIR$d" -depth -type d -empty -delete
  done
  if [ -e "$DESTDIR$conf/otklik.env" ]; then
    echo "uninstall: $DESTDIR$conf/otklik.env is kept (remove it by hand)"
  fi
  return 0
}

case "${1:-}" in
  install) install_files ;;
  uninstall) uninstall_files ;;
  list) manifest | cut -d' ' -f3; echo "$conf/otklik.env" ;;
  *) echo "usage: $0 install|uninstall|list" >&2; exit 2 ;;
esac
