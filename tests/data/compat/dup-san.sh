#!/usr/bin/env bash
# dup-san.sh KEY OUT CN: a self-signed certificate (RSA key KEY, PEM) with
# two subjectAltName extensions (DNS:<CN>, then DNS:www.<CN>), as the
# openssl issues #10686 and #25799 describe. RFC 5280 section 4.2 forbids a
# second instance of an extension, so no openssl command issues one; the
# certificate is built with the openssl CLI's ASN.1 generator and signed
# with openssl dgst. Valid 30 days from now.
set -euo pipefail
key=$1 out=$2 cn=$3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mmp-dupsan.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
pub=$(openssl rsa -in "$key" -RSAPublicKey_out -outform DER 2>/dev/null | od -An -v -tx1 | tr -d ' \n')
from=$(date -u -d '-1 minute' +%y%m%d%H%M%SZ)
to=$(date -u -d '+30 days' +%y%m%d%H%M%SZ)
cat >"$tmp/tbs.cnf" <<CNF
asn1 = SEQUENCE:tbs
[tbs]
version = EXPLICIT:0,INTEGER:2
serial = INTEGER:0x1D5A
sigalg = SEQUENCE:sigalg
issuer = SEQUENCE:name
validity = SEQUENCE:validity
subject = SEQUENCE:name
spki = SEQUENCE:spki
exts = EXPLICIT:3,SEQUENCE:exts
[sigalg]
oid = OID:sha256WithRSAEncryption
null = NULL
[name]
cn = SET:cn
[cn]
attr = SEQUENCE:cnattr
[cnattr]
oid = OID:commonName
value = UTF8:$cn
[validity]
from = UTCTIME:$from
to = UTCTIME:$to
[spki]
alg = SEQUENCE:rsaalg
key = FORMAT:HEX,BITSTRING:$pub
[rsaalg]
oid = OID:rsaEncryption
null = NULL
[exts]
san1 = SEQUENCE:san1
san2 = SEQUENCE:san2
[san1]
oid = OID:subjectAltName
value = OCTWRAP,SEQUENCE:names1
[names1]
dns = IMPLICIT:2,IA5STRING:$cn
[san2]
oid = OID:subjectAltName
value = OCTWRAP,SEQUENCE:names2
[names2]
dns = IMPLICIT:2,IA5STRING:www.$cn
CNF
openssl asn1parse -genconf "$tmp/tbs.cnf" -noout -out "$tmp/tbs.der" >/dev/null
sig=$(openssl dgst -sha256 -sign "$key" "$tmp/tbs.der" | od -An -v -tx1 | tr -d ' \n')
{
	sed 's/^asn1 = SEQUENCE:tbs$/asn1 = SEQUENCE:cert/' "$tmp/tbs.cnf"
	printf '[cert]\ntbs = SEQUENCE:tbs\nalg = SEQUENCE:sigalg\nsig = FORMAT:HEX,BITSTRING:%s\n' "$sig"
} >"$tmp/cert.cnf"
openssl asn1parse -genconf "$tmp/cert.cnf" -noout -out "$tmp/cert.der" >/dev/null
openssl x509 -inform DER -in "$tmp/cert.der" -out "$out"
