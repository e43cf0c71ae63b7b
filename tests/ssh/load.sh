#!/usr/bin/env bash
# Load (issue 4): 20 SSH sessions at once, each running 50 commands in
# script mode (pki inspect, and setting changes callbridge listen a / b).
# Every command succeeds and the audit log holds all 1000 of them.
# Prints the figures (seconds).
# Usage: bash tests/ssh/load.sh <mmp-sshd> <mmp>
source "$(dirname "$0")/common.bash"

sessions=20
per=50
add_user alice admin 'alice-pw-123'
add_user bob crypto 'bob-pw-1234'
start_sshd
"$mmp" --root "$root" -c 'pki selfsigned loadca CN:"Load CA"' >/dev/null || fail "pki selfsigned"
before=$("$mmp" --root "$root" -c 'audit 10000' | grep -c ' command: ')

for s in $(seq 1 "$sessions"); do
	for i in $(seq 1 "$per"); do
		case $((i % 3)) in
		0) echo "pki inspect loadca.crt" ;;
		1) echo "callbridge listen a" ;;
		2) echo "callbridge listen b" ;;
		esac
	done >"$work/s$s.cmd"
done
t0=$(date +%s%N)
for s in $(seq 1 "$sessions"); do
	pw_ssh alice alice-pw-123 -T <"$work/s$s.cmd" >"$work/s$s.out" 2>&1 &
done
failed=0
for s in $(seq 1 "$sessions"); do
	wait -n || failed=$((failed + 1))
done
t1=$(date +%s%N)
[ "$failed" = 0 ] || fail "$failed of $sessions sessions failed (first lines: $(cat "$work"/s*.out | grep -m3 FAILURE))"
bad=$(cat "$work"/s*.out | grep -cE '^(line [0-9]+: )?FAILURE' || true)
[ "$bad" = 0 ] || fail "$bad commands failed: $(cat "$work"/s*.out | grep -m3 -E '^(line [0-9]+: )?FAILURE')"
n=$(cat "$work"/s*.out | grep -c '^  Subject  *: CN = Load CA$' || true)
want=$((sessions * (per / 3)))
[ "$n" = "$want" ] || fail "$n pki inspect outputs, want $want"

t2=$(date +%s%N)
log=$("$mmp" --root "$root" -c 'audit 10000')
t3=$(date +%s%N)
got=$(echo "$log" | grep -cE ' alice@127\.0\.0\.1 command: (pki inspect loadca\.crt|callbridge listen [ab]) \[ok\]$')
# every command entry since "before", less the audit command that read "before"
total=$(($(echo "$log" | grep -c ' command: ') - before - 1))
[ "$got" = $((sessions * per)) ] || fail "the audit log holds $got of the $((sessions * per)) commands"
logins=$(echo "$log" | grep -c 'alice@127\.0\.0\.1 login: ssh password \[ok\]')
[ "$logins" = "$sessions" ] || fail "$logins audited logins, want $sessions"
"$mmp" --root "$root" -c 'callbridge' | grep -qE '^Listening interfaces *: [ab]$' || fail "final listen setting"
secs() { awk -v n="$1" 'BEGIN { printf "%.2f", n / 1e9 }'; }
echo "load: $sessions sessions x $per commands = $((sessions * per)) in $(secs $((t1 - t0))) s" \
	"($(awk -v n=$((t1 - t0)) -v c=$((sessions * per)) 'BEGIN { printf "%.0f", c / (n / 1e9) }') commands/s)," \
	"all succeeded, $got audited (audit read in $(secs $((t3 - t2))) s, $total command entries in all): ok"
