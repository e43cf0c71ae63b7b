#!/usr/bin/env bash
# Concurrency (issue 3): 4 mmp processes on one root each run 250 setting
# changes at once. None may fail (no "database is locked"), and the final
# settings are the last values each process wrote.
set -u
mmp=$1
root=$(mktemp -d /tmp/mmp-conc.XXXXXX)
trap 'rm -rf "$root"' EXIT
# create the root and mmp.db; the preferred interface must be one the Call
# Bridge listens on, so writer 1's lists hold every interface writer 2 prefers
"$mmp" --root "$root" -c 'callbridge listen a b c d' >/dev/null
gen() { # writer number -> 250 commands
	local i
	for i in $(seq 1 250); do
		case $1 in
		1) if [ $((i % 2)) = 0 ]; then echo "callbridge listen a b c d"; else echo "callbridge listen d c b a"; fi ;;
		2) echo "callbridge prefer $(echo a b c d | cut -d' ' -f$((i % 4 + 1)))" ;;
		3) echo "callbridge add edge 192.0.2.$((i % 250 + 1)):$((5000 + i))" ;;
		4) echo "hostname node$i" ;;
		esac
	done
}
for w in 1 2 3 4; do
	gen $w >"$root/w$w.cmd"
done
SECONDS=0
for w in 1 2 3 4; do
	"$mmp" --root "$root" <"$root/w$w.cmd" >"$root/w$w.out" 2>&1 &
done
fail=0
for w in 1 2 3 4; do
	wait -n || fail=1
done
elapsed=$SECONDS
for w in 1 2 3 4; do
	# setting commands print only their confirmation on success
	if grep -vE '^(hostname set to node[0-9]*|callbridge (listen set to [a-d ]*|prefer set to [a-d]|edge set to [0-9.:]*))$' \
		"$root/w$w.out" | grep -q .; then
		echo "writer $w printed:"; head -5 "$root/w$w.out"; fail=1
	fi
done
[ $fail = 0 ] || { echo "FAIL: a writer failed"; exit 1; }
got=$("$mmp" --root "$root" -c 'callbridge' | grep -E '^(Listening|Preferred|Edge address)')
want='Listening interfaces  : a b c d
Preferred interface   : c
Edge address          : 192.0.2.1:5250'
if [ "$got" != "$want" ]; then
	diff -u <(echo "$want") <(echo "$got"); echo "FAIL: final settings"; exit 1
fi
got=$("$mmp" --root "$root" -c 'hostname')
[ "$got" = "node250" ] || { echo "FAIL: hostname is \"$got\", want node250"; exit 1; }
# the in-use check and the file change are one step: a certificate being
# installed by one process is never replaced by another's pki sign
"$mmp" --root "$root" -e >/dev/null <<'CMDS' || { echo "FAIL: race setup"; exit 1; }
pki selfsigned ca
pki selfsigned catwo
pki csr srv CN:srv.example.com
pki sign srv ca
CMDS
for i in $(seq 1 20); do
	"$mmp" --root "$root" -c 'callbridge certs none' >/dev/null
	"$mmp" --root "$root" -c 'pki sign srv ca' >/dev/null
	"$mmp" --root "$root" -c 'callbridge certs srv.key srv.crt ca.crt' >"$root/a.out" 2>&1 &
	"$mmp" --root "$root" -c 'pki sign srv catwo' >"$root/b.out" 2>&1 &
	wait
	if ! grep -q FAILURE "$root/a.out" && ! grep -q FAILURE "$root/b.out"; then
		echo "FAIL: round $i: callbridge certs and pki sign over its certificate both succeeded"
		exit 1
	fi
done
# A question does not hold the settings: while one session waits for a
# password (user add, in script mode reading a FIFO nobody writes yet),
# other sessions' commands, their audit entries and a setting change run
# at once (they waited 10 s and then failed), and the user is added once
# the answers come.
fifo=$root/answers
mkfifo "$fifo"
"$mmp" --root "$root" <"$fifo" >"$root/q.out" 2>&1 &
qpid=$!
exec 7>"$fifo"
echo 'user add slowtypist admin' >&7
sleep 0.5 # the question is asked
SECONDS=0
"$mmp" --root "$root" -c 'pki list' >"$root/p.out" 2>&1 || { echo "FAIL: pki list during a question: $(cat "$root/p.out")"; exit 1; }
"$mmp" --root "$root" -c 'hostname during-question' >"$root/h.out" 2>&1 ||
	{ echo "FAIL: a setting change during a question: $(cat "$root/h.out")"; exit 1; }
[ $SECONDS -le 2 ] || { echo "FAIL: commands waited ${SECONDS}s for another session's question"; exit 1; }
grep -q WARNING "$root/p.out" && { echo "FAIL: $(cat "$root/p.out")"; exit 1; }
printf 'Slow-typist-pw1\nSlow-typist-pw1\n' >&7
exec 7>&-
wait $qpid || { echo "FAIL: user add after the wait: $(cat "$root/q.out")"; exit 1; }
grep -q 'user slowtypist added' "$root/q.out" || { echo "FAIL: $(cat "$root/q.out")"; exit 1; }
"$mmp" --root "$root" -c 'audit 5' | grep -q 'hostname during-question \[ok\]' ||
	{ echo "FAIL: the setting change is not in the audit log"; exit 1; }
echo "store-concurrency: 1000 setting changes by 4 processes in ${elapsed}s, none failed; commands during another session's question: ok"
