# common.bash: what the SSH tests (tests/ssh/*.sh) share. Sourced, not run:
#   source common.bash <mmp-sshd> <mmp>
# Makes a fresh node root, starts mmp-sshd on a free loopback port (--listen
# 127.0.0.1:0: the kernel picks the port, the server logs it, no race with
# other tests), drives it with the real OpenSSH client, and stops it at exit.
set -u
sshd=$1
mmp=$2
export LC_ALL=C TZ=UTC
work=$(mktemp -d "${TMPDIR:-/tmp}/mmp-ssh.XXXXXX")
root=$work/root
spid=
port=
sshd_args=()  # more mmp-sshd options, e.g. (--limit idle_seconds=3), before start_sshd
SRC=${SRC:-127.0.0.1} # the clients' source address (127.0.0.0/8): penalties are per source

# At exit: stop the server; a sanitizer report from any of its processes
# (a sanitizer build logs them to the server's stderr) fails the test.
cleanup() { # [exit status, when called from another trap]
	local st=$?
	[ $# -gt 0 ] && st=$1
	if [ -n "$spid" ] && kill -0 "$spid" 2>/dev/null; then
		kill -TERM "$spid" 2>/dev/null
		wait "$spid" 2>/dev/null
	fi
	if [ -f "$work/sshd.log" ] && grep -qE 'Sanitizer|runtime error:' "$work/sshd.log"; then
		echo "FAIL: a sanitizer report in the server log:"
		grep -E -A12 'Sanitizer|runtime error:' "$work/sshd.log" | head -n 60
		st=1
	fi
	rm -rf "$work"
	exit $st
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*"
	if [ -f "$work/sshd.log" ]; then
		echo "--- server log (last lines) ---"
		tail -n 25 "$work/sshd.log"
	fi
	exit 1
}

# add_user NAME ROLE PASSWORD: through the local console, in script mode.
add_user() {
	printf 'user add %s %s\n%s\n%s\n' "$1" "$2" "$3" "$3" | "$mmp" --root "$root" >"$work/add.out" 2>&1 ||
		fail "user add $1 $2: $(cat "$work/add.out")"
}

start_sshd() {
	local i
	mkdir -p "$root"
	"$sshd" --root "$root" --listen 127.0.0.1:0 --foreground "${sshd_args[@]}" >"$work/sshd.log" 2>&1 &
	spid=$!
	for i in $(seq 1 600); do # RSA 3072 host key generation is slow on a busy machine
		port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9][0-9]*\)[ ,].*/\1/p' "$work/sshd.log" | head -n 1)
		[ -n "$port" ] && return 0
		kill -0 "$spid" 2>/dev/null || fail "mmp-sshd did not start"
		sleep 0.1
	done
	fail "mmp-sshd never said where it listens"
}

stop_sshd() {
	kill -TERM "$spid"
	wait "$spid"
	local st=$?
	spid=
	return $st
}

ssh_opts() {
	echo "-F /dev/null -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null" \
		"-o LogLevel=ERROR -o ConnectTimeout=20 -o BindAddress=$SRC -p $port"
}

# pw_ssh USER PASSWORD [ssh args...]: log in by password only.
pw_ssh() {
	local u=$1 p=$2
	shift 2
	# shellcheck disable=SC2046
	sshpass -p "$p" ssh $(ssh_opts) -o PubkeyAuthentication=no -o NumberOfPasswordPrompts=1 \
		"$u@127.0.0.1" "$@"
}

# key_ssh USER KEYFILE [ssh args...]: log in by that key only.
key_ssh() {
	local u=$1 k=$2
	shift 2
	# shellcheck disable=SC2046
	ssh $(ssh_opts) -o BatchMode=yes -o IdentitiesOnly=yes -o PasswordAuthentication=no \
		-i "$k" "$u@127.0.0.1" "$@"
}

# pw_sftp USER PASSWORD BATCHFILE: sftp -b (batch mode would forbid passwords).
pw_sftp() {
	# shellcheck disable=SC2046
	sshpass -p "$2" sftp $(ssh_opts | sed 's/-p /-P /') -o BatchMode=no \
		-o PubkeyAuthentication=no -o NumberOfPasswordPrompts=1 -b "$3" "$1@127.0.0.1"
}

# The store and the rest of the root, as a stable listing with checksums.
snapshot() {
	(cd "$root" && find . -path ./mmp.db -prune -o -path './mmp.db-*' -prune -o -type f -print |
		LC_ALL=C sort | while read -r f; do echo "$f $(sha256sum <"$f" | cut -c1-16)"; done)
}

# within SECONDS FUNCTION ARGS...: a helper above, killed if it hangs
within() {
	local secs=$1
	shift
	timeout "$secs" bash -c "$(declare -f ssh_opts pw_ssh key_ssh pw_sftp); port=$port; SRC=$SRC; \"\$@\"" _ "$@"
}

# audit_has PATTERN: a line of the audit log (read with the local console).
audit_has() {
	"$mmp" --root "$root" -c 'audit 10000' | grep -qE -- "$1"
}

# The shell on a pty in tmux, driven as a person would. tmux_start ROWS
# COMMAND starts COMMAND in a 150-column window on the tmux server "$sock"
# (killed at exit); screen prints the window, wait_screen REGEX waits up to
# 30 s for it, keys sends tmux key names or text.
sock="mmp-ssh-$$"
screen() { tmux -L "$sock" capture-pane -t t -p -S - | sed -e 's/[[:space:]]*$//' -e '/^$/d'; }
wait_screen() {
	local i
	for i in $(seq 1 300); do
		screen | grep -qE -- "$1" && return 0
		sleep 0.1
	done
	echo "--- screen ---"; screen
	fail "the screen never showed: $1"
}
keys() { tmux -L "$sock" send-keys -t t "$@"; }
tmux_start() {
	trap 'st=$?; tmux -L "$sock" kill-server 2>/dev/null; cleanup $st' EXIT
	tmux -L "$sock" new-session -d -s t -x 150 -y "$1" "$2"
}
