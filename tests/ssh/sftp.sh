#!/usr/bin/env bash
# The sftp subsystem (issue 4 point 3; OpenSSH regress/sftp-chroot.sh's
# idea): list, get, put, rename and remove inside the file store; every way
# out of it fails and leaves the store and the disk unchanged; refused names
# say why; uploads over 10 MiB are refused; an upload that breaks off leaves
# nothing under its name; files in use are neither removed nor replaced; the
# audit role lists and downloads only.
# Usage: bash tests/ssh/sftp.sh <mmp-sshd> <mmp>
source "$(dirname "$0")/common.bash"

add_user alice admin 'alice-pw-123'
add_user eve audit 'eve-pw-1234'
start_sshd
"$mmp" --root "$root" -c 'pki selfsigned ca1' >/dev/null || fail "pki selfsigned"
mkdir -p "$work/local" "$work/outside"
l=$work/local
echo "not a certificate" >"$l/x.crt"
head -c 300000 /dev/urandom >"$l/big.der"
echo "outside" >"$work/outside/keep.txt"

batch() { printf '%s\n' "$@" >"$work/batch"; }

# the normal work
batch 'ls -l' "get ca1.crt $l/ca1.crt" "put $l/x.crt x.crt" "put $l/big.der big.der" \
	"get big.der $l/big-back.der" 'rename x.crt y.crt' 'ls' 'rm y.crt' 'ls -1' 'pwd' 'cd /' 'ls .'
out=$(pw_sftp alice alice-pw-123 "$work/batch" 2>&1) || fail "sftp session: $out"
cmp -s "$l/ca1.crt" "$root/files/ca1.crt" || fail "get ca1.crt: different bytes"
cmp -s "$l/big.der" "$l/big-back.der" || fail "put then get of 300 kB: different bytes"
echo "$out" | grep -q '^-rw-r--r-- .* ca1\.crt$' || fail "ls -l: $out"
echo "$out" | grep -q 'Remote working directory: /$' || fail "pwd: $out"
[ -e "$root/files/x.crt" ] || [ -e "$root/files/y.crt" ] && fail "rename/rm left x.crt or y.crt"
[ "$(ls -A "$root/files" | grep -c '^\.tmp-')" = 0 ] || fail "temporary files left in the store"
# issue 11: one rule for modes: secrets (a key under any name) 0600, the rest
# 0644, for uploads as for the files mmp writes
cp "$root/files/ca1.key" "$l/k.pem"
batch "put $l/ca1.crt up.crt" "put $l/k.pem up-key.pem" "put $l/big.der up.der"
out=$(pw_sftp alice alice-pw-123 "$work/batch" 2>&1) || fail "sftp puts: $out"
[ "$(stat -c %a "$root/files/up.crt")" = 644 ] || fail "an uploaded certificate is not 0644"
[ "$(stat -c %a "$root/files/up-key.pem")" = 600 ] || fail "an uploaded key is not 0600"
[ "$(stat -c %a "$root/files/up.der")" = 600 ] || fail "contents mmp cannot tell are not 0600"
[ "$(stat -c %a "$root/files/ca1.key")" = 600 ] && [ "$(stat -c %a "$root/files/ca1.crt")" = 644 ] ||
	fail "pki selfsigned: key not 0600 or certificate not 0644"
rm -f "$root/files/up.crt" "$root/files/up-key.pem" "$root/files/up.der"

# escapes: each must fail, and nothing may change under the root or outside
before=$(snapshot)
disk() { ls -la --time-style=+%s "$work/outside"; ls -A "$work" "$l"; }
outside=$(disk)
refused() { # sftp commands: each one alone must fail, with the message
	local cmd msg=$1
	shift
	for cmd in "$@"; do
		batch "$cmd"
		out=$(pw_sftp alice alice-pw-123 "$work/batch" 2>&1) && fail "sftp '$cmd' succeeded: $out"
		[ -z "$msg" ] || echo "$out" | grep -q -- "$msg" || fail "sftp '$cmd' did not say \"$msg\": $out"
	done
}
refused '"\.\." leaves the file store' "put $l/x.crt ../x.crt" "put $l/x.crt ../../outside/x.crt" \
	"put $l/x.crt ./../x.crt" 'rename ca1.crt ../ca1.crt' 'rm ../mmp.db' "get ../mmp.db $l/db"
refused 'it has no folders' "put $l/x.crt ssh/x.crt" "put $l/x.crt /files/x.crt" 'rename ca1.crt sub/ca1.crt'
refused '' "get /etc/passwd $l/passwd" "get /etc/shadow $l/shadow" 'cd /etc' 'ls /etc' \
	"get ../ssh/ssh_host_ed25519_key $l/hk"
refused 'no folders can be made' 'mkdir newdir' 'rmdir files'
refused 'no symbolic links' 'ln -s ca1.crt link.crt' 'ln -s /etc/passwd pw.crt'
refused 'no hard links' 'ln ca1.crt hard.crt'
refused 'set by mmp' 'chmod 777 ca1.crt' 'chown 0 ca1.crt'
refused 'use a name like "bad-name.crt"\|bad-name' "put $l/x.crt bad_name.crt"
refused '^mmp: "' "put $l/x.crt a..b.crt" "put $l/x.crt .hidden.crt" \
	"put $l/x.crt noext" "put $l/x.crt x.exe" 'rename ca1.crt ca_1.crt'
[ -e "$l/passwd" ] && fail "get /etc/passwd wrote a file"
[ "$(snapshot)" = "$before" ] || { diff <(echo "$before") <(snapshot); fail "an escape changed the root"; }
[ "$(disk)" = "$outside" ] || { diff <(echo "$outside") <(disk); fail "an escape changed the disk"; }

# uploads over 10 MiB are refused, leaving nothing
head -c $((10 * 1024 * 1024)) /dev/zero >"$l/ten.der"
head -c $((10 * 1024 * 1024 + 1)) /dev/zero >"$l/over.der"
batch "put $l/ten.der ten.der"
pw_sftp alice alice-pw-123 "$work/batch" >/dev/null 2>&1 || fail "a 10 MiB upload was refused"
batch "put $l/over.der over.der"
out=$(pw_sftp alice alice-pw-123 "$work/batch" 2>&1) && fail "an upload over 10 MiB was accepted"
echo "$out" | grep -q 'limited to 10 MiB' || fail "the 10 MiB refusal did not say why: $out"
[ -e "$root/files/over.der" ] && fail "the refused upload left over.der"

# an upload that breaks off leaves no file under its name (nor a temporary)
head -c $((8 * 1024 * 1024)) /dev/urandom >"$l/slow.der"
batch "put $l/slow.der slow.der"
# shellcheck disable=SC2046
sshpass -p alice-pw-123 sftp $(ssh_opts | sed 's/-p /-P /') -o BatchMode=no -o PubkeyAuthentication=no \
	-l 2000 -b "$work/batch" alice@127.0.0.1 >/dev/null 2>&1 &
cpid=$!
for i in $(seq 1 100); do ls -A "$root/files" | grep -q '^\.tmp-.*slow\.der$' && break; sleep 0.1; done
ls -A "$root/files" | grep -q '^\.tmp-.*slow\.der$' || fail "the slow upload never started"
sleep 1
pkill -KILL -P "$cpid" 2>/dev/null
kill -KILL "$cpid" 2>/dev/null
wait "$cpid" 2>/dev/null
for i in $(seq 1 50); do ls -A "$root/files" | grep -q 'slow' || break; sleep 0.1; done
ls -A "$root/files" | grep -q 'slow' && fail "a broken-off upload left: $(ls -A "$root/files" | grep slow)"
audit_has 'sftp: put slow\.der \(broken off\) \[failed\]' || fail "the broken-off upload was not audited"

# files in use by a service: neither removed, replaced nor renamed
"$mmp" --root "$root" -c 'pki csr cb CN:cb.example.com' >/dev/null || fail "pki csr"
"$mmp" --root "$root" -c 'pki sign cb ca1' >/dev/null || fail "pki sign"
"$mmp" --root "$root" -c 'callbridge listen a' >/dev/null || fail "callbridge listen"
"$mmp" --root "$root" -c 'callbridge certs cb.key cb.crt ca1.crt' >/dev/null || fail "callbridge certs"
before=$(snapshot)
refused 'in use by callbridge' 'rm cb.crt' "put $l/x.crt cb.crt" 'rename cb.key other.key' \
	'rename ca1.key ca1.crt'
[ "$(snapshot)" = "$before" ] || fail "a file in use was changed"

# the audit role: list and get only
batch 'ls' "get ca1.crt $l/eve.crt"
pw_sftp eve eve-pw-1234 "$work/batch" >/dev/null 2>&1 || fail "audit user could not list and get"
for cmd in "put $l/x.crt eve.crt" 'rm ten.der' 'rename ten.der ten2.der'; do
	batch "$cmd"
	out=$(pw_sftp eve eve-pw-1234 "$work/batch" 2>&1) && fail "audit user: '$cmd' succeeded"
	echo "$out" | grep -q 'the audit role may list and download files only' ||
		fail "audit user '$cmd': $out"
done
[ -e "$root/files/ten.der" ] && [ ! -e "$root/files/eve.crt" ] || fail "the audit user changed the store"
# issue 11: each refusal's reason is sent (and flushed) before the request's
# status, and again for the next command refused for the same reason (it
# was shown once). The reason is the ssh process's stderr and the status
# line the sftp process's output: two processes, so the terminal's order
# is the client's; the server's order is what it can give, and the count
# of reasons is what is asserted here.
batch '-rm ten.der' 'ls -1' '-rename ten.der ten2.der' 'pwd'
for i in 1 2 3; do
	out=$(pw_sftp eve eve-pw-1234 "$work/batch" 2>&1)
	n=$(echo "$out" | grep -c '^mmp: the audit role may list and download files only')
	[ "$n" = 2 ] && echo "$out" | grep -q '^remote delete /ten.der: Permission denied' &&
		echo "$out" | grep -q '^remote rename "/ten.der" to "/ten2.der": Permission denied' ||
		fail "refusal reasons (run $i): $n reasons, want 2: $out"
done

# a private key is never replaced silently, over SFTP either (SPEC §4)
k1=$(sha256sum "$root/files/ca1.key")
refused 'which is never replaced silently' "put $l/x.crt ca1.key" 'rename ten.der ca1.key'
[ "$(sha256sum "$root/files/ca1.key")" = "$k1" ] || fail "ca1.key was replaced"
# login keys (<user>.pub) are an admin's; private keys are not the audit role's
add_user carl crypto 'carl-pw-1234'
batch "put $l/x.crt alice.pub"
out=$(pw_sftp carl carl-pw-1234 "$work/batch" 2>&1) && fail "crypto user wrote alice.pub: $out"
echo "$out" | grep -q 'only an admin may create, replace, rename or remove login keys' || fail "crypto .pub refusal: $out"
[ -e "$root/files/alice.pub" ] && fail "crypto user made alice.pub"
batch "get ca1.key $l/stolen.key"
out=$(pw_sftp eve eve-pw-1234 "$work/batch" 2>&1) && fail "audit user downloaded a private key: $out"
[ -e "$l/stolen.key" ] && fail "audit user got ca1.key"

audit_has 'alice@127\.0\.0\.1 sftp: put x\.crt \[ok\]' || fail "upload not audited"
audit_has 'alice@127\.0\.0\.1 sftp: put bad_name\.crt \[refused\]' || fail "refused upload not audited"
audit_has 'eve@127\.0\.0\.1 sftp: .* \[refused\]' || fail "audit-role refusal not audited"
echo "sftp: ok"
