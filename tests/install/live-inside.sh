#!/usr/bin/env bash
# live-inside.sh - run by systemd inside the container that live.sh boots:
# README's "From the Debian package", command by command, then the platform
# used through nginx and socket activation. Its output is the result
# (/var/tmp/otklik-live.log, read by live.sh); it powers the container off.
set -euxo pipefail
exec >/var/tmp/otklik-live.log 2>&1
trap 'echo "live: exit $?"; systemctl poweroff --no-block' EXIT
as_otklik() { runuser -u otklik -- sh -c "set -a; . /etc/otklik/otklik.env; $1"; }

# the package, with what it depends on (already on this machine; the container has no network to download from)
DEBIAN_FRONTEND=noninteractive apt-get install -y /root/otklik.deb
getent passwd otklik
# no service enabled by the package alone
if systemctl is-enabled otklik.target; then exit 1; fi

runuser -u postgres -- createuser otklik
runuser -u postgres -- createdb -O otklik -E UTF8 -T template0 otklik
runuser -u postgres -- psql -d otklik -c 'CREATE EXTENSION postgis; CREATE EXTENSION pg_trgm'
sh -c 'umask 027; head -c 48 /dev/urandom | base64 -w0 >/etc/otklik/token.key'
chgrp otklik /etc/otklik/token.key
sed -i 's|^OTKLIK_PUBLIC_ORIGIN=.*|OTKLIK_PUBLIC_ORIGIN=http://localhost|' /etc/otklik/otklik.env
as_otklik 'otklikctl config check && otklikctl migrate && otklikctl seed-demo'
ln -s /etc/otklik/nginx/otklik.conf /etc/nginx/sites-enabled/otklik
rm /etc/nginx/sites-enabled/default
nginx -t
systemctl restart nginx
systemctl enable --now otklik.target

# the platform answers through nginx; each worker is started by its socket
curl -fsS http://localhost/healthz
systemctl is-active otklik-widget.socket
curl -fsS http://localhost/api/v1/rubrics | head -c 200; echo
systemctl is-active otklik-widget.service
systemctl show -p User -p MainPID otklik-widget.service
token=$(as_otklik 'otklikctl token --esia-oid citizen1')
rubric=$(runuser -u postgres -- psql -d otklik -XAtqc "SELECT id FROM rubrics WHERE parent_id IS NOT NULL AND is_active ORDER BY id LIMIT 1")
status=$(curl -sS -o /var/tmp/sent.json -w '%{http_code}' -X POST http://localhost/api/v1/messages \
  -H "authorization: Bearer $token" -H 'content-type: application/json' -H 'idempotency-key: live-1' \
  -d "{\"rubric_id\": $rubric, \"text\": \"Во дворе дома 5 не горят фонари уже неделю.\"}")
cat /var/tmp/sent.json; echo
[ "$status" = 201 ]
# the worker runs as otklik, sandboxed; the timer's tick runs and succeeds
[ "$(ps -o user= -p "$(systemctl show -p MainPID --value otklik-widget.service)")" = otklik ]
systemctl is-active otklik-tick.timer
systemctl start otklik-tick.service
systemctl show -p Result otklik-tick.service | grep -x Result=success
# a worker killed is restarted; the next request is answered
pkill -KILL -f '^/usr/libexec/otklik/otklik-widget'
sleep 1
curl -fsS -o /dev/null http://localhost/api/v1/rubrics
journalctl -u 'otklik-*' --no-pager | tail -n 20
echo LIVE-OK
