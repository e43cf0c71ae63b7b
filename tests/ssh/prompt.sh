#!/usr/bin/env bash
# The prompt (issue 12 item 5), typed in tmux as a person would, on the
# local console and over ssh -tt to mmp-sshd (the same REPL on a pty):
# Ctrl-C drops the typed line, ? answers without Enter and redraws the
# line, unique prefixes run commands and an ambiguous one lists its
# candidates, Tab completes fixed words, long lines wrap at the window's
# width (60 columns) with a hanging indent, and never when piped.
# Usage: bash tests/ssh/prompt.sh <mmp-sshd> <mmp>
source "$(dirname "$0")/common.bash"

export HOME=$work/home
mkdir -p "$HOME"
P_ALICE='Alice-Prompt-4e1b'
add_user alice admin "$P_ALICE"

# start COMMAND: a 60-column tmux window running COMMAND
# (the second time in the same pane: a tmux server just killed may still
# hold its socket)
start() {
	local i
	if tmux -L "$sock" has-session -t t 2>/dev/null; then
		tmux -L "$sock" resize-window -t t -x 60 -y 50
		tmux -L "$sock" respawn-pane -k -t t "clear; sleep 2; $1"
		for i in $(seq 1 100); do # nothing of the last run stays on the screen
			tmux -L "$sock" clear-history -t t
			[ -z "$(screen)" ] && return
			sleep 0.1
		done
		fail "the window was not cleared: $(screen)"
	fi
	trap 'st=$?; tmux -L "$sock" kill-server 2>/dev/null; cleanup $st' EXIT
	tmux -L "$sock" new-session -d -s t -x 60 -y 50 "$1"
	tmux -L "$sock" resize-window -t t -x 60 -y 50 2>/dev/null
}
# fresh: drop the typed line, clear the window and its history
fresh() {
	local i
	keys C-c
	keys C-l
	# until the redraw has happened: the screen and its history are the
	# prompt alone (under ASan the old lines could still be there, and a
	# later check read them: "? after pki listed the families")
	for i in $(seq 1 300); do
		tmux -L "$sock" clear-history -t t
		[ "$(screen)" = 'mmp>' ] && break
		sleep 0.1
	done
	wait_screen '^mmp>$'
}
last_line() { screen | tail -n 1; }
# expect_line TEXT: the screen has exactly this line
expect_line() {
	screen | grep -qxF -- "$1" || { echo "--- screen ---"; screen; fail "no line \"$1\""; }
}

prompt_checks() { # WHERE
	local where=$1
	wait_screen '^mmp>$'
	expect_line 'Type help or ? for the commands, exit to leave.'

	# Ctrl-C drops the typed line; the next command runs alone
	keys "pki inspect dropped-$where.crt"
	wait_screen "^mmp> pki inspect dropped-$where.crt$"
	keys C-c
	keys 'hostname' Enter
	wait_screen '^mmp$'
	screen | grep -q 'crthostname' && fail "$where: Ctrl-C left the typed text on the next line"
	screen | grep -q 'FAILURE' && fail "$where: the line after Ctrl-C failed"
	expect_line 'mmp> hostname'
	audit_has "dropped-$where" && fail "$where: the dropped line ran"
	fresh

	# ? at once, without Enter: after "pki csr x " the attributes
	keys 'pki csr x '
	keys '?'
	wait_screen '^  subjectAltName: Names it is valid for, comma-separated,'
	expect_line '  CN:             Common name: the server'"'"'s fully qualified'
	expect_line '                  domain name'
	expect_line '  emailAddress:   Contact e-mail address'
	screen | grep -q 'selfsigned' && fail "$where: ? after pki csr listed the family"
	[ "$(last_line)" = 'mmp> pki csr x' ] || fail "$where: the line was not redrawn as typed: $(last_line)"
	fresh
	# at an empty line the families, after "pki " its commands
	keys '?'
	wait_screen '^  database +Database clustering$'
	expect_line '  tls             TLS certificate verification for SIP and'
	[ "$(last_line)" = 'mmp>' ] || fail "$where: no prompt after ?: $(last_line)"
	fresh
	keys 'pki '
	keys '?'
	wait_screen '^  selfsigned +Make a key <basename>.key and a$'
	expect_line '  sign            Sign <csr basename>.csr with <ca'
	screen | grep -q 'Database clustering' && fail "$where: ? after pki listed the families"
	# the line goes on as typed: "pki" + "list" runs
	keys 'list' Enter
	wait_screen '^User supplied certificates and keys:$'
	fresh

	# unique prefixes run the commands; an ambiguous one lists candidates
	keys 'web status' Enter
	wait_screen '^HTTPS listen +: none$'
	keys 'data clu status' Enter
	wait_screen '^Node interface +: none$'
	fresh
	keys 'pki s' Enter
	wait_screen '^FAILURE: ambiguous command "pki s": it may be "pki$'
	expect_line '         selfsigned" or "pki sign": type more of the word'
	fresh

	# Tab: the roles of user add, enable|disable|ocsp, sip|ldap
	keys 'user add bob '
	keys Tab Tab
	wait_screen '^admin +api +appadmin +audit +crypto$'
	fresh
	keys 'tls sip verify e'
	keys Tab
	wait_screen '^mmp> tls sip verify enable$'
	fresh
	keys 'tls l'
	keys Tab
	wait_screen '^mmp> tls ldap$'
	fresh
	keys 'web http-redirect d'
	keys Tab
	wait_screen '^mmp> web http-redirect disable$'
	fresh

	# wrapping at 60 columns, under the text after FAILURE:
	keys 'pki inspect nonexist.crt' Enter
	wait_screen '^FAILURE: nonexist.crt: no such file in the file store:$'
	expect_line '         upload it with SFTP, or see pki list'
	fresh

	# Ctrl-C in a question cancels that question
	keys 'user add carol crypto' Enter
	wait_screen 'assword'
	keys C-c
	wait_screen '^FAILURE: no password was given \(end of input or Ctrl-C\):'
	wait_screen '^mmp>$'
	"$mmp" --root "$root" -c 'user list' | grep -q carol && fail "$where: the cancelled user was added"
	keys 'exit' Enter
}

# the local console
start "\"$mmp\" --root \"$root\"; sleep 60"
prompt_checks console
# piped, -c and script mode keep one line per message
out=$("$mmp" --root "$root" -c 'pki inspect nonexist.crt' | cat)
[ "$out" = 'FAILURE: nonexist.crt: no such file in the file store: upload it with SFTP, or see pki list' ] ||
	fail "-c to a pipe: $out"
out=$(printf 'pki ins nonexist.crt\n' | "$mmp" --root "$root")
[ "$out" = 'line 1: FAILURE: nonexist.crt: no such file in the file store: upload it with SFTP, or see pki list' ] ||
	fail "script mode: $out"

# over SSH: the same REPL on the pty, at the pty's width
start_sshd
start "sshpass -p '$P_ALICE' ssh $(ssh_opts) -tt -o PubkeyAuthentication=no alice@127.0.0.1; sleep 60"
prompt_checks ssh
# a wider window reaches the shell (window-change): no wrap at 100
start "sshpass -p '$P_ALICE' ssh $(ssh_opts) -tt -o PubkeyAuthentication=no alice@127.0.0.1; sleep 60"
wait_screen '^mmp>$'
tmux -L "$sock" resize-window -t t -x 100 -y 50
sleep 1
keys 'pki inspect nonexist.crt' Enter
wait_screen '^FAILURE: nonexist.crt: no such file in the file store: upload it with SFTP, or see pki list$'
keys 'exit' Enter
# the audit log names the whole command, not the prefix typed
audit_has 'alice@127\.0\.0\.1 command: webbridge3 status \[ok\]' || fail "the audit log kept the prefix"
audit_has 'command: database cluster status \[ok\]' || fail "the audit log kept the prefix"
stop_sshd
echo "prompt: ok"
