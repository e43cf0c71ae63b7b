#!/usr/bin/env bash
# Operating mmp-sshd (issue 12 item 6): --pidfile holds the serving
# process's id (foreground and detached), goes on SIGTERM, and a second
# server over a running one's pidfile is refused with exit status 2; one
# "listening on" line with the host keys' fingerprints, the same as
# ssh-keygen -l and ssh-keyscan show; a warning with the first-admin
# commands while no user can log in, gone once there is one.
# Usage: bash tests/ssh/operate.sh <mmp-sshd> <mmp>
source "$(dirname "$0")/common.bash"

dpid= # the detached server, stopped at exit if a check failed first
trap 'st=$?; [ -n "$dpid" ] && kill -TERM "$dpid" 2>/dev/null; cleanup $st' EXIT

pidfile=$work/run/mmp-sshd.pid
mkdir -p "$work/run"
sshd_args=(--pidfile "$pidfile")
start_sshd
real_root=$(realpath "$root")

# the pidfile: the server's id and a newline, nothing left beside it
[ "$(cat "$pidfile")" = "$spid" ] || fail "the pidfile holds \"$(cat "$pidfile")\", the server is $spid"
[ "$(od -An -c "$pidfile" | tr -d ' ')" = "$(printf '%s\\n' "$spid")" ] || fail "the pidfile is not \"$spid\\n\""
[ "$(ls "$work/run")" = "mmp-sshd.pid" ] || fail "beside the pidfile: $(ls "$work/run")"

# one listening line, with the fingerprints ssh-keygen reads from the key
# files and ssh-keyscan gets from the server
fp() { ssh-keygen -lf "$1" | awk '{print $2 " " $NF}'; } # "SHA256:... (ED25519)"
ed=$(fp "$root/ssh/ssh_host_ed25519_key")
rsa=$(fp "$root/ssh/ssh_host_rsa_key")
[ "${ed#* }" = "(ED25519)" ] && [ "${rsa#* }" = "(RSA)" ] || fail "ssh-keygen -l said: $ed / $rsa"
want="listening on 127.0.0.1:$port (host keys: ED25519 ${ed% *}, RSA ${rsa% *})"
[ "$(grep -c 'listening on' "$work/sshd.log")" = 1 ] || fail "not one listening line"
got=$(sed -n 's/^mmp-sshd\[[0-9]*\]: \(listening on .*\)$/\1/p' "$work/sshd.log")
[ "$got" = "$want" ] || fail "the listening line is \"$got\", want \"$want\""
scan=$(timeout 60 ssh-keyscan -T 20 -t ed25519,rsa -p "$port" 127.0.0.1 2>/dev/null | ssh-keygen -lf - |
	awk '{print $NF " " $2}' | sort)
[ "$scan" = "$(printf '(ED25519) %s\n(RSA) %s' "${ed% *}" "${rsa% *}")" ] ||
	fail "ssh-keyscan saw: $scan; the files: $ed / $rsa"

# no user yet: the warning says how to make the first admin
warning="WARNING: no user can log in yet (no admin, crypto or audit user): make the first admin on this machine with \"mmp --root $real_root\", then \"user add admin admin\""
grep -qxF "mmp-sshd[$spid]: $warning" "$work/sshd.log" || fail "no warning while nobody can log in"

# a second server on this pidfile: refused while the first runs, which
# keeps its pidfile
err=$(timeout 60 "$sshd" --root "$root" --listen 127.0.0.1:0 --foreground --pidfile "$pidfile" 2>&1)
st=$?
[ $st = 2 ] || fail "a second server on a live pidfile: status $st, said: $err"
[ "$err" = "mmp-sshd: --pidfile $pidfile: mmp-sshd is already running as process $spid: stop it first (kill $spid), or give another --pidfile" ] ||
	fail "the second server said: $err"
[ "$(cat "$pidfile")" = "$spid" ] || fail "the refused server changed the pidfile"
kill -0 "$spid" || fail "the first server stopped"

# public roots that hold no certificate: refused at start, before it listens
err=$(timeout 60 "$sshd" --root "$root" --listen 127.0.0.1:0 --foreground --public-roots /dev/null 2>&1)
st=$?
[ $st = 2 ] || fail "--public-roots /dev/null: status $st, said: $err"
[ "$err" = "mmp-sshd: --public-roots /dev/null: cannot be read as PEM certificates: give a PEM file of CA certificates, as /etc/ssl/certs/ca-certificates.crt is" ] ||
	fail "--public-roots /dev/null said: $err"

# SIGTERM: a clean stop removes the pidfile
stop_sshd || fail "mmp-sshd did not stop cleanly"
[ -e "$pidfile" ] && fail "the pidfile is left after SIGTERM"

# a user with no session (appadmin) is not enough; an admin is
add_user app appadmin 'app-pw-1234'
start_sshd
grep -qxF "mmp-sshd[$spid]: $warning" "$work/sshd.log" || fail "no warning with only an appadmin user"
stop_sshd || fail "stop 2"
add_user alice admin 'alice-pw-123'
start_sshd
grep -q 'WARNING' "$work/sshd.log" && fail "a warning with an admin user: $(grep WARNING "$work/sshd.log")"
out=$(pw_ssh alice alice-pw-123 'pki list' 2>&1) || fail "alice's login: $out"

# SIGINT stops cleanly too
kill -INT "$spid"
wait "$spid" || fail "mmp-sshd did not stop cleanly on SIGINT"
spid=
[ -e "$pidfile" ] && fail "the pidfile is left after SIGINT"

# stale pidfiles: a dead process, or a live one that is not mmp-sshd, are
# replaced; a relative --pidfile is made absolute before the server
# detaches to /
dead=$(sh -c 'echo $$')
echo "$dead" >"$pidfile"
start_sshd
[ "$(cat "$pidfile")" = "$spid" ] || fail "a stale pidfile ($dead) was not replaced"
stop_sshd || fail "stop 3"
echo $$ >"$pidfile"
start_sshd
[ "$(cat "$pidfile")" = "$spid" ] || fail "a pidfile naming bash ($$) was not replaced"
stop_sshd || fail "stop 4"

# detached: the parent exits 0 after saying where it listens on its
# stderr, once the serving process has written the pidfile (systemd's
# Type=forking reads it then); it names that process (another id)
(cd "$work/run" && timeout 120 "$sshd" --root "$root" --listen 127.0.0.1:0 --pidfile mmp-sshd.pid \
	>"$work/daemon.out" 2>&1)
st=$?
[ $st = 0 ] || fail "the detaching server: status $st: $(cat "$work/daemon.out")"
grep -q "^mmp-sshd\[[0-9]*\]: listening on 127\.0\.0\.1:[0-9]* (host keys: ED25519 ${ed% *}, RSA ${rsa% *})$" \
	"$work/daemon.out" || fail "the detaching server said: $(cat "$work/daemon.out")"
dpid=$(cat "$pidfile")
[ "$(cat "/proc/$dpid/comm")" = mmp-sshd ] || fail "the pidfile names $dpid, not an mmp-sshd"
dport=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9][0-9]*\) .*/\1/p' "$work/daemon.out")
out=$(port=$dport pw_ssh alice alice-pw-123 'pki list' 2>&1) || fail "login to the detached server: $out"
kill -TERM "$dpid"
for i in $(seq 1 300); do
	[ -e "$pidfile" ] || break
	sleep 0.1
done
[ -e "$pidfile" ] && fail "the detached server left its pidfile"
for i in $(seq 1 300); do
	kill -0 "$dpid" 2>/dev/null || break
	sleep 0.1
done
kill -0 "$dpid" 2>/dev/null && fail "the detached server did not stop"
dpid=
echo "ok"
