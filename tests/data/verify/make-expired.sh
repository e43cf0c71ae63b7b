#!/usr/bin/env bash
# make-expired.sh: made the committed fixtures of the verify-expired
# transcript test, once, with `openssl ca -startdate/-enddate` (dates a
# fresh certificate cannot have). Run again only to replace them:
#   bash tests/data/verify/make-expired.sh tests/data/verify
# EC P-256 keys, thrown away; every certificate meets RFC 5280.
#   old-root.crt     CN = Old Root CA, self-signed, 2020-01-01 .. 2120-01-01
#   expired-leaf.crt CN = expired.example.com, 2020-01-01 .. 2021-01-01
#   future-leaf.crt  CN = future.example.com,  2090-01-01 .. 2091-01-01
set -euo pipefail
out=$(cd "$1" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mmp-expired.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
mkdir certs
: >index.txt
openssl rand -hex 16 >serial

cat >ca.cnf <<'CNF'
[ca]
default_ca = oldca
[oldca]
dir = .
database = index.txt
serial = serial
new_certs_dir = certs
certificate = old-root.crt
private_key = old-root.key
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = none
[anything]
commonName = supplied
[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[root]
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
CNF

newkey() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; }
# sign CSR OUT EXTENSIONS START END [-selfsign]
sign() {
	openssl ca -batch -notext -config ca.cnf -in "$1" -out "$2" -extensions "$3" \
		-startdate "$4" -enddate "$5" ${6:-} 2>/dev/null
}

newkey old-root.key
openssl req -new -key old-root.key -subj "/CN=Old Root CA" -config ca.cnf -out old-root.csr
sign old-root.csr old-root.crt root 20200101000000Z 21200101000000Z -selfsign
for c in expired:20200101000000Z:20210101000000Z future:20900101000000Z:20910101000000Z; do
	IFS=: read -r name start end <<<"$c"
	newkey "$name.key"
	openssl req -new -key "$name.key" -subj "/CN=$name.example.com" -config ca.cnf -out "$name.csr"
	sign "$name.csr" "$name-leaf.crt" leaf "$start" "$end"
done
cp old-root.crt expired-leaf.crt future-leaf.crt "$out/"
