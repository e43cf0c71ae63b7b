#!/usr/bin/env bash
# make-chain.sh DIR: fresh certificates for the verify-* transcript tests,
# made with the openssl CLI by each test's .setup (so they never expire in
# CI). EC P-256 keys; every certificate meets RFC 5280 (openssl -x509_strict).
#   root.crt         CN = Example Root CA, self-signed CA
#   inter.crt        CN = Example Intermediate CA, issued by the root
#   leaf.crt/.key    CN = server.example.com, issued by the intermediate
#   bundle.crt       inter.crt then root.crt (guide §1.2.4: the root last)
#   noca.crt         CN = Example Not A CA: issued by the root, but
#                    basicConstraints CA:FALSE; it issued noca-leaf.crt
#   noca-bundle.crt  noca.crt then root.crt
#   server-as-ca.crt CN = Example Server: issued by the root, KeyUsage
#                    without keyCertSign; it issued server-as-ca-leaf.crt
#   tampered.crt     leaf.crt with one bit of its signature flipped
#   impostor-bundle.crt  a CA named like the intermediate but with another
#                    key (so it did not issue leaf.crt), then root.crt
#   bundle.p7b       bundle.crt as PKCS#7 (PEM); root.der: root.crt as DER
#   leafkey.pem      leaf.key under a certificate extension
#   locked.pem       an encrypted (password-protected) private key
#   empty.crt        zero bytes
#   noise.crt        512 bytes of (fixed) noise
set -euo pipefail
out=$(cd "$1" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mmp-verify-data.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

cat >x509.cnf <<'CNF'
[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[leaf]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth, clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[noca]
basicConstraints = critical, CA:FALSE
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
CNF

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" 2>/dev/null; }
# issue NAME "SUBJECT" ISSUER EXTENSIONS [SAN]
issue() {
	key "$1"
	openssl req -new -key "$1.key" -subj "$2" -config x509.cnf -out "$1.csr"
	if [ -n "${5:-}" ]; then
		printf '[ext]\nsubjectAltName = %s\n' "$5" >san.cnf
		sed -n "/^\[$4\]/,/^\[/p" x509.cnf | sed '1d;/^\[/d' >>san.cnf
		set -- "$1" "$2" "$3" ext san.cnf
	else
		set -- "$1" "$2" "$3" "$4" x509.cnf
	fi
	openssl x509 -req -in "$1.csr" -CA "$3.crt" -CAkey "$3.key" -set_serial "0x$(openssl rand -hex 16)" \
		-days 3650 -sha256 -extfile "$5" -extensions "$4" -out "$1.crt" 2>/dev/null
}

key root
openssl req -x509 -new -key root.key -subj "/CN=Example Root CA" -config x509.cnf -extensions ca \
	-set_serial "0x$(openssl rand -hex 16)" -days 7300 -sha256 -out root.crt
issue inter "/CN=Example Intermediate CA" root ca
issue leaf "/CN=server.example.com" inter leaf DNS:server.example.com
issue noca "/CN=Example Not A CA" root noca
issue noca-leaf "/CN=noca-leaf.example.com" noca leaf DNS:noca-leaf.example.com
issue server-as-ca "/CN=Example Server" root leaf DNS:example.com
issue server-as-ca-leaf "/CN=other.example.com" server-as-ca leaf DNS:other.example.com
issue impostor "/CN=Example Intermediate CA" root ca
cat inter.crt root.crt >bundle.crt
cat impostor.crt root.crt >impostor-bundle.crt
cat noca.crt root.crt >noca-bundle.crt
cat server-as-ca.crt root.crt >server-as-ca-bundle.crt
openssl crl2pkcs7 -nocrl -certfile bundle.crt -out bundle.p7b
openssl x509 -in root.crt -outform DER -out root.der
openssl x509 -in leaf.crt -outform DER -out leaf.der
n=$(stat -c %s leaf.der)
last=$(tail -c 1 leaf.der | od -An -tu1 | tr -d ' ')
{ head -c $((n - 1)) leaf.der; printf "\\$(printf %03o $((last ^ 1)))"; } >tampered.der
openssl x509 -inform DER -in tampered.der -out tampered.crt
cp leaf.key leafkey.pem
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -aes-256-cbc -pass pass:secret \
	-out locked.pem 2>/dev/null
: >empty.crt
openssl enc -aes-128-ctr -K 00112233445566778899aabbccddeeff -iv 0 </dev/zero 2>/dev/null |
	head -c 512 >noise.crt || true

cp root.crt inter.crt leaf.crt leaf.key bundle.crt noca.crt noca-leaf.crt noca-bundle.crt \
	server-as-ca.crt server-as-ca-leaf.crt server-as-ca-bundle.crt tampered.crt impostor-bundle.crt bundle.p7b \
	root.der leafkey.pem locked.pem empty.crt noise.crt "$out/"
