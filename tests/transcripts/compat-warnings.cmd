# issue 11 class 4: what TLS clients refuse, on pki verify, pki inspect and
# the service commands, each naming the file, the certificate, the rule and
# its source. An RSA key under 2048 bits is a FAILURE for a service's own
# certificate; the remedy (a new pki csr, signed) then succeeds.
pki verify small.crt ca.crt
callbridge certs small.key small.crt ca.crt
pki csr small2 CN:small.example.com
pki sign small2 ca
callbridge certs small2.key small2.crt ca.crt
pki verify big.crt ca.crt
pki verify pss.crt ca.crt
pki verify zero.crt ca.crt
pki verify negative.crt ca.crt
pki verify nosan.crt ca.crt
pki verify othersan.crt ca.crt
pki verify long.crt ca.crt
pki verify year.crt ca.crt
pki verify fine.crt ca.crt
# a SHA-1 self-signed root in a trust bundle: a WARNING (no SHA-2 rule
# there; today it passed silently)
callbridge trust edge trust.crt
# two subjectAltName extensions: one cause
pki verify dup.crt ca.crt
pki inspect dup.crt
