#!/usr/bin/env bash
# Crash safety (issue 3, SPEC §4): SIGKILL mmp at 50 random moments during a
# stream of setting changes and pki writes. After each kill: the settings
# database passes PRAGMA integrity_check, the setting holds a value that was
# written, every key, certificate and CSR in the store parses whole (no torn
# file under a final name), keys stay 0600, and the temporary files a kill
# leaves behind are removed by the next mmp that opens the store.
set -u
mmp=$1
kills=${2:-50}
root=$(mktemp -d /tmp/mmp-crash.XXXXXX)
trap 'rm -rf "$root"' EXIT
"$mmp" --root "$root" -e >/dev/null <<'CMDS' || { echo "FAIL: setup"; exit 1; }
pki selfsigned ca
pki csr leaf CN:leaf.example.com
pki sign leaf ca
CMDS
stream="$root/stream.cmd"
for i in $(seq 1 3000); do
	echo "callbridge add edge 192.0.2.1:$((1000 + i))"
	[ $((i % 20)) = 0 ] && echo "pki sign leaf ca"
	[ $((i % 50)) = 0 ] && echo "pki selfsigned k$i-$RANDOM"
done >"$stream"
last=0
for k in $(seq 1 "$kills"); do
	"$mmp" --root "$root" <"$stream" >/dev/null 2>&1 &
	pid=$!
	sleep "0.$(printf '%03d' $((RANDOM % 400 + 20)))"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	ic=$(sqlite3 "$root/mmp.db" 'PRAGMA integrity_check')
	[ "$ic" = ok ] || { echo "FAIL kill $k: integrity_check says $ic"; exit 1; }
	edge=$(sqlite3 "$root/mmp.db" "SELECT value FROM settings WHERE key = 'callbridge.edge'")
	port=${edge##*:}
	if [ -n "$edge" ]; then
		case "$edge" in 192.0.2.1:[0-9]*) ;; *) echo "FAIL kill $k: edge is \"$edge\""; exit 1 ;; esac
		[ "$port" -ge 1001 ] && [ "$port" -le 4000 ] || { echo "FAIL kill $k: port $port"; exit 1; }
	fi
	for f in "$root"/files/*; do
		case "$f" in
		*.key) openssl pkey -in "$f" -noout 2>/dev/null || { echo "FAIL kill $k: torn key $f"; exit 1; } ;;
		*.crt) openssl x509 -in "$f" -noout 2>/dev/null || { echo "FAIL kill $k: torn certificate $f"; exit 1; } ;;
		*.csr) openssl req -in "$f" -noout 2>/dev/null || { echo "FAIL kill $k: torn CSR $f"; exit 1; } ;;
		esac
	done
	for f in "$root"/files/*.key; do
		[ "$(stat -c %a "$f")" = 600 ] || { echo "FAIL kill $k: $f mode $(stat -c %a "$f")"; exit 1; }
	done
	last=${port:-0}
done
"$mmp" --root "$root" -c 'pki list' >/dev/null
left=$(find "$root/files" -name '.tmp-*' | wc -l)
[ "$left" = 0 ] || { echo "FAIL: $left temporary files left after a clean start"; exit 1; }
openssl verify -CAfile "$root/files/ca.crt" "$root/files/leaf.crt" >/dev/null ||
	{ echo "FAIL: leaf.crt does not verify"; exit 1; }
echo "store-crash: $kills kills, integrity ok, no torn file, last edge port $last: ok"
