#!/usr/bin/env bash
# Hostile input over SSH (issue 5 point 5): the cases of
# tests/oracle/hostile.sh through SSH exec, the SSH shell without a pty
# (script mode) and the shell on a pty. Each gets a clear FAILURE or a
# correct answer within 2 s of connecting (key login; 20 s under the
# sanitizer build), and the connection's process, pty shell included, peaks
# under 256 MiB (read from the server's "connection ended" log line).
# Usage: bash tests/ssh/hostile.sh <mmp-sshd> <mmp>
source "$(dirname "$0")/common.bash"

limit_s=2
[ "${MMP_SANITIZED:-0}" = 1 ] && limit_s=20
fails=0

add_user alice admin 'alice-pw-123'
ssh-keygen -q -t ed25519 -N '' -C alice -f "$work/ed" || fail "ssh-keygen"
mkdir -p "$root/files"
cp "$work/ed.pub" "$root/files/alice.pub"
start_sshd

# The files of the cases: a bundle of 10,000 certificates, a certificate
# with 5,000 SANs, a 16 MiB PEM, a password-protected key.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/k.pem" \
	-subj /CN=h.example.com -days 30 -out "$work/c.pem" 2>/dev/null || fail "openssl req"
for i in $(seq 1 10000); do cat "$work/c.pem"; done >"$root/files/bundle10k.crt"
sans=$(seq 0 4999 | sed 's/.*/DNS:h&.example.com/' | paste -sd, -)
openssl req -x509 -key "$work/k.pem" -subj /CN=h.example.com -days 30 \
	-addext "subjectAltName=$sans" -out "$root/files/san5000.crt" 2>/dev/null || fail "5000 SANs"
{ cat "$work/c.pem"; head -c 16777216 /dev/urandom | base64 -w 64 |
	sed '1s/^/-----BEGIN CERTIFICATE-----\n/;$s/$/\n-----END CERTIFICATE-----/'; } >"$root/files/huge.pem"
openssl genrsa -aes128 -passout pass:pw -out "$root/files/locked.key" 2048 2>/dev/null || fail "genrsa"
openssl req -x509 -key "$work/k.pem" -subj "/CN=$(printf 'evil\033]0;pwned\007\033[2J')" -days 30 \
	-out "$root/files/esc.crt" 2>/dev/null || fail "a certificate with escapes in its CN"

# check NAME EXPECT-REGEX MODE [args]: MODE exec runs the argument as the
# command, shell pipes stdin to `ssh -T`, pty to `ssh -tt`.
check() {
	local name=$1 expect=$2 mode=$3 t0 t1 secs out="$work/out"
	shift 3
	t0=$(date +%s.%N)
	case $mode in
	exec) timeout 60 ssh $(ssh_opts) -o BatchMode=yes -o IdentitiesOnly=yes -i "$work/ed" \
		alice@127.0.0.1 "$@" >"$out" 2>&1 ;;
	shell) timeout 60 ssh $(ssh_opts) -o BatchMode=yes -o IdentitiesOnly=yes -i "$work/ed" -T \
		alice@127.0.0.1 >"$out" 2>&1 ;;
	pty) timeout 60 ssh $(ssh_opts) -o BatchMode=yes -o IdentitiesOnly=yes -i "$work/ed" -tt \
		alice@127.0.0.1 >"$out" 2>&1 ;;
	esac
	t1=$(date +%s.%N)
	secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
	if ! tr -d '\r' <"$out" | grep -qE -- "$expect"; then
		echo "FAIL $mode $name: output lacks /$expect/:"
		head -c 600 "$out" | cat -v
		echo
		fails=$((fails + 1))
	fi
	if awk -v s="$secs" -v l="$limit_s" 'BEGIN { exit !(s > l) }'; then
		echo "FAIL $mode $name: took ${secs}s (limit ${limit_s}s)"
		fails=$((fails + 1))
	fi
	if grep -q $'\033\\]0;pwned' "$out"; then
		echo "FAIL $mode $name: a raw escape sequence reached the client"
		fails=$((fails + 1))
	fi
	printf '  %-6s %-24s %5ss\n' "$mode" "$name" "$secs"
}

# the database cluster certificates, so that `database cluster remove` asks
{
	echo 'pki selfsigned dbca CN:"Hostile CA"'
	echo 'pki csr dbserver CN:server.db.example.com'
	echo 'pki csr dbclient CN:postgres'
	echo 'pki sign dbserver dbca'
	echo 'pki sign dbclient dbca'
	echo 'database cluster certs dbserver.key dbserver.crt dbclient.key dbclient.crt dbca.crt'
} | "$mmp" --root "$root" >"$work/setup.out" 2>&1 || fail "database cluster certs: $(cat "$work/setup.out")"

# exec: the command line is one SSH string: no NUL (it is an argv string),
# and at most 128 KiB (Linux's limit of one argument, MAX_ARG_STRLEN)
big=$(head -c 131000 /dev/zero | tr '\0' x)
check "128KiB-command" "FAILURE: line is 131000 bytes, more than 4096" exec "$big"
check "invalid-UTF-8" 'FAILURE: "\\xFF\\xFE.crt" is not a valid file name' exec "$(printf 'pki inspect \xff\xfe.crt')"
check "escape-in-argument" "FAILURE: control character 0x1b" exec "$(printf 'pki inspect \033]0;pwned\007.crt')"
check "CR-at-end" "^User supplied certificates and keys:" exec "$(printf 'pki list\r')"
check "10000-arguments" "FAILURE: line is 48902 bytes, more than 4096" exec "pki list $(seq 1 10000 | paste -sd' ' -)"
check "nested-quotes" "FAILURE:" exec "pki csr x CN:$(printf '"\\"%.0s' $(seq 1 600))"
check "bundle-of-10000" "more than 1000 certificates" exec 'pki inspect bundle10k.crt'
check "5000-SANs" "DNS:h4999.example.com" exec 'pki inspect san5000.crt'
check "16MiB-PEM" "^WARNING: huge.pem: 1 PEM block was skipped: a PEM block decodes, but to no valid" exec 'pki inspect huge.pem'
check "escapes-in-a-field" 'CN = "evil\\1B\]0;pwned\\07\\1B\[2J"' exec 'pki inspect esc.crt'
check "EOF-at-password" "FAILURE: pki unlock: no password was given" exec 'pki unlock locked.key' </dev/null
check "EOF-at-Y" "FAILURE: database cluster remove: no answer \(end of input or Ctrl-C\): nothing was changed" \
	exec 'database cluster remove' </dev/null

# shell without a pty: script mode
head -c 1048576 /dev/zero | tr '\0' x >"$work/line.cmd"
check "1MiB-line" "line 1: FAILURE: the line is longer than 4096 bytes" shell <"$work/line.cmd"
printf 'pki list\0\n' >"$work/nul.cmd"
check "NUL" "line 1: FAILURE: the line holds a NUL byte" shell <"$work/nul.cmd"
check "invalid-UTF-8" 'is not a valid file name' shell < <(printf 'pki inspect \xff\xfe.crt\n')
check "escape-in-argument" "FAILURE: control character 0x1b" shell < <(printf 'pki inspect \033]0;pwned\007.crt\n')
check "CRLF-no-final-newline" "^User supplied certificates and keys:" shell < <(printf 'pki list\r\npki list')
check "escapes-in-a-field" 'CN = "evil\\1B\]0;pwned' shell < <(printf 'pki inspect esc.crt\n')
check "EOF-at-password" "FAILURE: pki unlock: no password was given" shell < <(printf 'pki unlock locked.key\n')
check "EOF-at-Y" "FAILURE: database cluster remove: no answer" shell < <(printf 'database cluster remove\n')
printf 'pki unlock missing.key\nhunter2-secret\n' >"$work/pw.cmd"
check "password-after-failure" "^WARNING: line 2 not run and not shown: it is an answer to pki unlock" shell <"$work/pw.cmd"
grep -q hunter2 "$work/out" && { echo "FAIL shell: the password line was echoed"; fails=$((fails + 1)); }

# the shell on a pty (libedit): typed lines, then the end of input
{ printf 'pki inspect \033]0;pwned\007.crt\n'; printf 'pki inspect esc.crt\n'; } >"$work/tty.cmd"
check "escapes" 'CN = "evil\\1B\]0;pwned' pty <"$work/tty.cmd"
{ head -c 8192 /dev/zero | tr '\0' x; printf '\npki list\n'; } >"$work/tty-long.cmd"
check "8KiB-line" "^User supplied certificates and keys:" pty <"$work/tty-long.cmd"
check "CR-and-invalid-UTF-8" "^User supplied certificates and keys:" pty < <(printf 'pki list\r\n\xff\xfe\n')
check "no-final-newline" "^User supplied certificates and keys:" pty < <(printf 'pki list\npki li')
check "EOF-at-Y" "FAILURE: database cluster remove: no answer" pty < <(printf 'database cluster remove\n')
check "EOF-at-password" "^FAILURE: no password was given \(end of input or Ctrl-C\): nothing was changed" pty < <(printf 'passwd\n')

# memory: every connection's process (and its pty shell) under 256 MiB
stop_sshd
peak=$(sed -n 's/.*connection ended (alice), peak memory \([0-9]*\) KiB/\1/p' "$work/sshd.log" | sort -n | tail -n 1)
n=$(grep -c 'connection ended (alice)' "$work/sshd.log")
echo "  $n connections, highest peak memory ${peak:-?} KiB"
[ -n "$peak" ] || { echo "FAIL: no 'connection ended' lines in the server log"; fails=$((fails + 1)); }
if [ "${MMP_SANITIZED:-0}" != 1 ] && [ -n "$peak" ] && [ "$peak" -gt 262144 ]; then
	echo "FAIL: a connection peaked at $peak KiB"
	fails=$((fails + 1))
fi
[ $fails -eq 0 ] || fail "$fails hostile-input cases over SSH failed"
echo "ssh hostile: ok"
