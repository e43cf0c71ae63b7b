#!/usr/bin/env bash
# make-pki.sh [DIR] [NODES...]: a test PKI for the example playbook, made with
# the openssl CLI the way an internal CA hands one out (guide 1.2.4): a root,
# an issuing CA, and for each node (default n1 n2 n3) in DIR/<node>/ (default
# files/):
#   callbridge.key, callbridge.crt      Call Bridge (guide 4.4), CN cb.<node>.example.com
#   wb3-https.key, wb3-https-fullchain.crt   Web Bridge 3 HTTPS (D.1 step 5)
#   wb3-c2w.key, wb3-c2w-fullchain.crt       Web Bridge 3 C2W (D.1 step 7)
# and in DIR/ the bundles every node shares:
#   ca-bundle.crt   issuing CA then root: the Call Bridge bundle (4.4), the
#                   Web Bridge 3 C2W trust (D.1 step 8) and the Call Bridge C2W
#                   trust (D.2 step 3), as all certificates come from one CA
# EC P-256 keys; leaves valid 825 days from yesterday.
set -euo pipefail
out=${1:-files}
shift || true
nodes=("$@")
[ ${#nodes[@]} -gt 0 ] || nodes=(n1 n2 n3)
mkdir -p "$out"
out=$(cd "$out" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mmp-example-pki.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" 2>/dev/null; }
ca_ext='basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid:always'
key root
openssl req -new -x509 -key root.key -subj "/CN=Example Root CA" -days 7300 -sha256 \
	-addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
	-out root.crt
key inter
openssl req -new -key inter.key -subj "/CN=Example Issuing CA" -out inter.csr
printf '%s\n' "$ca_ext" >inter.ext
openssl x509 -req -in inter.csr -CA root.crt -CAkey root.key -CAcreateserial -days 3650 -sha256 \
	-extfile inter.ext -out inter.crt 2>/dev/null
# leaf NAME CN: NAME.key, NAME.crt issued by inter (server and client auth)
leaf() {
	key "$1"
	openssl req -new -key "$1.key" -subj "/CN=$2" -out "$1.csr"
	printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\nsubjectAltName=DNS:%s\n' "$2" >"$1.ext"
	openssl x509 -req -in "$1.csr" -CA inter.crt -CAkey inter.key -CAcreateserial -days 825 -sha256 \
		-extfile "$1.ext" -out "$1.crt" 2>/dev/null
}
cat inter.crt root.crt >"$out/ca-bundle.crt"
for n in "${nodes[@]}"; do
	mkdir -p "$out/$n"
	leaf cb "cb.$n.example.com"
	cp cb.key "$out/$n/callbridge.key"
	cp cb.crt "$out/$n/callbridge.crt"
	leaf https "join.$n.example.com"
	cp https.key "$out/$n/wb3-https.key"
	cat https.crt inter.crt root.crt >"$out/$n/wb3-https-fullchain.crt"
	leaf c2w "wb3.$n.example.com"
	cp c2w.key "$out/$n/wb3-c2w.key"
	cat c2w.crt inter.crt root.crt >"$out/$n/wb3-c2w-fullchain.crt"
done
chmod 600 "$out"/*/*.key
