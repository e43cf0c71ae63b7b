#!/usr/bin/env bash
# Login limits (issues 4 and 10): at most 3 authentication attempts per
# connection; 10 s to finish the key exchange and 30 s (here 6) to log in;
# at most 4 connections of one source address logging in at once, the next
# ones waiting (at most 16, at most 10 s) and the rest closed at once,
# never left in the kernel's backlog; a session channel that sends no
# request is closed after 10 s.
# Usage: bash tests/ssh/limits.sh <mmp-sshd> <mmp>
source "$(dirname "$0")/common.bash"
poke=$(dirname "$mmp")/sshpoke

add_user alice admin 'alice-pw-123'
ssh-keygen -q -t ed25519 -N '' -f "$work/ak" && cp "$work/ak.pub" "$root/files/alice.pub"
sshd_args=(--limit login_seconds=6)
start_sshd

# 3 attempts per connection: the client would try 6 passwords
cat >"$work/askpass" <<EOS
#!/bin/sh
echo asked >>"$work/asked"
echo not-the-password
EOS
chmod +x "$work/askpass"
# shellcheck disable=SC2046
SSH_ASKPASS=$work/askpass SSH_ASKPASS_REQUIRE=force DISPLAY=:0 \
	ssh $(ssh_opts) -o PubkeyAuthentication=no -o NumberOfPasswordPrompts=6 alice@127.0.0.1 true \
	</dev/null >"$work/tries.out" 2>&1 && fail "a wrong password logged in"
n=$(grep -c 'login failed of alice by ssh password' "$work/sshd.log")
[ "$n" = 3 ] || fail "the server checked $n passwords in one connection, want 3"
[ "$(wc -l <"$work/asked")" -le 4 ] || fail "the client was asked $(wc -l <"$work/asked") times"
grep -q '3 failed logins: disconnected' "$work/sshd.log" || fail "no log of the disconnect"

# the key exchange must end within 10 s: a connection that only reads the
# banner is closed then (the default kex_seconds)
out=$("$poke" idle-tcp --port "$port" --bind 127.0.0.21 --count 1 --seconds 14) || fail "idle-tcp: $out"
[ "$out" = "idle-tcp opened=1 closed-by-server=1 max-open=1 open-at-end=0 failed=0" ] ||
	fail "an idle connection was not closed within 14 s: $out"
t=$(grep -o 'connection from 127.0.0.21 .*' "$work/sshd.log" | head -n1)
[ -n "$t" ] || fail "no log of the idle connection"

# logging in must end within login_seconds (6 here) of the connect: a client
# that never answers its password prompt is cut off
cat >"$work/slowpass" <<EOS
#!/bin/sh
sleep 30
EOS
chmod +x "$work/slowpass"
t0=$(date +%s%N)
# shellcheck disable=SC2046
SSH_ASKPASS=$work/slowpass SSH_ASKPASS_REQUIRE=force DISPLAY=:0 timeout 25 \
	ssh $(ssh_opts) -o PubkeyAuthentication=no alice@127.0.0.1 true </dev/null >/dev/null 2>&1 &
for i in $(seq 1 150); do
	grep -q 'login not done within 6 s: connection closed' "$work/sshd.log" && break
	sleep 0.1
done
took=$((($(date +%s%N) - t0) / 1000000))
grep -q 'login not done within 6 s: connection closed' "$work/sshd.log" || fail "a login that never ended was not cut off"
[ "$took" -ge 5500 ] && [ "$took" -le 9000 ] || fail "a login that never ended was cut off after ${took} ms, want 6 s"
grep -q 'key exchange not done within 10 s: connection closed' "$work/sshd.log" || fail "the kex limit was not logged"

# one source: 4 log in at once, 16 wait, the rest are closed at once
"$poke" idle-tcp --port "$port" --bind 127.0.0.22 --count 30 --seconds 3 >"$work/burst.out" &
sleep 2
n=$(grep -c 'connection from 127.0.0.22 ' "$work/sshd.log")
wait $! || fail "burst: $(cat "$work/burst.out")"
grep -q 'closed-by-server=10 ' "$work/burst.out" || fail "30 idle connections from one source: $(cat "$work/burst.out"), want 10 closed at once"
[ "$n" = 4 ] || fail "$n connections of one source were started at once, want 4"
grep -q '127.0.0.22: 1 connection(s) dropped: 4 connections of this address are logging in and 16 waiting' "$work/sshd.log" ||
	fail "the drops were not logged"
# a waiting connection starts when a slot frees: 5 logins by key in parallel
pids=()
for i in 1 2 3 4 5 6; do
	SRC=127.0.0.23 key_ssh alice "$work/ak" 'pki list' >"$work/par$i.out" 2>&1 &
	pids+=($!)
done
wait "${pids[@]}"
for i in 1 2 3 4 5 6; do
	grep -qx 'alice.pub (login key of alice)' "$work/par$i.out" || fail "parallel login $i: $(cat "$work/par$i.out")"
done

# a session channel that sends no request is closed after 10 s
out=$("$poke" hold --port "$port" --user alice --key "$work/ak" --count 1 --seconds 14 --no-request)
echo "$out" | grep -qE '^conn 0 closed after (9|10|11|12)[0-9]{3} ms$' ||
	fail "a session channel without a request: $out"
grep -q 'no request on the session channel within 10 s: closed' "$work/sshd.log" || fail "not logged"
echo "limits: 3 tries, kex 10 s, login 6 s (${took} ms), 4 starting + 16 waiting per source, request 10 s: ok"
