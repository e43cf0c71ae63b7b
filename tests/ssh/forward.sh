#!/usr/bin/env bash
# Everything but shell, exec and sftp is refused (issue 4 point 2): local
# (-L), remote (-R), dynamic (-D) and stdio (-W) forwarding, X11 and agent
# forwarding, environment requests and other subsystems. The forwarding
# targets are mmp-sshd's own port: had a tunnel opened, its SSH banner would
# come through.
# Usage: bash tests/ssh/forward.sh <mmp-sshd> <mmp>
source "$(dirname "$0")/common.bash"

add_user alice admin 'alice-pw-123'
start_sshd

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
# through PORT [SOCKS4-request-bytes]: what a connection to PORT receives
through() {
	local got
	got=$(timeout 5 bash -c 'exec 3<>/dev/tcp/127.0.0.1/'"$1"' || exit 1
		[ -n "$2" ] && printf "$2" >&3
		timeout 3 cat <&3' _ "$1" "${2:-}" 2>/dev/null | tr -d '\0' | tr -c '[:print:]\n' '.')
	echo "$got"
}
# wait_listen PORT: until the ssh client listens there (at most 10 s)
wait_listen() {
	local i
	for i in $(seq 1 100); do
		(exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# -W: stdio forwarding
out=$(pw_ssh alice alice-pw-123 -W "127.0.0.1:$port" </dev/null 2>&1) && fail "-W succeeded: $out"
echo "$out" | grep -q 'administratively prohibited\|stdio forwarding failed' || fail "-W: $out"
echo "$out" | grep -q 'SSH-2.0' && fail "-W reached the server's port: $out"

# -R: remote forwarding
out=$(pw_ssh alice alice-pw-123 -o ExitOnForwardFailure=yes -R "0:127.0.0.1:$port" 'pki list' 2>&1) &&
	fail "-R succeeded: $out"
echo "$out" | grep -q 'remote port forwarding failed' || fail "-R: $out"

# -L: local forwarding; the tunnel is refused when used
lport=$(free_port)
pw_ssh alice alice-pw-123 -v -N -L "$lport:127.0.0.1:$port" 2>"$work/L.err" &
lpid=$!
wait_listen "$lport" || fail "ssh -L never listened"
got=$(through "$lport")
kill "$lpid" 2>/dev/null
wait "$lpid" 2>/dev/null
echo "$got" | grep -q 'SSH-2.0' && fail "-L opened a tunnel: $got"
grep -q 'open failed: administratively prohibited' "$work/L.err" || fail "-L: $(cat "$work/L.err")"

# -D: dynamic (SOCKS) forwarding; a SOCKS4 CONNECT to the server's port
dport=$(free_port)
pw_ssh alice alice-pw-123 -v -N -D "$dport" 2>"$work/D.err" &
dpid=$!
wait_listen "$dport" || fail "ssh -D never listened"
req=$(printf '\\x04\\x01\\x%02x\\x%02x\\x7f\\x00\\x00\\x01mmp\\x00' $((port / 256)) $((port % 256)))
got=$(through "$dport" "$req")
kill "$dpid" 2>/dev/null
wait "$dpid" 2>/dev/null
echo "$got" | grep -q 'SSH-2.0' && fail "-D opened a tunnel: $got"
grep -q 'open failed: administratively prohibited' "$work/D.err" || fail "-D: $(cat "$work/D.err")"

# X11, agent, environment: refused, and the command still runs
out=$(DISPLAY=:99 pw_ssh alice alice-pw-123 -X 'pki list' 2>&1) || fail "-X: $out"
echo "$out" | grep -q 'X11 forwarding request failed' || fail "X11 forwarding was not refused: $out"
eval "$(ssh-agent -s)" >/dev/null
trap 'st=$?; ssh-agent -k >/dev/null 2>&1; cleanup $st' EXIT
out=$(pw_ssh alice alice-pw-123 -A -v 'pki list' 2>&1) || fail "-A: $out"
echo "$out" | grep -q 'Requesting authentication agent forwarding' || fail "-A was not tried: $out"
echo "$out" | grep -q 'agent.*channel\|auth-agent@openssh.com channel' && fail "an agent channel was opened: $out"
out=$(MMP_SSH_TEST=1 pw_ssh alice alice-pw-123 -o SendEnv=MMP_SSH_TEST 'pki list' 2>&1) || fail "SendEnv: $out"

# other subsystems and a second session channel
out=$(pw_ssh alice alice-pw-123 -s netconf </dev/null 2>&1) && fail "subsystem netconf accepted"
echo "$out" | grep -q 'subsystem request failed' || fail "netconf: $out"

grep -q 'subsystem refused' "$work/sshd.log" || fail "the netconf refusal was not logged"
kill -0 "$spid" || fail "mmp-sshd died"
echo "forward: ok"
