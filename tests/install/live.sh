#!/usr/bin/env bash
# live.sh - `make deb-live`: the Debian package installed and run for real,
# under systemd as PID 1. The machine itself runs no systemd (CI's neither),
# so this boots one: a container (systemd-nspawn, Debian's systemd-container)
# whose root is this machine's own file system under a copy-on-write overlay
# (the changes in a tmpfs, thrown away after), with a network of its own
# (loopback only: nothing it starts is reachable from here, or clashes with
# what runs here). Inside, tests/install/live-inside.sh installs
# build/deb/otklik_*.deb with apt, follows README's "From the Debian package"
# command by command, and uses the platform through nginx and the units'
# socket activation. Needs root, the package built (make deb), and what it
# depends on installed (make deps installs it).
set -euo pipefail
cd "$(dirname "$0")/../.."
deb=$(find build/deb -maxdepth 1 -name 'otklik_*.deb' 2>/dev/null | head -1)
[ -n "$deb" ] || { echo "deb-live: no build/deb/otklik_*.deb (make deb)" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "deb-live: needs root (a container)" >&2; exit 1; }
command -v systemd-nspawn >/dev/null || {
  echo "deb-live: installing systemd-container"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends systemd-container >/dev/null
}

dir=$(mktemp -d /tmp/otklik-live.XXXXXX)
mkdir -p "$dir/changes" "$dir/root"
# shellcheck disable=SC2317 # called by the trap
cleanup() {
  umount -l "$dir/root" 2>/dev/null || true
  umount -l "$dir/changes" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
mount -t tmpfs -o size=4g tmpfs "$dir/changes"
mkdir "$dir/changes/upper" "$dir/changes/work"
mount -t overlay overlay -o "lowerdir=/,upperdir=$dir/changes/upper,workdir=$dir/changes/work" "$dir/root"
root=$dir/root

# what the container starts with: the package, the script, the unit that runs
# it once the system is up; nothing of this machine's running state
cp "$deb" "$root/root/otklik.deb"
install -m 755 tests/install/live-inside.sh "$root/root/live-inside.sh"
cat >"$root/etc/systemd/system/otklik-live.service" <<'UNIT'
[Unit]
Description=Otklik's package, installed and used
After=network.target postgresql.service nginx.service
[Service]
Type=oneshot
ExecStart=/root/live-inside.sh
UNIT
mkdir -p "$root/etc/systemd/system/multi-user.target.wants"
ln -sf /etc/systemd/system/otklik-live.service "$root/etc/systemd/system/multi-user.target.wants/"
rm -f "$root/var/tmp/otklik-live.log"

echo "deb-live: booting a container with systemd to install $(basename "$deb")"
timeout 600 systemd-nspawn -q -D "$root" --boot --register=no --keep-unit --private-network \
  -M "otklik-live-$$" >"$dir/console.log" 2>&1 </dev/null || true
log=build/deb/live.log
cp "$root/var/tmp/otklik-live.log" "$log" 2>/dev/null || : >"$log"
if grep -qx LIVE-OK "$log"; then
  echo "deb-live: installed with apt, set up as README says, served by systemd's units: OK (build/deb/live.log)"
  exit 0
fi
echo "deb-live: FAILED; the script's output:" >&2
cat "$log" >&2 2>/dev/null || echo "(none: the container did not get as far)" >&2
echo "deb-live: the container's console:" >&2
tail -n 60 "$dir/console.log" >&2
exit 1
