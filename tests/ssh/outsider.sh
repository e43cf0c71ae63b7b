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

# §2 a PKCS#12 names its own key derivation rounds (an INTEGER): one with
# 8,388,607 for its MAC and each part cost seconds per guess, 2^31 about
# half an hour. Over PKI_P12_MAX_ROUNDS it is refused before any password
# is tried; the fixture's own 65,536 rounds are taken.
openssl pkcs12 -export -inkey "$data/server.key" -in "$data/server.crt" -passout pass:pw-of-p12 \
	-iter 65536 -out "$work/r64k.pfx" 2>/dev/null || fail "§2 openssl pkcs12 -export"
"$py" - "$work" <<'PY' || fail "§2 patching the rounds"
import sys
w = sys.argv[1]
d = open(w + "/r64k.pfx", "rb").read()
n = d.count(b"\x02\x03\x01\x00\x00")
assert n >= 3, n  # the MAC, the certificates' part, the key's bag
open(w + "/r8m.pfx", "wb").write(d.replace(b"\x02\x03\x01\x00\x00", b"\x02\x03\x7f\xff\xff"))
PY
cp "$work/r64k.pfx" "$work/r8m.pfx" "$root/files/"
for f in r8m r64k; do
	printf 'pw-of-p12\n' | timeout 60 "$mmp" --root "$root" -c "pki pkcs12-extract $f.pfx x$f" >"$work/$f.out" 2>&1
	echo "st=$?" >>"$work/$f.out"
done
grep -qx 'FAILURE: r8m.pfx asks for more than 10000000 key derivation rounds for its password (its MAC and encrypted parts together), more than any export tool uses: nothing was tried or written; export it again with the tool'"'"'s default settings' "$work/r8m.out" ||
	fail "§2 25 million rounds were tried: $(cat "$work/r8m.out")"
grep -qx 'st=1' "$work/r8m.out" || fail "§2 exit status: $(cat "$work/r8m.out")"
[ ! -e "$root/files/xr8m.key" ] || fail "§2 a key was written"
grep -q '^SUCCESS: xr64k.key holds the private key of r64k.pfx' "$work/r64k.out" ||
	fail "§2 65,536 rounds were refused: $(cat "$work/r64k.out")"
cp "$work/r8m.pfx" "$root/files/pat.pub"
printf 'pw-of-p12\n' | timeout 60 "$mmp" --root "$root" -c "pki pkcs12-to-ssh pat" >"$work/ssh.out" 2>&1
grep -q 'pat.pub asks for more than 10000000 key derivation rounds' "$work/ssh.out" ||
	fail "§2 pki pkcs12-to-ssh tried them: $(cat "$work/ssh.out")"
echo "§2 PKCS#12 key derivation rounds are capped: ok"

# §3 sixteen sessions upload sixteen keys to one new name and close at once:
# one key takes the name, the others are refused (the commit renamed over a
# name that another session had just taken: a key replaced silently).
for i in $(seq 1 16); do
	openssl genpkey -algorithm ed25519 -out "$work/race$i.key" 2>/dev/null || fail "§3 genpkey"
done
"$py" - "$(dirname "$0")" "$port" "$work" >"$work/race.out" <<'PY' || fail "§3 the race client: $(cat "$work/race.out")"
import sys, threading
sys.path.insert(0, sys.argv[1])
from rawsftp import Sftp, PF_WRITE, PF_CREAT, PF_TRUNC
port, work, n = int(sys.argv[2]), sys.argv[3], 16
ss, hs, res = [], [], [None] * n
for i in range(n):
    s = Sftp(port, "cara", key=work + "/k-cara")
    s.init()
    r = s.open("race.key", PF_WRITE | PF_CREAT | PF_TRUNC)
    assert r.type == "handle", r
    assert s.write(r.handle, 0, open("%s/race%d.key" % (work, i + 1), "rb").read()).ok
    ss.append(s)
    hs.append(r.handle)
bar = threading.Barrier(n)
def close(i):
    bar.wait()
    res[i] = ss[i].close(hs[i])
ts = [threading.Thread(target=close, args=(i,)) for i in range(n)]
[t.start() for t in ts]
[t.join() for t in ts]
for r in res:
    print(r.status, r.msg.split(":")[0] if r.msg else "")
PY
[ "$(grep -c '^OK' "$work/race.out")" = 1 ] || fail "§3 not one upload took the name: $(sort "$work/race.out" | uniq -c)"
[ "$(grep -cE '^FAILURE race.key (exists and holds a private key, which is never replaced silently|was made by another session during this upload)' "$work/race.out")" = 15 ] ||
	fail "§3 refusals: $(sort "$work/race.out" | uniq -c)"
[ "$(stat -c %a "$root/files/race.key")" = 600 ] || fail "§3 mode $(stat -c %a "$root/files/race.key")"
ls -A "$root/files" | grep -q '^\.tmp' && fail "§3 temporary files left: $(ls -A "$root/files")"
echo "§3 one new name, sixteen uploads at once: one key kept: ok"

# §4 a PKCS#12 with more certificates than a PEM file may hold: the bundle
# it wrote was one mmp refuses to read (12,000 took 90 s to order); now
# refused as a PEM file of that many blocks is, before anything is written.
"$py" - "$work/many.pfx" <<'PY' || fail "§4 making the PKCS#12"
import datetime, sys
from cryptography import x509
from cryptography.x509.oid import NameOID
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
now = datetime.datetime.now(datetime.timezone.utc)
k = ec.generate_private_key(ec.SECP256R1())
def mk(cn, issuer):
    return (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)]))
            .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
            .public_key(k.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30)).sign(k, hashes.SHA256()))
cas = [mk("c%d" % i, "c%d" % (i + 1)) for i in range(1000)]
open(sys.argv[1], "wb").write(pkcs12.serialize_key_and_certificates(
    b"many", k, mk("leaf", "c0"), cas, serialization.BestAvailableEncryption(b"pw-of-p12")))
PY
cp "$work/many.pfx" "$root/files/many.pfx"
printf 'pw-of-p12\n' | timeout 120 "$mmp" --root "$root" -c "pki pkcs12-extract many.pfx many" >"$work/many.out" 2>&1
[ "$(cat "$work/many.out")" = "FAILURE: many.pfx holds 1001 certificates, more than the 1000 any chain or trust bundle holds: nothing was written; export it again with the certificate of its key and that certificate's chain only" ] ||
	fail "§4 $(head -c 600 "$work/many.out")"
for f in many.key many.crt many-bundle.crt; do
	[ ! -e "$root/files/$f" ] || fail "§4 $f was written"
done
echo "§4 a PKCS#12 of 1001 certificates is refused: ok"

# §5 one SFTP request is read whole into memory by libssh, as long as its
# length field says (up to 256 MiB, held three times: a 64 MiB WRITE peaked
# at 204,000 KiB, 250 MiB at 740,000 KiB; the 10 MiB upload limit applies
# only after). Now every request's length is read as it arrives: over
# sftp_packet_bytes (256 KiB, OpenSSH sftp-server's limit) the session ends
# unread. A WRITE of exactly 262,144 bytes is still taken.
wait_for() { # CMD...: true within 30 s
	local i
	for i in $(seq 1 300); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}
from=$(($(wc -l <"$work/sshd.log") + 1))
"$py" - "$(dirname "$0")" "$port" "$work" >"$work/big.out" 2>&1 <<'PY' || fail "§5 the client: $(cat "$work/big.out")"
import sys, time
sys.path.insert(0, sys.argv[1])
from rawsftp import Sftp, PF_WRITE, PF_CREAT, PF_TRUNC
port, work = int(sys.argv[2]), sys.argv[3]
s = Sftp(port, "cara", key=work + "/k-cara", timeout=120)
s.init()
r = s.open("big.crt", PF_WRITE | PF_CREAT | PF_TRUNC)
assert r.type == "handle", r
w = s.write(r.handle, 0, b"A" * (64 << 20))
print("big", w.type, w.status if w.type == "status" else "", w.msg)
# ssh writes the server's stderr line when it gets to it, after the
# channel closed: wait for it (or for ssh to end), not a fixed second
for _ in range(300):
    if "mmp:" in s.stderr_text() or s.proc.poll() is not None:
        break
    time.sleep(0.1)
print("stderr", s.stderr_text(0.5).strip())
s = Sftp(port, "cara", key=work + "/k-cara", timeout=120)
s.init()
r = s.open("edge.crt", PF_WRITE | PF_CREAT | PF_TRUNC)
assert r.type == "handle", r
data = b"B" * (262144 - 29)  # length field: type 1, id 4, handle 4+8, offset 8, data 4+n
print("edge", s.write(r.handle, 0, data).status, s.close(r.handle).status)
PY
grep -qx 'big lost  .*' "$work/big.out" || fail "§5 a 64 MiB WRITE was read: $(cat "$work/big.out")"
grep -qx 'stderr mmp: an SFTP request of 67108893 bytes is over the limit of 262144 bytes: the session ends' "$work/big.out" ||
	fail "§5 stderr: $(cat "$work/big.out")"
grep -qx 'edge OK OK' "$work/big.out" || fail "§5 a WRITE of 262,144 bytes: $(cat "$work/big.out")"
[ "$(stat -c %s "$root/files/edge.crt")" = $((262144 - 29)) ] || fail "§5 edge.crt: $(ls -l "$root/files")"
wait_for grep -q 'cara: sftp: a request of 67108893 bytes, over the limit of 262144 (sftp_packet_bytes): session ended unread' "$work/sshd.log" ||
	fail "§5 no log line"
# both connections have ended: the refused one held at most the 256 KiB
# limit, libssh's 1.25 MiB channel window and its buffers; 64 MiB or more
# means the request was held.
ended() { [ "$(tail -n +"$from" "$work/sshd.log" | grep -c 'connection ended (cara), peak memory')" -ge 2 ]; }
wait_for ended || fail "§5 the connections did not end"
peaks=$(tail -n +"$from" "$work/sshd.log" | sed -n 's/.*connection ended (cara), peak memory \([0-9]*\) KiB/\1/p' | tr '\n' ' ' | sed 's/ $//')
peak=$(echo $peaks | tr ' ' '\n' | sort -n | tail -n 1)
[ "${MMP_SANITIZED:-0}" = 1 ] || [ "$peak" -lt $((32 * 1024)) ] ||
	fail "§5 a connection peaked at $peak KiB, want under 32 MiB (all: $peaks)"
echo "§5 an SFTP request over 256 KiB ends the session unread (peak memory of cara's connections: $peaks KiB): ok"
