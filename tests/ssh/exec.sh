#!/usr/bin/env bash
# Commands over SSH (issue 4 point 2): exec prints what the local shell
# prints and returns its status (1 for a failing command); a shell without
# a pty runs script mode; `ssh -tt` runs the interactive shell on a real pty
# (typed input; then prompt, Tab completion, history and window size driven
# in tmux); `ssh -t 'command'` asks its question on the pty; hostile
# arguments and shell syntax never run anything; scp is refused.
# Usage: bash tests/ssh/exec.sh <mmp-sshd> <mmp>
source "$(dirname "$0")/common.bash"

add_user alice admin 'alice-pw-123'
start_sshd
"$mmp" --root "$root" -c 'pki selfsigned ca1 CN:"Exec CA"' >/dev/null || fail "pki selfsigned"

# exec: the same output and status as the local shell
for cmd in 'pki list' 'pki inspect ca1.crt' 'pki inspect missing.crt' 'pki frobnicate' 'callbridge' \
	'hostname | json' 'pki inspect missing.crt | json' 'bogus words |json'; do
	want=$("$mmp" --root "$root" -c "$cmd" 2>&1)
	wst=$?
	got=$(pw_ssh alice alice-pw-123 "$cmd" 2>&1)
	gst=$?
	[ "$got" = "$want" ] || { diff -u <(echo "$want") <(echo "$got"); fail "ssh '$cmd' differs from mmp -c"; }
	[ "$gst" = "$wst" ] || fail "ssh '$cmd' returned $gst, mmp -c $wst"
done
pw_ssh alice alice-pw-123 'pki inspect missing.crt' >/dev/null 2>&1
[ $? = 1 ] || fail "a failing command did not return 1"

# "| json" over exec (issue 12): one JSON object, with the check's code
out=$(pw_ssh alice alice-pw-123 'pki inspect missing.crt | json' 2>/dev/null)
echo "$out" | python3 -c '
import json, sys
lines = sys.stdin.read().splitlines()
assert len(lines) == 1, lines
o = json.loads(lines[0])
assert o["command"] == "pki inspect missing.crt" and o["ok"] is False, o
assert [c["code"] for c in o["checks"]] == ["file.not_found"], o' || fail "pki inspect | json over exec: $out"
# script mode over a shell without a pty: one object per "| json" line,
# with the script's line number
out=$(printf 'hostname | json\nbogus | json\n' | pw_ssh alice alice-pw-123 -T 2>/dev/null)
echo "$out" | python3 -c '
import json, sys
a, b = [json.loads(l) for l in sys.stdin.read().splitlines()]
assert (a["ok"], a["line"], a["result"]) == (True, 1, {"hostname": "mmp"}), a
assert (b["ok"], b["line"], b["checks"][0]["code"]) == (False, 2, "shell.unknown_command"), b' ||
	fail "| json in script mode over ssh: $out"

# a prompt inside an exec'd command reads the next input line
printf 'crypto-pw-12\ncrypto-pw-12\n' | pw_ssh alice alice-pw-123 'user add carol crypto' |
	grep -q 'user carol added with role' || fail "user add over exec with the password on stdin"

# shell without a pty: script mode, status 1 when a command failed
out=$(printf 'pki list\nbogus\npki inspect ca1.crt\n' | pw_ssh alice alice-pw-123 -T 2>&1)
[ $? = 1 ] || fail "script mode with a failing command did not return 1"
echo "$out" | grep -q '^line 2: FAILURE: unknown command "bogus"' || fail "script mode: $out"
echo "$out" | grep -q 'CN = Exec CA' || fail "script mode went on after a failure: $out"

# hostile arguments: refused, nothing runs, nothing leaves the store
before=$(snapshot)
for cmd in 'pki inspect ../../etc/shadow' 'pki list; id' 'pki inspect $(id)' 'pki inspect `id`' \
	'pki inspect ca1.crt; touch /tmp/mmp-ssh-pwned' 'scp -t /tmp' \
	'pki inspect ca1.crt && id' "pki inspect 'ca1.crt' > /tmp/mmp-ssh-pwned"; do
	out=$(pw_ssh alice alice-pw-123 "$cmd" 2>&1) && fail "'$cmd' succeeded: $out"
	echo "$out" | grep -q 'uid=' && fail "'$cmd' ran id: $out"
	echo "$out" | grep -q '^FAILURE: ' || fail "'$cmd' gave no FAILURE: $out"
done
[ -e /tmp/mmp-ssh-pwned ] && fail "a command line created /tmp/mmp-ssh-pwned"
[ "$(snapshot)" = "$before" ] || fail "hostile commands changed the root"
pw_ssh alice alice-pw-123 'scp -f ca1.key' 2>&1 | grep -q 'scp is not available' || fail "scp not refused"

# ssh -tt with typed input: the interactive shell on a pty; the end of the
# input ends it as ^D at the prompt would, with the status of its commands
out=$(printf 'pki list\npki inspect ca1.crt\n' | within 20 pw_ssh alice alice-pw-123 -tt 2>&1)
st=$?
[ "$st" = 0 ] || fail "ssh -tt with typed input returned $st: $out"
echo "$out" | tr -d '\r' | grep -q '^mmp> pki list$' || fail "no prompt in ssh -tt: $out"
echo "$out" | tr -d '\r' | grep -q '^ca1\.key$' || fail "pki list did not run in ssh -tt: $out"
out=$(printf 'pki inspect missing.crt\nexit\n' | within 20 pw_ssh alice alice-pw-123 -tt 2>&1)
[ $? = 1 ] || fail "ssh -tt with a failing command did not return 1: $out"

# the interactive shell on a pty, driven like a person would in tmux
# shellcheck disable=SC2046
tmux_start 150 \
	"sshpass -p alice-pw-123 ssh $(ssh_opts) -tt -o PubkeyAuthentication=no alice@127.0.0.1; echo \"[ssh exit \$?]\"; sleep 30"
wait_screen '^mmp>$'
keys 'pki ins' Tab 'ca1.c' Tab Enter
wait_screen 'Subject *: CN = Exec CA'
keys 'pki li' Tab Enter
wait_screen '^ca1\.key$'
keys Up Up Enter # history: pki inspect again
for i in $(seq 1 50); do [ "$(screen | grep -c 'CN = Exec CA')" -ge 4 ] && break; sleep 0.1; done
[ "$(screen | grep -c 'Subject *: CN = Exec CA')" -ge 2 ] || { screen; fail "history did not rerun pki inspect"; }
# window-change reaches the REPL's pty (read from /proc: needs the same user)
conn=$(sed -n 's/^mmp-sshd\[\([0-9]*\)\]: .*: alice: shell (pty)$/\1/p' "$work/sshd.log" | tail -n 1)
repl=$(pgrep -P "$conn" | head -n 1)
if pts=$(readlink "/proc/$repl/fd/0" 2>/dev/null) && [ -r "$pts" ]; then
	tmux -L "$sock" resize-window -t t -x 132 -y 43
	for i in $(seq 1 50); do [ "$(stty -F "$pts" size)" = "43 132" ] && break; sleep 0.1; done
	[ "$(stty -F "$pts" size)" = "43 132" ] || fail "the pty is $(stty -F "$pts" size) after a resize to 43x132"
	winch=checked
else
	winch="not checked (/proc/$repl unreadable)"
fi
keys 'tmux resize' Enter
wait_screen 'FAILURE: unknown command "tmux"'
keys 'exit' Enter
wait_screen '^\[ssh exit 1\]$'
screen | grep -qE 'Sanitizer|runtime error:' && { screen; fail "a sanitizer report on the pty"; }
screen | grep -q '^mmp> pki inspect ca1\.crt$' || { screen; fail "Tab did not complete the command and the name"; }

# ssh -t 'command': one command on a pty, its question answered by a person
tmux -L "$sock" kill-server 2>/dev/null
sock="mmp-ssh-t-$$" # a fresh tmux server: the old one may still be going away
# shellcheck disable=SC2046
tmux_start 50 \
	"sshpass -p alice-pw-123 ssh $(ssh_opts) -t -o PubkeyAuthentication=no alice@127.0.0.1 'pki selfsigned ca1'; echo \"[ssh exit \$?]\"; sleep 30"
wait_screen '^Type Y to replace it:$'
keys Y Enter
wait_screen '^\[ssh exit 0\]$'
screen | grep -q '^Created key file ca1.key and certificate ca1.crt$' || { screen; fail "ssh -t: no new key"; }

audit_has 'alice@127\.0\.0\.1 command: pki inspect ca1\.crt \[ok\]' || fail "exec not audited"
audit_has 'alice@127\.0\.0\.1 command: scp \[refused\]' || fail "scp refusal not audited"
echo "exec: window-change $winch: ok"
