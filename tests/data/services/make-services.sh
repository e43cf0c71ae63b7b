#!/usr/bin/env bash
# make-services.sh DIR: keys and full-chain certificate files for the
# webbridge3 (wb3-*) and meetingapps (meetingapps-*) transcript tests, made
# with the openssl CLI by each test's .setup, the way an internal CA hands
# them out (root -> issuing CA -> leaf; guide §1.2.4, Appendix D.1).
# They are made fresh on every run and dated relative to now, so the day
# counts the tests print ("expired 35 days ago", "expires in 10 days")
# stay the same every day; a committed fixture would change them daily.
# EC P-256 keys, thrown away except those the tests install.
#   root.crt                  CN = Example Root CA, self-signed
#   inter.crt                 CN = Example Issuing CA, issued by the root
#   wb3-https.key/-fullchain.crt    CN = join.example.com: leaf, inter, root
#   wb3-c2w.key/-fullchain.crt      CN = wb3.example.com: leaf, inter, root
#   wb3-c2w-trust-bundle.crt  inter then root (the CA of the Call Bridges)
#   meetingapps.key/-fullchain.crt  CN = meetingapps.example.com, full chain
#   swapped-fullchain.crt     the wb3-https leaf, then root, then inter
#   client-only.key/-fullchain.crt  EKU TLS Web Client Authentication only
#   expired.key/-fullchain.crt      leaf ended 35.5 days ago (openssl ca -enddate)
#   expiring.key/-fullchain.crt     leaf ends in 10.5 days
#   key-as-bundle.pem         a private key where a bundle is expected
# and for the health transcripts (issue 14), from the same CA:
#   callbridge.key/.crt       CN = callbridge.example.com, the leaf alone
#   ca-bundle.crt             inter then root: the Call Bridge's and TURN's
#                             CA bundle, and a C2W trust bundle
#   turn.key/.crt             CN = turn.example.com, SAN also join.example.com
#                             (one certificate for the names browsers use)
#   wb3-other.key/-fullchain.crt    CN = other.example.com: another name
#   unrelated-ca.key/.crt     CN = Unrelated Root CA, self-signed: a CA that
#                             signed none of the above
# SERVICES_DAYS=N (the health transcripts: 45) ends every leaf that is
# neither expired nor expiring N days from now instead: a node whose public
# roots hold this CA is held to CA/B ballot SC-081 (46 days in all is under
# every limit, 47 from 2029-03-15) and Apple's 825 days, which are not what
# those transcripts are about.
set -euo pipefail
out=$(cd "$1" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mmp-services-data.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
mkdir certs
: >index.txt

cat >ca.cnf <<'CNF'
[ca]
default_ca = testca
[testca]
dir = .
database = index.txt
new_certs_dir = certs
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = none
rand_serial = yes
[anything]
commonName = supplied
[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[ca_ext]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
CNF

# one "now" for every date, so spans between them do not grow with a slow run
now=$(date -u +%s)
when() { date -u -d "1970-01-01 00:00:00 UTC +$now seconds $1" +%Y%m%d%H%M%SZ; }
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" 2>/dev/null; }
# issue NAME CN ISSUER EKU START END [SAN2]: a leaf with SAN DNS:CN (and DNS:SAN2)
issue() {
	key "$1"
	openssl req -new -key "$1.key" -subj "/CN=$2" -config ca.cnf -out "$1.csr"
	printf '[leaf]\nbasicConstraints = critical, CA:FALSE\nkeyUsage = critical, digitalSignature, keyEncipherment\nextendedKeyUsage = %s\nsubjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid:always\nsubjectAltName = DNS:%s%s\n' \
		"$4" "$2" "${7:+, DNS:$7}" >"$1.ext"
	openssl ca -batch -notext -config ca.cnf -cert "$3.crt" -keyfile "$3.key" -in "$1.csr" \
		-out "$1.crt" -extfile "$1.ext" -extensions leaf -startdate "$5" -enddate "$6" 2>/dev/null
	cat "$1.crt" inter.crt root.crt >"$1-fullchain.crt"
}

start=$(when '-1 day')
ca_start=$(when '-500 days')
key root
openssl req -new -key root.key -subj "/CN=Example Root CA" -config ca.cnf -out root.csr
openssl ca -batch -notext -selfsign -config ca.cnf -keyfile root.key -in root.csr -out root.crt \
	-extensions ca_ext -extfile ca.cnf -startdate "$ca_start" -enddate "$(when '+7300 days')" 2>/dev/null
key inter
openssl req -new -key inter.key -subj "/CN=Example Issuing CA" -config ca.cnf -out inter.csr
openssl ca -batch -notext -config ca.cnf -cert root.crt -keyfile root.key -in inter.csr -out inter.crt \
	-extensions ca_ext -extfile ca.cnf -startdate "$ca_start" -enddate "$(when '+3650 days')" 2>/dev/null

both="serverAuth, clientAuth"
long="+${SERVICES_DAYS:-825} days"
short="+${SERVICES_DAYS:-397} days"
issue wb3-https join.example.com inter "$both" "$start" "$(when "$long")"
issue wb3-c2w wb3.example.com inter "$both" "$start" "$(when "$long")"
issue meetingapps meetingapps.example.com inter "$both" "$start" "$(when "$long")"
issue client-only client.example.com inter clientAuth "$start" "$(when "$long")"
issue expired expired.example.com inter "$both" "$(when '-400 days')" "$(when '-35 days -12 hours')"
issue expiring expiring.example.com inter "$both" "$start" "$(when '+10 days +12 hours')"
cat inter.crt root.crt >wb3-c2w-trust-bundle.crt
cat wb3-https.crt root.crt inter.crt >swapped-fullchain.crt
cp inter.key key-as-bundle.pem

for n in wb3-https wb3-c2w meetingapps client-only expired expiring; do
	cp "$n.key" "$n-fullchain.crt" "$out/"
done
cp root.crt inter.crt wb3-c2w-trust-bundle.crt swapped-fullchain.crt key-as-bundle.pem "$out/"

issue callbridge callbridge.example.com inter "$both" "$start" "$(when "$short")"
issue turn turn.example.com inter serverAuth "$start" "$(when "$short")" join.example.com
issue wb3-other other.example.com inter "$both" "$start" "$(when "$short")"
key unrelated-ca
openssl req -new -key unrelated-ca.key -subj "/CN=Unrelated Root CA" -config ca.cnf -out unrelated-ca.csr
openssl ca -batch -notext -selfsign -config ca.cnf -keyfile unrelated-ca.key -in unrelated-ca.csr \
	-out unrelated-ca.crt -extensions ca_ext -extfile ca.cnf -startdate "$ca_start" \
	-enddate "$(when '+7300 days')" 2>/dev/null
cp inter.crt ca-bundle.crt
cat root.crt >>ca-bundle.crt
cp callbridge.key callbridge.crt turn.key turn.crt wb3-other.key wb3-other-fullchain.crt \
	unrelated-ca.key unrelated-ca.crt ca-bundle.crt "$out/"
