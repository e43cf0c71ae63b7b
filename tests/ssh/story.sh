#!/usr/bin/env bash
# The guide's §3.1.4 -> §4 story over SSH only (issue 4): make the Call
# Bridge key and CSR with ssh, download the CSR with sftp, have it signed by
# a CA made outside mmp with the openssl CLI, upload the certificate and the
# CA bundle with sftp, install them with `callbridge certs` over ssh. Then an
# audit user's `callbridge certs` and `pki csr` are refused and audited.
# Usage: bash tests/ssh/story.sh <mmp-sshd> <mmp>
source "$(dirname "$0")/common.bash"

add_user alice admin 'alice-pw-123'
add_user eve audit 'eve-pw-1234'
start_sshd
ca=$work/ca
mkdir -p "$ca"
run() { pw_ssh alice alice-pw-123 "$1" >"$work/out" 2>&1 || fail "ssh '$1': $(cat "$work/out")"; }

# §3.1.4: key and CSR on the server, CSR downloaded
run 'pki csr callbridge CN:callbridge.example.com subjectAltName:cb1.example.com,cb2.example.com'
grep -q 'CSR file callbridge.csr ready for download via SFTP' "$work/out" || fail "pki csr: $(cat "$work/out")"
printf 'get callbridge.csr %s/callbridge.csr\n' "$ca" >"$work/batch"
pw_sftp alice alice-pw-123 "$work/batch" >/dev/null 2>&1 || fail "sftp get callbridge.csr"
openssl req -in "$ca/callbridge.csr" -noout -verify 2>/dev/null || fail "the downloaded CSR does not verify"
cmp -s "$ca/callbridge.csr" "$root/files/callbridge.csr" || fail "the downloaded CSR differs"

# a CA outside mmp: root -> intermediate -> leaf, with the openssl CLI
cat >"$ca/ext.cnf" <<'EOF'
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[leaf]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = DNS:callbridge.example.com, DNS:cb1.example.com, DNS:cb2.example.com
EOF
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$ca/root.key" -out "$ca/root.crt" -days 365 \
	-subj '/CN=Story Root CA' -addext 'basicConstraints=critical,CA:TRUE' \
	-addext 'keyUsage=critical,keyCertSign,cRLSign' 2>/dev/null || fail "openssl root CA"
openssl req -new -newkey rsa:2048 -nodes -keyout "$ca/int.key" -out "$ca/int.csr" \
	-subj '/CN=Story Issuing CA' 2>/dev/null || fail "openssl intermediate CSR"
openssl x509 -req -in "$ca/int.csr" -CA "$ca/root.crt" -CAkey "$ca/root.key" -CAcreateserial \
	-days 365 -extfile "$ca/ext.cnf" -extensions ca -out "$ca/int.crt" 2>/dev/null || fail "openssl intermediate"
openssl x509 -req -in "$ca/callbridge.csr" -CA "$ca/int.crt" -CAkey "$ca/int.key" -CAcreateserial \
	-days 365 -extfile "$ca/ext.cnf" -extensions leaf -out "$ca/callbridge.crt" 2>/dev/null ||
	fail "openssl signing the CSR"
cat "$ca/int.crt" "$ca/root.crt" >"$ca/cabundle.crt"

# §4: upload, install, show
printf 'put %s/callbridge.crt callbridge.crt\nput %s/cabundle.crt cabundle.crt\nls\n' "$ca" "$ca" >"$work/batch"
pw_sftp alice alice-pw-123 "$work/batch" >"$work/out" 2>&1 || fail "sftp put: $(cat "$work/out")"
run 'pki verify callbridge.crt cabundle.crt'
grep -q '^SUCCESS: callbridge.crt verifies' "$work/out" || fail "pki verify: $(cat "$work/out")"
run 'callbridge listen a'
run 'callbridge certs callbridge.key callbridge.crt cabundle.crt'
grep -q '^SUCCESS: Key and certificate pair match' "$work/out" || fail "callbridge certs: $(cat "$work/out")"
run 'callbridge restart'
grep -q '^SUCCESS: callbridge enabled' "$work/out" || fail "callbridge restart: $(cat "$work/out")"
run 'callbridge'
grep -q '^Certificate file *: callbridge.crt$' "$work/out" || fail "callbridge shows: $(cat "$work/out")"
grep -q '^CA Bundle file *: cabundle.crt$' "$work/out" || fail "callbridge shows: $(cat "$work/out")"
# the files it uses can no longer be replaced over sftp
printf 'put %s/root.crt cabundle.crt\n' "$ca" >"$work/batch"
pw_sftp alice alice-pw-123 "$work/batch" >"$work/out" 2>&1 && fail "an in-use bundle was replaced"
grep -q 'in use by callbridge' "$work/out" || fail "in-use refusal: $(cat "$work/out")"
cmp -s "$ca/cabundle.crt" "$root/files/cabundle.crt" || fail "the in-use bundle changed"

# the audit role: displays yes, certificate changes and CSRs no (refused, audited)
before=$(snapshot)
out=$(pw_ssh eve eve-pw-1234 'pki inspect callbridge.crt' 2>&1) || fail "audit user pki inspect: $out"
for cmd in 'callbridge certs callbridge.key callbridge.crt cabundle.crt' 'pki csr evil CN:evil.example.com' \
	'callbridge certs none'; do
	out=$(pw_ssh eve eve-pw-1234 "$cmd" 2>&1) && fail "audit user ran '$cmd'"
	echo "$out" | grep -q 'not allowed for the audit role' || fail "audit user '$cmd': $out"
	audit_has "eve@127\\.0\\.0\\.1 command: ${cmd%% *} .*\\[refused\\]" || fail "'$cmd' refusal not audited"
done
[ "$(snapshot)" = "$before" ] || fail "the audit user changed the store"
"$mmp" --root "$root" -c 'callbridge' | grep -q '^Certificate file *: callbridge.crt$' ||
	fail "the audit user changed the settings"
echo "story: ok"
