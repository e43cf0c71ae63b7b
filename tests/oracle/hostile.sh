#!/usr/bin/env bash
# Hostile input (issue 5 point 5), local script mode and -c: each case gets
# a clear FAILURE or a correct answer, within a time limit, with peak memory
# under 256 MiB. Under the sanitizer build (MMP_SANITIZED=1) the time limit
# is 10x and memory is not measured (ASan's shadow memory is not ours).
set -u
mmp=$1
t=$(mktemp -d /tmp/mmp-hostile.XXXXXX)
trap 'rm -rf "$t"' EXIT
R="$t/root"
mkdir -p "$R/files"
limit_s=2
[ "${MMP_SANITIZED:-0}" = 1 ] && limit_s=20
fails=0

# run NAME EXPECT-REGEX [mmp args...] < input : checks output, time, memory
run() {
	local name=$1 expect=$2
	shift 2
	local out="$t/$name.out" tm="$t/$name.time"
	/usr/bin/time -f '%e %M' -o "$tm" timeout 60 "$mmp" --root "$R" "$@" >"$out" 2>&1
	local secs kb
	read -r secs kb < <(tail -n 1 "$tm") || { secs=99; kb=0; }
	if ! grep -qE "$expect" "$out"; then
		echo "FAIL $name: output lacks /$expect/:"; head -c 600 "$out"; echo
		fails=$((fails + 1))
	fi
	if awk -v s="$secs" -v l="$limit_s" 'BEGIN { exit !(s > l) }'; then
		echo "FAIL $name: took ${secs}s (limit ${limit_s}s)"; fails=$((fails + 1))
	fi
	if [ "${MMP_SANITIZED:-0}" != 1 ] && [ "$kb" -gt 262144 ]; then
		echo "FAIL $name: peak memory ${kb} KiB"; fails=$((fails + 1))
	fi
	printf '  %-22s %5ss %7s KiB\n' "$name" "$secs" "$kb"
}

head -c 1048576 /dev/zero | tr '\0' x >"$t/line.cmd"
run "1MiB-line" "line 1: FAILURE: the line is longer than 4096 bytes" <"$t/line.cmd"
printf 'pki list\0\n' >"$t/nul.cmd"
run "NUL" "line 1: FAILURE: the line holds a NUL byte" <"$t/nul.cmd"
printf 'pki inspect \xff\xfe.crt\n' >"$t/utf8.cmd"
run "invalid-UTF-8" 'FAILURE: "\\xFF\\xFE.crt" is not a valid file name' <"$t/utf8.cmd"
printf 'pki inspect \033]0;pwned\007.crt\n' >"$t/esc.cmd"
run "escape-in-argument" "FAILURE: control character 0x1b at column 13" <"$t/esc.cmd"
printf 'pki list\r\npki list' >"$t/crlf.cmd"
run "CRLF-no-final-newline" "^User supplied certificates and keys:" <"$t/crlf.cmd"
seq 1 10000 | tr '\n' ' ' | sed 's/^/pki list /' >"$t/args.cmd"
run "10000-arguments" "line 1: FAILURE: the line is longer than 4096 bytes" <"$t/args.cmd"
printf 'a%.0s ' $(seq 1 100) >"$t/words.cmd"
run "100-words" "FAILURE: more than 64 words on one line" <"$t/words.cmd"
python3 -c 'print("pki csr x CN:" + "\"\\\"" * 600)' >"$t/quotes.cmd"
run "nested-quotes" "FAILURE:" <"$t/quotes.cmd"
run "-c-escape" "FAILURE: control character 0x1b" -c "$(printf 'pki list\033[2J')" </dev/null

# files: a bundle of 10,000 certificates, a certificate with 5,000 SANs, a 16 MiB PEM
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$t/k.pem" \
	-subj /CN=h.example.com -days 30 -out "$t/c.pem" 2>/dev/null
for i in $(seq 1 10000); do cat "$t/c.pem"; done >"$R/files/bundle10k.crt"
run "bundle-of-10000" "more than 1000 certificates" -c 'pki inspect bundle10k.crt' </dev/null
run "verify-10000" "FAILURE: bundle10k.crt holds more than 1000" -c 'pki verify bundle10k.crt bundle10k.crt' </dev/null
python3 -c 'print("subjectAltName=" + ",".join("DNS:h%d.example.com" % i for i in range(5000)))' >"$t/san.ext"
openssl req -x509 -key "$t/k.pem" -subj /CN=h.example.com -days 30 -addext "$(cat "$t/san.ext")" \
	-out "$R/files/san5000.crt" 2>/dev/null
run "5000-SANs" "DNS:h4999.example.com" -c 'pki inspect san5000.crt' </dev/null
{ cat "$t/c.pem"; head -c 16777216 /dev/urandom | base64 -w 64 | sed '1s/^/-----BEGIN CERTIFICATE-----\n/;$s/$/\n-----END CERTIFICATE-----/'; } >"$R/files/huge.pem"
run "16MiB-PEM" "^WARNING: huge.pem: 1 PEM block was skipped: a PEM block decodes, but to no valid" -c 'pki inspect huge.pem' </dev/null

# issue 15 (found by an attack): the cluster peers against a 10 MB bundle
# of 675 certificates of 350 names took 8 s (each certificate's names were
# decoded again for each peer and each kind of match); 8 crl: files of
# 450,000 entries (10 MiB of DER each) took 1.4 GB before one pki verify
# read at most 10 MiB of revocation lists
python3 -c 'print("subjectAltName=" + ",".join("DNS:host%04d.cluster.example.com" % i for i in range(350)))' >"$t/cl.ext"
openssl req -x509 -key "$t/k.pem" -subj "/CN=cluster member" -days 30 -addext "$(cat "$t/cl.ext")" \
	-out "$t/cl.pem" 2>/dev/null
for i in $(seq 1 675); do cat "$t/cl.pem"; done >"$R/files/cluster675.crt"
"$mmp" --root "$R" -c 'callbridge trust cluster cluster675.crt' >/dev/null 2>&1
run "32-peers-675-certs" "cluster peer cb31.example.com is the exact FQDN of none" \
	-c "callbridge cluster peers $(seq -f 'cb%g.example.com' 0 31 | tr '\n' ' ')" </dev/null
(
	cd "$t" && mkdir crl && cd crl && . "$(cd "$(dirname "$0")/../data/lib" 2>/dev/null && pwd || echo "$MMP_TESTDATA/lib")/testca.bash" &&
	testca_init && printf 'crlnumber = crlnumber\n' >>ca.cnf && sed -i 's/^\[testca\]$/[testca]\ncrlnumber = crlnumber/' ca.cnf &&
	echo 1000 >crlnumber && cert ca "Hostile CRL CA" self ca_ext "$(when '-9 days')" "$(when '+30 days')" &&
	awk 'BEGIN { for (i = 0; i < 450000; i++)
		printf "R\t300101000000Z\t260115000000Z\t%X\tunknown\t/CN=x%d\n", 1048576 + i, i }' >index.txt &&
	openssl ca -gencrl -config ca.cnf -cert ca.crt -keyfile ca.key -crldays 30 -out big.pem 2>/dev/null &&
	openssl crl -in big.pem -outform DER -out big.der && cp ca.crt "$R/files/crlca.crt" &&
	for i in 1 2 3 4 5 6 7 8; do cp big.der "$R/files/crl$i.der"; done
) || { echo "FAIL: the 10 MiB CRL was not made"; fails=$((fails + 1)); }
run "8-crl-files-of-10MiB" "FAILURE: crl2.der: CRL 1 .* over the 10 MiB it reads" \
	-c 'pki verify crlca.crt crlca.crt crl:crl1.der crl:crl2.der crl:crl3.der crl:crl4.der crl:crl5.der crl:crl6.der crl:crl7.der crl:crl8.der' </dev/null
"$mmp" --root "$R" -c 'callbridge trust cluster none' >/dev/null 2>&1
rm -f "$R/files/cluster675.crt" "$R/files/crlca.crt" "$R/files"/crl[1-8].der

# a file name put in the store by other means than mmp: listed escaped,
# one line, never raw
: >"$R/files/$(printf 'evil\033[31mred\nx.crt')"
run "escape-in-file-name" 'evil\\x1B\[31mred\\x0Ax\.crt' -c 'pki list' </dev/null
if grep -q "$(printf '\033')" "$t/escape-in-file-name.out"; then
	echo "FAIL escape-in-file-name: a raw escape in pki list"; fails=$((fails + 1))
fi
rm -f "$R/files/$(printf 'evil\033[31mred\nx.crt')"

# end of input inside a password prompt and a Y prompt
openssl genrsa -aes128 -passout pass:pw -out "$R/files/locked.key" 2048 2>/dev/null
printf 'pki unlock locked.key\n' >"$t/eof-pw.cmd"
run "EOF-at-password" "FAILURE: pki unlock: no password was given" <"$t/eof-pw.cmd"
# an answer line too long for its question is taken, not run: the next
# line is still a command
{ printf 'pki unlock locked.key\n'; head -c 2000 /dev/zero | tr '\0' x; printf '\npki inspect locked.key\n'; } >"$t/long-pw.cmd"
run "too-long-answer" "^It is locked: use pki unlock locked.key" <"$t/long-pw.cmd"
grep -q '^line 1: FAILURE: the answer line is too long for this question: it is not used$' "$t/too-long-answer.out" ||
	{ echo "FAIL too-long-answer: no FAILURE for the long answer"; fails=$((fails + 1)); }

if [ $fails -ne 0 ]; then
	echo "hostile: $fails failed"
	exit 1
fi
echo "hostile: ok"
