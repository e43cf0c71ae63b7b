#!/usr/bin/env bash
# Login limits (issue 4 point 6): at most 3 authentication attempts per
# connection; at most 10 connections still logging in at once (the next one
# waits, unanswered, until a slot frees); 30 s to finish logging in.
# Takes about 35 s (the 30 s login limit is waited out, not shortened).
# Usage: bash tests/ssh/limits.sh <mmp-sshd> <mmp>
source "$(dirname "$0")/common.bash"

add_user alice admin 'alice-pw-123'
start_sshd

# 3 attempts per connection: the client would try 6 passwords
cat >"$work/askpass" <<EOF
#!/bin/sh
echo asked >>"$work/asked"
echo not-the-password
EOF
chmod +x "$work/askpass"
# shellcheck disable=SC2046
SSH_ASKPASS=$work/askpass SSH_ASKPASS_REQUIRE=force DISPLAY=:0 \
	ssh $(ssh_opts) -o PubkeyAuthentication=no -o NumberOfPasswordPrompts=6 alice@127.0.0.1 true \
	</dev/null >"$work/tries.out" 2>&1 && fail "a wrong password logged in"
n=$(grep -c 'login failed of alice by ssh password' "$work/sshd.log")
[ "$n" = 3 ] || fail "the server checked $n passwords in one connection, want 3"
# (the client may ask a 4th time before it reads the disconnect)
[ "$(wc -l <"$work/asked")" -le 4 ] || fail "the client was asked $(wc -l <"$work/asked") times"
grep -q '3 failed logins: disconnected' "$work/sshd.log" || fail "no log of the disconnect"

# 10 connections that never log in hold every login slot
t0=$(date +%s)
fds=()
for i in $(seq 1 10); do
	exec {fd}<>"/dev/tcp/127.0.0.1/$port" || fail "connection $i"
	read -r -t 10 banner <&"$fd" || fail "no banner on idle connection $i"
	case $banner in SSH-2.0-*) ;; *) fail "banner $i: $banner" ;; esac
	fds+=("$fd")
done
(cat <&"${fds[0]}" >/dev/null; echo $(($(date +%s) - t0)) >"$work/closed-after") &
reader=$!
timeout 5 sshpass -p alice-pw-123 ssh $(ssh_opts) -o PubkeyAuthentication=no alice@127.0.0.1 'pki list' \
	>"$work/11th.out" 2>&1
st=$?
[ "$st" = 124 ] || fail "an 11th login was served while 10 were logging in (status $st): $(cat "$work/11th.out")"
# the server ends them after 30 s, and logins work again
wait "$reader"
closed=$(cat "$work/closed-after")
[ "$closed" -ge 29 ] && [ "$closed" -le 36 ] || fail "an idle login was closed after ${closed} s, want 30"
for fd in "${fds[@]}"; do exec {fd}<&-; done
out=$(pw_ssh alice alice-pw-123 'pki list' 2>&1) || fail "login after the idle ones ended: $out"
echo "limits: 3 tries per connection, 11th login held while 10 wait, idle login closed after ${closed} s: ok"
