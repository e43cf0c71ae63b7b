#!/usr/bin/env bash
# Settings persist: a second mmp process on the same root shows what the
# first set (SPEC §7), and a refused change leaves the settings as they were.
set -u
mmp=$1
root=$(mktemp -d /tmp/mmp-persist.XXXXXX)
trap 'rm -rf "$root"' EXIT
"$mmp" --root "$root" -e <<'CMDS' >/dev/null || { echo "FAIL: setup commands failed"; exit 1; }
callbridge listen a b
callbridge prefer b
callbridge add edge 192.0.2.10:5061
CMDS
"$mmp" --root "$root" -c 'callbridge listen e' >/dev/null && { echo "FAIL: a bad interface was accepted"; exit 1; }
got=$("$mmp" --root "$root" -c 'callbridge')
want='Listening interfaces  : a b
Preferred interface   : b
Key file              : none
Certificate file      : none
CA Bundle file        : none
C2W trusted certs     : none
Cluster trusted certs : none
Cluster peers         : none
Edge trusted certs    : none
Edge address          : 192.0.2.10:5061'
if [ "$got" != "$want" ]; then
	diff -u <(echo "$want") <(echo "$got")
	echo "FAIL: a second process does not see the settings"
	exit 1
fi
[ "$(stat -c %a "$root")" = 700 ] || { echo "FAIL: root mode"; exit 1; }
echo "store-persist: ok"
