#!/usr/bin/env bash
# The test clients work: each mode of tests/ssh/sshpoke (libssh) and of
# tests/ssh/rawsftp.py (raw SFTP v3 over the OpenSSH client) once against
# mmp-sshd, with checks that fail when the client is broken (not when the
# server lacks a limit: others add those). About 20 s.
# Usage: bash tests/ssh/clients.sh <mmp-sshd> <mmp>
source "$(dirname "$0")/common.bash"

poke=$(dirname "$mmp")/sshpoke
# the interpreter itself, not a version manager's shim (1 s a start)
py=$(python3 -c 'import sys; print(sys.executable)') || fail "no python3"
raw=("$py" "$(dirname "$0")/rawsftp.py")
[ -x "$poke" ] || fail "no sshpoke next to mmp ($poke)"

add_user alice admin 'alice-pw-123'
add_user eve audit 'eve-pw-1234'
sshd_args=(--limit penalty_free=1000) # wrong passwords on purpose: no penalties here (attack.sh tests them)
start_sshd
ssh-keygen -q -t ed25519 -N '' -C alice -f "$work/alice_key" || fail "ssh-keygen"
mkdir -p "$root/files"
cp "$work/alice_key.pub" "$root/files/alice.pub"
"$mmp" --root "$root" -c 'pki selfsigned ca1' >/dev/null || fail "pki selfsigned"
key=(--user alice --key "$work/alice_key")

# ---- sshpoke ----
out=$("$poke" banner --port "$port") || fail "banner: $out"
[[ $out =~ ^SSH-2\.0-[[:graph:]]+$ ]] || fail "banner printed: $out"

out=$("$poke" login --port "$port" "${key[@]}") || fail "key login: $out"
[[ $out =~ ^login\ ok\ [0-9]+\ ms$ ]] || fail "key login printed: $out"
out=$("$poke" login --port "$port" --user alice --password 'not-it') && fail "a wrong password logged in: $out"
[[ $out =~ ^login\ failed\ .*\ [0-9]+\ ms$ ]] || fail "wrong password printed: $out"
out=$("$poke" login --port "$port" --user alice --password alice-pw-123 --bind 127.0.0.7 \
	--command 'pki list') || fail "password login with a command: $out"
echo "$out" | sed -n 2p | grep -qx 'exit 0' || fail "no exit 0 line: $out"
echo "$out" | grep -qx 'ca1.crt' || fail "the command's output is missing: $out"
grep -q '127\.0\.0\.7: login accepted of alice' "$work/sshd.log" || fail "--bind 127.0.0.7 was not the source"
out=$("$poke" login --port "$port" "${key[@]}" --command 'no-such-command')
echo "$out" | grep -qE '^exit [1-9][0-9]*$' || fail "a failing command did not give its status: $out"

# hold: lines per connection, a summary; a closed one is seen as closed
out=$(timeout 20 "$poke" hold --port "$port" "${key[@]}" --count 2 --seconds 3 --no-request) ||
	fail "hold: $out"
[ "$(echo "$out" | grep -cE '^conn [01] (closed after [0-9]+ ms|still open after 3 s|refused: .+)$')" = 2 ] ||
	fail "hold --count 2 did not print two conn lines: $out"
echo "$out" | tail -n 1 | grep -qE '^held [0-2] of 2 for 3 s$' || fail "hold summary: $out"
out=$(timeout 20 "$poke" hold --port "$port" --user nobody --password x --count 2 --seconds 1)
[ "$(echo "$out" | grep -c '^conn [01] refused: denied$')" = 2 ] || fail "hold with a bad login: $out"
echo "$out" | grep -qx 'held 0 of 2 for 1 s' || fail "hold with a bad login, summary: $out"
# end one held connection's server process (ours: a child of the server we
# started) and the client must see it closed, the other still open
"$poke" hold --port "$port" "${key[@]}" --count 2 --seconds 4 >"$work/hold.out" &
hpid=$!
for i in $(seq 1 100); do [ "$(pgrep -c -P "$spid")" -ge 2 ] && break; sleep 0.1; done
sleep 1 # both logged in and holding a shell
victim=$(pgrep -P "$spid" | head -n 1)
[ -n "$victim" ] || fail "no server process per connection"
kill -TERM "$victim"
wait "$hpid" || fail "hold: $(cat "$work/hold.out")"
grep -qE '^conn [01] closed after [0-9]+ ms$' "$work/hold.out" || fail "a closed connection not seen: $(cat "$work/hold.out")"
grep -qx 'held 1 of 2 for 4 s' "$work/hold.out" || fail "hold summary after a close: $(cat "$work/hold.out")"

out=$(timeout 30 "$poke" guess --port "$port" --user alice --workers 2 --seconds 2) || fail "guess: $out"
[[ $out =~ ^guess\ denied=([0-9]+)\ disconnected=([0-9]+)\ accepted=0\ connections=([0-9]+)$ ]] ||
	fail "guess printed: $out"
[ "${BASH_REMATCH[1]}" -ge 1 ] && [ "${BASH_REMATCH[3]}" -ge 2 ] || fail "guess counted nothing: $out"
grep -q 'login failed of alice by ssh password' "$work/sshd.log" || fail "guess: the server saw no wrong password"

out=$(timeout 20 "$poke" idle-tcp --port "$port" --bind 127.0.0.9 --count 3 --seconds 1) || fail "idle-tcp: $out"
[[ $out =~ ^idle-tcp\ opened=3\ closed-by-server=0\ max-open=3\  ]] || fail "idle-tcp printed: $out"
# a port nobody listens on: every connect fails, --reopen retries, all bounded
"$poke" banner --port 1 >/dev/null && fail "a banner from port 1"
out=$(timeout 20 "$poke" idle-tcp --port 1 --count 2 --seconds 1 --reopen) || fail "idle-tcp --reopen: $out"
[[ $out =~ ^idle-tcp\ opened=0\ closed-by-server=0\ max-open=0\ open-at-end=0\ failed=[1-9] ]] ||
	fail "idle-tcp to a closed port printed: $out"

# ---- rawsftp.py ----
l=$work/local
mkdir -p "$l"
head -c 200000 /dev/urandom >"$l/up.der"
sum() { sha256sum <"$1" | cut -d' ' -f1; }
out=$(timeout 60 "${raw[@]}" --port "$port" "${key[@]}" get:ca1.crt read:ca1.crt put:up.der:"$l/up.der" \
	get:up.der stat:up.der realpath:. readdir:/ rename:up.der:up2.der remove:up2.der stat:up2.der \
	open:w:w.der write:w.der:"$l/up.der" close:w.der get:w.der open:wx:w.der remove:w.der \
	hardlink:ca1.crt:h.crt mkdir:d) || fail "rawsftp: $out"
line() { echo "$out" | grep -F -- "$1" | head -n 1; }
[ "$(line get:ca1.crt)" = "get:ca1.crt OK sha256=$(sum "$root/files/ca1.crt") size=$(stat -c %s "$root/files/ca1.crt")" ] ||
	fail "rawsftp get: $out"
line read:ca1.crt | grep -qE '^read:ca1\.crt OK size=[1-9]' || fail "rawsftp read: $out"
line put:up.der | grep -q '^put:up.der:.* OK' || fail "rawsftp put: $out"
[ "$(line get:up.der)" = "get:up.der OK sha256=$(sum "$l/up.der") size=200000" ] || fail "rawsftp put/get: $out"
line stat:up.der | grep -q '^stat:up.der OK size=200000 ' || fail "rawsftp stat: $out"
line realpath:. | grep -qx 'realpath:. OK /' || fail "rawsftp realpath: $out"
line readdir:/ | grep -qE '^readdir:/ OK names=.*ca1\.crt' || fail "rawsftp readdir: $out"
line rename:up.der:up2.der | grep -qx 'rename:up.der:up2.der OK' || fail "rawsftp rename: $out"
line stat:up2.der | grep -q '^stat:up2.der NO_SUCH_FILE' || fail "rawsftp stat after remove: $out"
[ "$(line get:w.der)" = "get:w.der OK sha256=$(sum "$l/up.der") size=200000" ] || fail "rawsftp open:w/write/close: $out"
line open:wx:w.der | grep -qE '^open:wx:w\.der [A-Z_]+' || fail "rawsftp open:wx: $out"
line open:wx:w.der | grep -q ' OK' && fail "rawsftp open:wx of an existing file succeeded: $out"
line hardlink:ca1.crt:h.crt | grep -qE '^hardlink:ca1\.crt:h\.crt (OK|EOF|NO_SUCH_FILE|PERMISSION_DENIED|FAILURE|BAD_MESSAGE|OP_UNSUPPORTED)( |$)' ||
	fail "rawsftp hardlink: $out"
[ "$(echo "$out" | wc -l)" = 18 ] || fail "rawsftp: not one line per request: $out"
[ -e "$root/files/w.der" ] && fail "rawsftp remove:w.der left it"

# by password; the channel's stderr; handles held at once
out=$(timeout 60 "${raw[@]}" --port "$port" --user eve --password eve-pw-1234 --bind 127.0.0.8 --show-stderr \
	--hold-handles 3:ca1.crt remove:ca1.crt) || fail "rawsftp by password: $out"
echo "$out" | grep -qE '^hold-handles:3:ca1\.crt OK opened=3 read=3 bytes=[1-9]' || fail "rawsftp --hold-handles: $out"
echo "$out" | grep -qE '^remove:ca1\.crt PERMISSION_DENIED .+' || fail "rawsftp status message: $out"
echo "$out" | grep -q '^stderr mmp: ' || fail "rawsftp --show-stderr showed nothing: $out"
grep -q '127\.0\.0\.8: login accepted of eve' "$work/sshd.log" || fail "rawsftp --bind 127.0.0.8 was not the source"
# a failed login is exit 2 with the reason; bad arguments are not
out=$(timeout 60 "${raw[@]}" --port "$port" --user eve --password wrong get:ca1.crt)
[ $? = 2 ] && echo "$out" | grep -q 'no SFTP session' || fail "rawsftp with a wrong password: $out"
timeout 10 "${raw[@]}" --port "$port" --user eve >/dev/null 2>&1
[ $? = 64 ] || fail "rawsftp with bad arguments did not exit 64"
# the library: a raw request with an id of our own choosing gets a reply
PYTHONPATH=$(dirname "$0") "$py" - "$port" "$work/alice_key" <<'EOF' || fail "rawsftp as a library"
import sys, rawsftp
with rawsftp.Sftp(int(sys.argv[1]), "alice", key=sys.argv[2], timeout=20) as s:
    v = s.init()
    assert v.version == 3, v.version
    r = s.open("ca1.crt", rawsftp.PF_READ)
    assert r.type == "handle", r
    a = s.fstat(r.handle)
    assert a.type == "attrs" and a.attrs["size"] > 0, a
    data, end = s.read_all(r.handle)
    assert len(data) == a.attrs["size"] and end.status == "EOF", end
    assert s.close(r.handle).status == "OK"
    t, code, msg = s.close(r.handle)  # a stale handle: a status, not OK
    assert t == "status" and code != 0, (t, code, msg)
    r = s.request(250, b"")  # an unknown request type
    assert r.type in ("status", "lost"), r
EOF
echo "clients: sshpoke banner/login/hold/guess/idle-tcp and rawsftp requests, --hold-handles, library: ok"
