#!/usr/bin/env bash
# ca-bundle-json.sh: `pki inspect <bundle> | json` on the system's CA bundle
# (issue 12), with the openssl CLI as the oracle: for every certificate, in
# order, subject, issuer, serial, notBefore/notAfter, subjectAltName and the
# SHA-256 fingerprint agree field by field with what `openssl x509` prints.
# Usage: bash tests/oracle/ca-bundle-json.sh <path-to-mmp>   (CA_BUNDLE
# overrides /etc/ssl/certs/ca-certificates.crt)
set -euo pipefail
mmp=$1
src=${CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}
export LC_ALL=C TZ=UTC
fail() {
	echo "ca-bundle-json: FAILED: $*" >&2
	exit 1
}
[ -r "$src" ] || fail "$src is missing: install ca-certificates (or set CA_BUNDLE)"
root=$(mktemp -d "${TMPDIR:-/tmp}/mmp-oracle.XXXXXX")
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/files" "$root/split"
cp "$src" "$root/files/cabundle.crt"

"$mmp" --root "$root" -c 'pki inspect cabundle.crt | json' >"$root/json" 2>"$root/err" ||
	fail "mmp exited with $? (stderr: $(head -c 2000 "$root/err"))"

# One file per certificate, in bundle order; openssl prints each one's
# fields with names as attribute=value lines (long names, UTF-8, unescaped).
awk -v d="$root/split" '/BEGIN CERTIFICATE/ { n++ } n { print > (d "/" sprintf("%04d", n) ".pem") }' "$src"
for c in "$root"/split/*.pem; do
	echo "=== $(basename "$c")"
	openssl x509 -in "$c" -noout -subject -issuer -serial -dates -ext subjectAltName \
		-fingerprint -sha256 -nameopt sep_multiline,lname,utf8 2>/dev/null
done >"$root/openssl"

python3 - "$root/json" "$root/openssl" <<'EOF'
import datetime
import json
import re
import sys

answers = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
if len(answers) != 1:
    sys.exit(f"ca-bundle-json: FAILED: {len(answers)} JSON answers, want 1")
a = answers[0]
if a.get("command") != "pki inspect cabundle.crt" or a.get("ok") is not True:
    sys.exit(f"ca-bundle-json: FAILED: answer is not a successful pki inspect: {str(a)[:300]}")
got = a["result"]["certificates"]

# openssl's output, one record per certificate
want = []
rec = None
section = None
for line in open(sys.argv[2], encoding="utf-8").read().split("\n"):
    if line.startswith("=== "):
        rec = {"subject": {}, "issuer": {}, "san": None}
        want.append(rec)
        section = None
    elif line in ("subject=", "issuer="):
        section = line[:-1]
    elif line.startswith("    ") and section in ("subject", "issuer"):
        k, v = line[4:].split("=", 1)
        d = rec[section]
        d[k] = d[k] + ", " + v if k in d else v
    elif line.startswith("    ") and section == "san":
        # split before each "<type>:" the CLI prints, not at commas inside
        rec["san"] = re.split(r", (?=(?:DNS|email|URI|IP Address|DirName|othername|"
                              r"Registered ID|EdiPartyName|X400Name):)", line[4:])
    elif line.startswith("X509v3 Subject Alternative Name"):
        section = "san"
    elif "=" in line:
        section = None
        k, v = line.split("=", 1)
        rec[k] = v

def rfc3339(t):
    # "May  5 09:37:37 2011 GMT"
    d = datetime.datetime.strptime(" ".join(t.split()), "%b %d %H:%M:%S %Y GMT")
    return d.strftime("%Y-%m-%dT%H:%M:%SZ")

if len(got) != len(want):
    sys.exit(f"ca-bundle-json: FAILED: mmp shows {len(got)} certificates, openssl {len(want)}")
bad = 0
counts = dict.fromkeys(["subject", "issuer", "serial", "not_before", "not_after", "san", "sha256"], 0)

def check(i, field, g, w):
    global bad
    if g == w:
        counts[field] += 1
    else:
        bad += 1
        print(f"certificate {i}: {field}: mmp {g!r}, openssl {w!r}")

for i, (g, w) in enumerate(zip(got, want), 1):
    if g["position"] != i:
        bad += 1
        print(f"certificate {i}: position {g['position']}")
    check(i, "subject", g["subject"], w["subject"])
    check(i, "issuer", g["issuer"], w["issuer"])
    check(i, "serial", (g["serial_number"] or "").replace(":", ""), w["serial"])
    check(i, "not_before", g["not_before"], rfc3339(w["notBefore"]))
    check(i, "not_after", g["not_after"], rfc3339(w["notAfter"]))
    wsan = None if w["san"] is None else [
        "IP:" + s[len("IP Address:"):] if s.startswith("IP Address:") else s for s in w["san"]]
    check(i, "san", g["subject_alt_name"], wsan)
    check(i, "sha256", g["fingerprints"].get("sha256"), w["sha256 Fingerprint"])
    # the validity flags say what the dates say
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if g["expired"] != (g["not_after"] <= now):
        bad += 1
        print(f"certificate {i}: expired is {g['expired']}, not_after {g['not_after']}, now {now}")

print("ca-bundle-json: " + ", ".join(f"{k} {v}" for k, v in counts.items()) +
      f" of {len(want)} certificates agree; {bad} mismatches")
sys.exit(1 if bad else 0)
EOF
