# testca.bash: a throwaway CA for the tests (openssl ca), sourced by a
# transcript's .setup or a test script; everything goes in the current
# directory. After testca_init:
#   when '<relative date>'   a date for -startdate/-enddate, from one "now"
#                            taken at init, so spans between dates do not
#                            grow with a slow run
#   cert NAME SUBJECT ISSUER EXT START END
#       a P-256 key NAME.key and certificate NAME.crt; SUBJECT is a CN
#       ("cb.example.com") or a whole subject ("/O=x/CN=y"); ISSUER is the
#       NAME of a certificate made before, or "self"; EXT one of
#       ca_ext (a CA), leaf (TLS server and client), server (TLS server
#       only); a leaf's subjectAltName is DNS:<its CN>.
testca_init() {
	mkdir -p certs
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
countryName = optional
stateOrProvinceName = optional
localityName = optional
organizationName = optional
organizationalUnitName = optional
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
[leaf]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth, clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = DNS:$ENV::LEAF_CN
[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = DNS:$ENV::LEAF_CN
CNF
	testca_now=$(date -u +%s)
	export LEAF_CN=unused # read by openssl req too (ca.cnf names it)
}

when() { date -u -d "1970-01-01 00:00:00 UTC +$testca_now seconds $1" +%Y%m%d%H%M%SZ; }

cert() {
	local subj=$2 cn
	[ "${subj#/}" = "$subj" ] && subj="/CN=$2"
	cn=${subj##*CN=}
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" 2>/dev/null
	openssl req -new -key "$1.key" -subj "$subj" -config ca.cnf -out "$1.csr"
	if [ "$3" = self ]; then
		LEAF_CN=$cn openssl ca -batch -notext -selfsign -config ca.cnf -keyfile "$1.key" -in "$1.csr" \
			-out "$1.crt" -extensions "$4" -startdate "$5" -enddate "$6" 2>/dev/null
	else
		LEAF_CN=$cn openssl ca -batch -notext -config ca.cnf -cert "$3.crt" -keyfile "$3.key" -in "$1.csr" \
			-out "$1.crt" -extensions "$4" -startdate "$5" -enddate "$6" 2>/dev/null
	fi
}
