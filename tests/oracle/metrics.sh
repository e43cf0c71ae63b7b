#!/usr/bin/env bash
# metrics.sh (issue 14): `pki metrics` and `mmp-sshd --metrics FILE` write
# what node_exporter's textfile collector reads. promtool (Debian's
# prometheus) accepts the file, and every series is checked against the
# certificates themselves with the openssl CLI as the oracle: one series
# per certificate of every file and per service that uses the file, the
# labels of enix's x509-certificate-exporter (serial_number in decimal,
# subject_*/issuer_* from the names), not_before/not_after in seconds,
# expired 0/1. Then mmp-sshd rewrites the file on its timer, atomically
# (mode 0644, nothing left beside it), and a certificate replaced under the
# same name shows in the next file.
# Usage: bash tests/oracle/metrics.sh <path-to-mmp>
set -euo pipefail
mmp=$1
sshd=$(dirname "$mmp")/mmp-sshd
export LC_ALL=C TZ=UTC
fail() {
	echo "metrics: FAILED: $*" >&2
	exit 1
}
command -v promtool >/dev/null || fail "promtool is missing: install Debian's prometheus package (scripts/dev test does)"
w=$(mktemp -d "${TMPDIR:-/tmp}/mmp-metrics.XXXXXX")
spid=
trap '[ -n "$spid" ] && kill "$spid" 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$w"' EXIT
root=$w/node
mkdir -p "$root/files" "$w/ca/certs"
cd "$w/ca"
# a throwaway CA: when, cert NAME SUBJECT ISSUER EXT START END
. "$(cd "$(dirname "$0")/../data/lib" && pwd)/testca.bash"
testca_init
cert root "/C=NO/ST=Oslo/L=Oslo/O=Example AS/OU=PKI/CN=Metrics Root CA" self ca_ext "$(when '-900 days')" "$(when '+3650 days')"
cert inter "/O=Example AS/CN=Metrics Issuing CA" root ca_ext "$(when '-800 days')" "$(when '+20 days')"
cert cb "/O=Example AS/OU=Video \"Core\" \\\\ Team/CN=cb.example.com" inter leaf "$(when '-2 days')" "$(when '+300 days')"
cert gone "/CN=gone.example.com" root leaf "$(when '-400 days')" "$(when '-3 days')"
cert turn "/CN=turn.example.com" root leaf "$(when '-2 days')" "$(when '+100 days')"
cp root.crt cb.key cb.crt gone.crt turn.key turn.crt "$root/files/"
cat inter.crt root.crt >"$root/files/cb-bundle.crt"
cd "$w"
# root.crt is used by two services: one series for each
"$mmp" --root "$root" -e >"$w/setup.out" 2>&1 <<'CMDS' || fail "setting up the services: $(cat "$w/setup.out")"
callbridge certs cb.key cb.crt cb-bundle.crt
callbridge trust c2w root.crt
turn certs turn.key turn.crt root.crt
CMDS
"$mmp" --root "$root" -c 'pki metrics' >"$w/m1.prom" || fail "pki metrics exited with $?"
promtool check metrics <"$w/m1.prom" >"$w/promtool.out" 2>&1 || fail "promtool refuses pki metrics: $(cat "$w/promtool.out")"

# The oracle: each file's certificates through the openssl CLI.
cat >"$w/check.py" <<'PY'
import datetime, re, subprocess, sys

prom, files_dir, now = sys.argv[1], sys.argv[2], int(sys.argv[3])
uses = {"cb.crt": ["callbridge"], "cb-bundle.crt": ["callbridge"], "root.crt": ["callbridge", "turn"],
        "turn.crt": ["turn"], "gone.crt": [None]}

def fail(msg):
    print("metrics: FAILED: " + msg, file=sys.stderr)
    sys.exit(1)

def openssl(args, pem):
    return subprocess.run(["openssl"] + args, input=pem, capture_output=True, text=True, check=True).stdout

def name(pem, which):
    out = openssl(["x509", "-noout", "-" + which, "-nameopt", "sep_multiline,sname,utf8,-esc_msb"], pem)
    got = {}
    for line in out.splitlines()[1:]:
        k, v = line.strip().split("=", 1)
        got.setdefault(k, v)  # the first value of each kind, as the exporter labels it
    return got

def date(pem, which):
    out = openssl(["x509", "-noout", "-" + which], pem).strip().split("=", 1)[1]
    t = datetime.datetime.strptime(out, "%b %d %H:%M:%S %Y %Z").replace(tzinfo=datetime.timezone.utc)
    return int(t.timestamp())

expected = {}
for f, services in uses.items():
    text = open(files_dir + "/" + f).read()
    for pem in re.findall(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----\n", text, re.S):
        serial = str(int(openssl(["x509", "-noout", "-serial"], pem).strip().split("=", 1)[1], 16))
        labels = {"filename": f, "filepath": files_dir + "/" + f, "serial_number": serial}
        for prefix, which in (("subject", "subject"), ("issuer", "issuer")):
            for k, v in name(pem, which).items():
                if k in ("C", "ST", "L", "O", "OU", "CN"):
                    labels[prefix + "_" + k] = v
        nb, na = date(pem, "startdate"), date(pem, "enddate")
        for s in services:
            l = dict(labels)
            if s:
                l["service"] = s
            key = tuple(sorted(l.items()))
            expected[("x509_cert_not_before", key)] = nb
            expected[("x509_cert_not_after", key)] = na
            expected[("x509_cert_expired", key)] = 1 if na <= now else 0

def unescape(v):
    return re.sub(r'\\(.)', lambda m: "\n" if m.group(1) == "n" else m.group(1), v)

got = {}
for line in open(prom):
    if line.startswith("#") or not line.strip():
        continue
    m = re.match(r'^([a-z0-9_]+)(?:\{(.*)\})? (\S+)$', line.rstrip("\n"))
    if not m:
        fail("a line promtool passed but this test cannot read: " + line)
    metric, body, value = m.groups()
    if metric == "x509_read_errors":
        if value != "0":
            fail("x509_read_errors is %s, not 0" % value)
        continue
    labels = dict((k, unescape(v)) for k, v in re.findall(r'([A-Za-z_]+)="((?:[^"\\]|\\.)*)"', body or ""))
    key = (metric, tuple(sorted(labels.items())))
    if key in got:
        fail("series twice: %s" % (key,))
    got[key] = int(value)
for key, value in expected.items():
    if key not in got:
        fail("missing series %s %s (the file has %d series)" % (key[0], dict(key[1]), len(got)))
    if got[key] != value:
        fail("%s %s is %d, the certificate says %d" % (key[0], dict(key[1]), got[key], value))
extra = set(got) - set(expected)
if extra:
    fail("series for no certificate: %s" % sorted(extra)[:3])
print("metrics: %d series match the certificates" % len(got))
PY
python3 "$w/check.py" "$w/m1.prom" "$root/files" "$(date +%s)" || exit 1

# mmp-sshd writes the same file on its timer, renamed into place
"$sshd" --root "$root" --listen 127.0.0.1:0 --foreground --metrics "$w/out/node.prom" --metrics-interval 1 \
	2>"$w/sshd.log" &
spid=$!
mkdir -p "$w/out"
for i in $(seq 1 300); do [ -s "$w/out/node.prom" ] && break; sleep 0.1; done
[ -s "$w/out/node.prom" ] || fail "mmp-sshd wrote no $w/out/node.prom in 30 s: $(cat "$w/sshd.log")"
[ "$(stat -c %a "$w/out/node.prom")" = 644 ] || fail "the metrics file has mode $(stat -c %a "$w/out/node.prom"), not 644"
diff -u "$w/m1.prom" "$w/out/node.prom" || fail "mmp-sshd's metrics differ from pki metrics"
# a certificate replaced under the same name (as an upload would): the
# next file has the new one's dates
cp "$w/ca/turn.crt" "$w/old-turn.crt"
cd "$w/ca" && cert turn "/CN=turn.example.com" root leaf "$(when '-1 days')" "$(when '+50 days')" && cd "$w"
cp "$w/ca/turn.crt" "$root/files/turn.tmp" && mv "$root/files/turn.tmp" "$root/files/turn.crt"
new_end=$(date -u -d "$(openssl x509 -noout -enddate -in "$root/files/turn.crt" | cut -d= -f2)" +%s)
for i in $(seq 1 300); do
	grep -q "^x509_cert_not_after{.*filename=\"turn.crt\".* $new_end\$" "$w/out/node.prom" && break
	sleep 0.1
done
grep -q "^x509_cert_not_after{.*filename=\"turn.crt\".* $new_end\$" "$w/out/node.prom" ||
	fail "the replaced turn.crt (not after $new_end) never showed in the metrics file"
python3 "$w/check.py" "$w/out/node.prom" "$root/files" "$(date +%s)" || exit 1
kill "$spid"
wait "$spid" 2>/dev/null || true
spid=
leftover=$(find "$w/out" -name 'node.prom.tmp*' | head -n 1)
[ -z "$leftover" ] || fail "a file was left beside the metrics file: $leftover"
echo "metrics: ok"
