#!/usr/bin/env bash
# make-inputs.sh: makes the fixtures of tests/data/inputs/ with the openssl
# CLI (and ssh-keygen): the files admins really upload (SPEC §5, last
# paragraph). Run from anywhere: bash tests/data/inputs/make-inputs.sh
# The outputs are committed; the transcripts inputs-*, inspect-*, unlock-*
# and p12-* use them. Certificates last 36500 days so the transcripts keep
# working for decades; expired.crt and future.crt have fixed dates.
# Password of every locked key and PKCS#12 file: s3cret-pass
set -euo pipefail
out=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
PW=s3cret-pass
DAYS=36500

rsa() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" 2>/dev/null; }

# --- a root CA, an intermediate CA, a server and a client certificate ---
cat >ext.cnf <<'EOF'
[root]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[inter]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[server]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:server.example.com, IP:192.0.2.10
[client]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
nsCertType = client
[p12user]
keyUsage = critical, digitalSignature
EOF
rsa ca.key
openssl req -new -x509 -key ca.key -subj "/C=US/O=mmp tests/CN=Inputs Test Root CA" \
	-days $DAYS -sha256 -extensions root -config <(cat /etc/ssl/openssl.cnf ext.cnf) -out ca.crt
rsa inter.key
openssl req -new -key inter.key -subj "/C=US/O=mmp tests/CN=Inputs Test Intermediate CA" -out inter.csr
openssl x509 -req -in inter.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days $DAYS -sha256 \
	-extfile ext.cnf -extensions inter -out inter.crt 2>/dev/null
rsa server.key
openssl req -new -key server.key -subj "/C=US/O=mmp tests/CN=server.example.com" \
	-addext "subjectAltName=DNS:server.example.com,IP:192.0.2.10" -out server.csr
openssl x509 -req -in server.csr -CA inter.crt -CAkey inter.key -CAcreateserial -days $DAYS \
	-sha256 -extfile ext.cnf -extensions server -out server.crt 2>/dev/null
rsa client.key
openssl req -new -key client.key -subj "/CN=postgres" -out client.csr
openssl x509 -req -in client.csr -CA inter.crt -CAkey inter.key -CAcreateserial -days $DAYS \
	-sha256 -extfile ext.cnf -extensions client -out client.crt 2>/dev/null
# EC P-256, self-signed version 1 certificate: no extensions at all
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.key
openssl req -new -key ec.key -subj "/CN=ec.example.com" -out ec.csr
openssl x509 -req -in ec.csr -signkey ec.key -days $DAYS -sha256 -out ec.crt 2>/dev/null
cat server.crt inter.crt ca.crt >bundle.crt

# --- what the text of a PEM file looks like after mail, Windows, editors ---
sed 's/$/\r/' bundle.crt >crlf.crt
{ printf '\xef\xbb\xbf'; cat server.crt; } >bom.crt
{
	echo "Bag Attributes"
	echo "    friendlyName: server"
	echo "subject=C = US, O = mmp tests, CN = server.example.com"
	cat server.crt
	printf '\n\n'
	echo "This is the intermediate CA:"
	cat inter.crt
	printf '\n   \n'
	echo "# and the root"
	cat ca.crt
	printf '\n'
} >text-bundle.crt
sed 's/$/  \t /' server.crt >trailing-spaces.crt
head -c -1 server.crt >no-newline.crt
{ printf '\xef\xbb\xbf'; sed 's/$/ \r/' bundle.crt | head -c -2; } >all-at-once.crt
cp server.crt server.pem

# --- DER ---
openssl x509 -in server.crt -outform DER -out server.der
openssl pkey -in server.key -outform DER -out server-key.der
openssl rsa -in server.key -outform DER -traditional -out rsa-key.der 2>/dev/null
openssl pkey -in server.key -pubout -out pubkey.pem

# --- PKCS#7 chains as Windows CAs hand them out ---
openssl crl2pkcs7 -nocrl -certfile bundle.crt -out chain.p7b
openssl crl2pkcs7 -nocrl -certfile bundle.crt -outform DER -out chain-der.p7b

# --- locked keys: never ask for a password when only loading them ---
openssl rsa -in server.key -aes128 -traditional -passout pass:$PW -out locked-legacy.key 2>/dev/null
openssl pkcs8 -topk8 -in server.key -v2 aes-256-cbc -passout pass:$PW -out locked-pkcs8.key
openssl pkcs8 -topk8 -in server.key -v2 aes-256-cbc -passout pass:$PW -outform DER -out locked-pkcs8.der
sed 's/$/\r/' locked-legacy.key >locked-crlf.key
cp server.key unlocked.key

# --- PKCS#12: legacy ciphers (RC2/3DES, what old Windows exports) and modern ---
rsa p12user.key
openssl req -new -x509 -key p12user.key -subj "/CN=john" -days $DAYS -sha256 \
	-extensions p12user -config <(cat /etc/ssl/openssl.cnf ext.cnf) -out p12user.crt
openssl pkcs12 -export -legacy -inkey p12user.key -in p12user.crt -passout pass:$PW -out p12-legacy.pfx
openssl pkcs12 -export -inkey p12user.key -in p12user.crt -passout pass:$PW -out p12-modern.pfx
openssl pkcs12 -export -inkey ec.key -in ec.crt -passout pass:$PW -out p12-ec.pfx
openssl pkcs12 -export -nokeys -in p12user.crt -passout pass:$PW -out p12-nokey.pfx
# what pki pkcs12-to-ssh must produce: the key material of p12user.key
ssh-keygen -t ed25519 -N '' -C admin@example -f idkey -q
cp idkey.pub id-ed25519.pub

# --- CSRs ---
cp server.csr server-req.csr
openssl req -in server.csr -outform DER -out bad-sig.csr
last=$(tail -c 1 bad-sig.csr | od -An -tu1 | tr -d ' ')
{ head -c -1 bad-sig.csr; printf "\\$(printf '%03o' $(((last + 1) % 256)))"; } >bad-sig2.csr
mv bad-sig2.csr bad-sig.csr

# --- odd ones ---
: >empty.crt
printf '\n  \r\n\t\n' >blank.crt
# a PEM block whose base64 is cut in the middle
{ head -n 8 server.crt; tail -n 1 server.crt; } >damaged.crt
# a subject that holds a terminal escape sequence (ESC [ 3 1 m) and UTF-8,
subj=$(printf '/O=Caf\303\251 M\303\274ller/CN=\033[31mred\033[0m.example.com')
# and a SAN that would set the terminal's title (OSC 0 ... BEL)
san=$(printf 'subjectAltName=DNS:\033]0;pwned\007.example.com')
openssl req -new -x509 -key ec.key -utf8 -subj "$subj" -addext "$san" -days $DAYS -out esc.crt
cat server.key server.crt >combined.pem
echo "just some text, not a certificate" >notes.crt

# expired (1990-1991) and not yet valid (2100-2101): openssl ca sets dates
mkdir -p ca/new
: >ca/index.txt
echo 01 >ca/serial
cat >ca.cnf <<'EOF'
[ca]
default_ca = dflt
[dflt]
dir = ./ca
database = $dir/index.txt
new_certs_dir = $dir/new
serial = $dir/serial
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = none
[anything]
commonName = supplied
[leaf]
basicConstraints = CA:FALSE
extendedKeyUsage = serverAuth, clientAuth
EOF
for w in expired:19900101000000Z:19910101000000Z future:21000101000000Z:21010101000000Z; do
	IFS=: read -r n from to <<<"$w"
	openssl req -new -key server.key -subj "/CN=$n.example.com" -out $n.csr
	openssl ca -batch -config ca.cnf -cert inter.crt -keyfile inter.key -extensions leaf \
		-startdate "$from" -enddate "$to" -in $n.csr -out $n.pem 2>/dev/null
	openssl x509 -in $n.pem -out $n.crt
done

for f in ca.crt inter.crt server.crt server.key client.crt ec.crt ec.key bundle.crt \
	crlf.crt bom.crt text-bundle.crt trailing-spaces.crt no-newline.crt all-at-once.crt \
	server.pem server.der server-key.der rsa-key.der pubkey.pem chain.p7b chain-der.p7b \
	locked-legacy.key locked-pkcs8.key locked-pkcs8.der locked-crlf.key unlocked.key \
	p12user.key p12user.crt p12-legacy.pfx p12-modern.pfx p12-ec.pfx p12-nokey.pfx \
	id-ed25519.pub server-req.csr bad-sig.csr empty.crt blank.crt damaged.crt esc.crt \
	combined.pem notes.crt expired.crt future.crt; do
	cp "$f" "$out/$f"
done
chmod 0644 "$out"/*
chmod 0755 "$out/make-inputs.sh"
echo "fixtures written to $out"
