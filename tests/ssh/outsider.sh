#!/usr/bin/env bash
# The outside attack of the access table, PKCS#12 extraction and limits
# (helper T): what attack.sh and access.sh did not try. One section per
# finding; each fails on the code before its fix.
# Usage: bash tests/ssh/outsider.sh <mmp-sshd> <mmp>
source "$(dirname "$0")/common.bash"
data=$(cd "$(dirname "$0")/../data/inputs" && pwd)
py=$(python3 -c 'import sys; print(sys.executable)')
raw=("$py" "$(dirname "$0")/rawsftp.py")

add_user ada admin "pw-of-ada1"
add_user cara crypto "pw-of-cara"
add_user otto audit "pw-of-otto"
for u in ada cara otto; do
	ssh-keygen -q -t ed25519 -N '' -f "$work/k-$u" || fail ssh-keygen
done
cp "$work/k-ada.pub" "$root/files/ada.pub"
cp "$work/k-cara.pub" "$root/files/cara.pub"
cp "$work/k-otto.pub" "$root/files/otto.pub"
start_sshd
rawas() { # USER REQUEST...
	local u=$1
	shift
	"${raw[@]}" --port "$port" --user "$u" --key "$work/k-$u" "$@" || fail "rawsftp: $*"
}

# §1 a private key inside a public PEM block: after the certificate's DER in
# its CERTIFICATE block, or in a PEM header line of the block. Both were
# plain, so the audit role downloaded the key.
"$py" - "$data" "$work" <<'PY' || fail "making the disguised files"
import base64, subprocess, sys
data, work = sys.argv[1], sys.argv[2]
der = lambda *a: subprocess.run(["openssl", *a, "-outform", "DER"], check=True, capture_output=True).stdout
cert = der("x509", "-in", data + "/server.crt")
key = der("pkey", "-in", data + "/server.key")
def pem(label, d, header=""):
    b = base64.b64encode(d).decode()
    lines = "\n".join(b[i:i + 64] for i in range(0, len(b), 64))
    return "-----BEGIN %s-----\n%s%s\n-----END %s-----\n" % (label, header, lines, label)
open(work + "/tail.crt", "w").write(pem("CERTIFICATE", cert + key))
open(work + "/hdr.crt", "w").write(pem("CERTIFICATE", cert, "X-Note: " + base64.b64encode(key).decode() + "\n\n"))
PY
out=$(rawas ada "put:tail.crt:$work/tail.crt" "put:hdr.crt:$work/hdr.crt" "put:plain.crt:$data/server.crt")
[ "$(echo "$out" | grep -c ' OK wrote=')" = 3 ] || fail "§1 admin uploads: $out"
out=$(rawas otto get:tail.crt get:hdr.crt get:plain.crt)
echo "$out" | grep -q '^get:tail.crt PERMISSION_DENIED tail.crt holds a private key' ||
	fail "§1 a key after the certificate in its block was downloaded by audit: $out"
echo "$out" | grep -q '^get:hdr.crt PERMISSION_DENIED hdr.crt holds a private key' ||
	fail "§1 a key in a PEM header was downloaded by audit: $out"
echo "$out" | grep -q '^get:plain.crt OK sha256=' || fail "§1 a certificate is no longer plain: $out"
[ "$(stat -c %a "$root/files/tail.crt") $(stat -c %a "$root/files/hdr.crt") $(stat -c %a "$root/files/plain.crt")" = "600 600 644" ] ||
	fail "§1 modes: $(ls -l "$root/files")"
echo "§1 keys hidden in public PEM blocks are secrets: ok"
