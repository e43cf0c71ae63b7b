#!/usr/bin/env bash
# Interactive mode on a real terminal (tmux): the prompt, Tab completion of
# command words and store file names, the capital-Y question before a key is
# replaced, a password prompt that does not echo and never reaches history.
set -u
mmp=$1
root=$(mktemp -d /tmp/mmp-repl.XXXXXX)
sock="mmp-repl-$$"
cleanup() { tmux -L "$sock" kill-server 2>/dev/null; rm -rf "$root"; }
trap cleanup EXIT
openssl genrsa -aes128 -passout pass:s3cret-Pw -out "$root/locked.key" 2048 2>/dev/null
mkdir -p "$root/files" && mv "$root/locked.key" "$root/files/"

fail() { echo "FAIL: $*"; echo "--- screen ---"; screen; exit 1; }
screen() { tmux -L "$sock" capture-pane -t t -p | sed -e 's/[[:space:]]*$//' | sed -e '/^$/d'; }
# wait until the screen's last line equals $1 (at most 15 s; no fixed sleeps)
wait_last() {
	local i
	for i in $(seq 1 150); do
		[ "$(screen | tail -1)" = "$1" ] && return 0
		sleep 0.1
	done
	fail "screen never ended with: $1"
}
keys() { tmux -L "$sock" send-keys -t t "$@"; }

tmux -L "$sock" new-session -d -s t -x 160 -y 60 "$mmp --root $root"
wait_last "mmp>"
keys 'pki self' Tab 'ca1' Enter
wait_last "mmp>"
keys 'pki ma' Tab 'c' Tab Tab Enter
wait_last "mmp>"
keys 'pki selfsigned ca1' Enter
wait_last "Type Y to replace it:"
keys 'y' Enter
wait_last "mmp>"
keys 'pki unlock locked.key' Enter
wait_last "Enter password:"
keys 's3cret-Pw' Enter
wait_last "mmp>"
keys Up Up Enter   # history: the unlock line, then the one before; no password between

expected='Type help or ? for the commands, exit to leave.
mmp> pki selfsigned ca1
Generating an RSA 2048 private key...
Created key file ca1.key and certificate ca1.crt
mmp> pki match ca1.key ca1.crt
SUCCESS: Key and certificate pair match
mmp> pki selfsigned ca1
ca1.key already exists. Replacing it loses the old key for good.
Type Y to replace it: y
FAILURE: ca1.key kept: nothing was changed
mmp> pki unlock locked.key
Enter password:
SUCCESS: locked.key unlocked
mmp> pki selfsigned ca1
ca1.key already exists. Replacing it loses the old key for good.
Type Y to replace it:'
wait_last "Type Y to replace it:"
got=$(screen)
if [ "$got" != "$expected" ]; then
	diff -u <(echo "$expected") <(echo "$got")
	fail "interactive transcript differs"
fi
keys Enter
wait_last "mmp>"
# Ctrl-C drops the typed line and the session goes on (it must not end it)
keys 'pki li' C-c
keys 'st' Enter
wait_last "mmp>"
screen | grep -q '^FAILURE: unknown command "st"' || fail "after Ctrl-C the shell did not go on"
# Ctrl-C in a question cancels it: what was typed is not the password, and
# the next line is a command again
keys 'user add ctrlc admin' Enter
wait_last "New password for ctrlc:"
keys 'half-typed' C-c
wait_last "mmp>"
screen | grep -q '^FAILURE: no password was given (end of input or Ctrl-C): nothing was changed' ||
	fail "Ctrl-C did not cancel the password question"
keys 'user list' Enter
wait_last "mmp>"
screen | grep -q '^ctrlc ' && fail "Ctrl-C in the question still added the user"
# issue 10 item 8: a line whose command takes a secret (COMPLETE_SECRET in
# the table: the 3-word turn credentials) never enters the history; a normal
# line does, and so does the 2-word form, whose password is asked without echo
keys 'turn listen a' Enter
wait_last "mmp>"
keys 'turn credentials tu Hist-Secret-9 example.com' Enter
wait_last "mmp>"
keys Up
wait_last "mmp> turn listen a"
keys C-u
wait_last "mmp>"
keys 'turn cred' Tab
wait_last "mmp> turn credentials"
keys 'tu example.com' Enter
wait_last "TURN password for tu:"
keys 'Typed-Turn-Pw-4' Enter
wait_last "Retype the TURN password:"
keys 'Typed-Turn-Pw-4' Enter
wait_last "mmp>"
screen | grep -q '^turn credentials set to user tu, realm example.com$' || fail "the 2-word form did not set the credentials"
keys Up Up
wait_last "mmp> turn listen a"
keys C-u
wait_last "mmp>"
screen | grep -qF 'Typed-Turn-Pw-4' && fail "the asked TURN password was echoed"
[ "$(screen | grep -c 'Hist-Secret-9')" = 1 ] || fail "the secret line came back from the history"
keys 'exit' Enter
for i in $(seq 1 50); do tmux -L "$sock" has-session -t t 2>/dev/null || break; sleep 0.1; done
grep -rqa -e 's3cret-Pw' -e 'Hist-Secret-9' -e 'Typed-Turn-Pw-4' "$root" &&
	fail "a password was written under the root"
openssl rsa -in "$root/files/locked.key" -check -noout -passin pass: >/dev/null 2>&1 ||
	fail "locked.key was not unlocked"
echo "repl: ok"
